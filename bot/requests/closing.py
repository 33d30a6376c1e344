"""Ending a conversation (/end by the responder, /close by the peer) and the feedback tap."""

from __future__ import annotations

import logging

from bot.escalation import ladder
from bot.platform import guards, keyboards
from bot.platform.outbox import DeliveryError, send_scope
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.requests import cards, checkins
from bot.team import care
from bot.team import members as team
from storage.errors import ConflictError
from storage.peers import Peer
from storage.requests import Request, State

_log = logging.getLogger(__name__)
MAX_REASON_CHARS = 500  # a reason goes into one message to each coordinator


async def end_by_responder(services: Services, user_id: int) -> Reply:
    live = await services.requests.live_for_responder(user_id)
    if live is None:
        return Reply("end_nothing_open")
    if live.state is State.INTAKE:
        await services.requests.discard_intake(live.id)
        return Reply("end_intake")
    if not await services.requests.close(live.id, "responder", services.clock()):
        return Reply("end_nothing_open")
    # Read again: it may have been claimed, released or handed over (/transfer) since it was
    # read above; whoever held it when it closed is the one told.
    closed = await services.requests.get(live.id) or live
    _log.info("request %s closed by the responder", closed.code)
    await services.audit.record(services.clock(), "responder", "close", request_id=closed.id,
                                request_code=closed.code)
    if closed.peer_id is None:
        await cards.rewrite(services, closed, "card_closed_unclaimed")
        return Reply("end_unclaimed", {"code": closed.code})
    await cards.rewrite(services, closed, "card_closed")
    await _tell(services, closed, closed.peer_id,
                Reply("peer_responder_ended", {"code": closed.code}))
    await team.move_on(services, closed.peer_id, closed)
    await care.after_close(services, closed, closed.peer_id)
    await checkins.offer(services, closed)  # after this answer (bot/platform/afterwards.py)
    return Reply("end_claimed", keyboard=lambda texts: keyboards.feedback(closed.id, texts))


@guards.claiming_peer_only
async def close_by_peer(services: Services, peer: Peer, request: Request) -> Reply:
    """/close [CODE]: the peer ends the conversation; the responder is asked for feedback."""
    if not await services.requests.close_held(request.id, peer.user_id, services.clock()):
        latest = await services.requests.get(request.id)
        if latest is not None and latest.state is not State.CLOSED:
            # handed over (/transfer) or released since it was read: not theirs to close
            return Reply("peer_close_not_yours", {"code": request.code})
        return Reply("peer_no_conversation")
    _log.info("request %s closed by the peer", request.code)
    await services.audit.record(services.clock(), "peer", "close", actor_id=peer.user_id,
                                request_id=request.id, request_code=request.code)
    await cards.rewrite(services, request, "card_closed")
    await _tell(services, request, request.responder_chat_id,
                Reply("closed_by_peer", {"alias": peer.alias},
                      lambda texts: keyboards.feedback(request.id, texts)))
    next_code = await team.move_on(services, peer.user_id, request, announce=False)
    await care.after_close(services, request, peer.user_id)
    await checkins.offer(services, request)
    if next_code is None:
        return Reply("peer_closed_done", {"code": request.code})
    return Reply("peer_closed_next", {"code": request.code, "next": next_code})


@guards.peers_only
async def release_by_peer(services: Services, peer: Peer, reason: str | None) -> Reply:
    """/release [reason]: the current conversation goes back to the queue."""
    request = await guards.current_conversation(services, peer)
    if isinstance(request, Reply):
        return request
    if reason:
        reason = reason[:MAX_REASON_CHARS]
    if not await ladder.requeue(services, request, peer, reason=reason, silent=False):
        return Reply("peer_no_conversation")
    next_code = await team.move_on(services, peer.user_id, request, announce=False)
    if next_code is None:
        return Reply("peer_released", {"code": request.code})
    return Reply("peer_released_next", {"code": request.code, "next": next_code})


async def close_inactive(services: Services, request: Request) -> None:
    """A conversation silent on both sides for INACTIVITY_HOURS: close it with a kind word."""
    idle_since = request.last_activity_at or request.claimed_at
    if request.peer_id is None or idle_since is None or not await services.requests.close_idle(
            request.id, request.peer_id, idle_since, services.clock()):
        return  # someone wrote in the meantime, or the peer let it go
    _log.info("request %s closed after a long silence", request.code)
    await services.audit.record(services.clock(), "system", "close", request_id=request.id,
                                request_code=request.code, detail="inactivity")
    await cards.rewrite(services, request, "card_closed")
    await _tell(services, request, request.responder_chat_id,
                Reply("responder_inactive_checkin",
                      keyboard=lambda texts: keyboards.feedback(request.id, texts)))
    if request.peer_id is not None:
        await _tell(services, request, request.peer_id,
                    Reply("peer_inactive_closed", {"code": request.code}))
        await team.move_on(services, request.peer_id, request)
        await care.after_close(services, request, request.peer_id)
        await checkins.offer(services, request)


async def _tell(services: Services, request: Request, chat_id: int, reply: Reply) -> None:
    await services.say(chat_id, reply, what=f"request {request.code}: a closing notice")


async def ratable(services: Services, user_id: int, request_id: str) -> Request | None:
    """The ended request a 1-5 tap (or Skip) is for, if it is this person's to rate."""
    request = await services.requests.get(request_id)
    if (request is None or request.state is not State.CLOSED
            or not services.requests.is_responder_of(request, user_id)):
        return None
    return request


async def rate(services: Services, chat_id: int, request: Request, choice: str) -> Answer:
    """A 1-5 tap (or Skip) after a conversation (see `ratable`): the thanks is a message in
    the chat, which stays, not a notice that vanishes; a second tap gets a short notice only.

    One message per request, whatever is tapped and however often: it is sent under a key of
    the request (a second tap, on either, finds it made), and a rating is stored in the same
    transaction as its thanks' outbox row, so a crash leaves both or neither, and the tap done
    again after it cannot find the rating kept but its thanks never queued."""
    with send_scope(f"fb{request.id}", request_id=request.id):
        if choice == "skip":
            await services.say(chat_id, Reply("feedback_skipped"), what="a feedback answer")
            return Answer()
        text, _ = Reply("feedback_thanks").render(await services.texts_for(chat_id))
        try:
            await services.outbox.send_text(chat_id, text, along=services.feedback.recording(
                request.id, int(choice), services.clock()))
        except ConflictError:
            return Answer("feedback_already")
        except DeliveryError:  # the rating is kept all the same
            _log.warning("request %s: the thanks for a rating could not be delivered",
                         request.code)
    return Answer()
