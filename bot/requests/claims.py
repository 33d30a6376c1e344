"""Claiming a request from its card: atomic, first peer wins, nobody else changes anything."""

from __future__ import annotations

import logging

from bot.escalation import followup, ladder
from bot.platform.outbox import DeliveryError
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.requests import cards, notes, relay, render
from bot.safety import risk
from bot.team import members as team
from bot.team import roster
from storage.peers import Peer
from storage.requests import Request, State

_log = logging.getLogger(__name__)


async def claim(services: Services, request_id: str, presser_id: int) -> Answer:
    request = await services.requests.get(request_id)
    if request is None or request.state is State.INTAKE:
        return Answer("stale_button")
    if not await team.is_member(services, presser_id):
        return Answer("claim_not_member", alert=True)
    peer = await services.peers.get(presser_id)
    if peer is None:
        if await services.peers.was_removed(presser_id):
            return Answer("claim_removed", alert=True)
        return Answer("claim_not_registered", alert=True)
    if services.requests.is_responder_of(request, presser_id):
        return Answer("claim_own", alert=True)
    if await services.requests.live_for_responder(presser_id) is not None:
        return Answer("claim_while_own_request", alert=True)
    if request.state is State.CLOSED:
        return Answer("claim_closed")
    if roster.same_agency(request, peer):
        return Answer("claim_same_agency", alert=True)
    claimed = await _take(services, request, peer)
    if isinstance(claimed, Answer):
        return claimed
    try:
        await brief_peer(services, claimed, peer)
    except DeliveryError:
        await _undo(services, request, peer)
        _log.warning("request %s: claim undone, the peer's private chat is unreachable",
                     claimed.code)
        return Answer("claim_unreachable", alert=True)
    followup.schedule(services, claimed)
    await services.peers.set_current(peer.user_id, claimed.id, services.clock())
    _log.info("request %s claimed", claimed.code)
    await cards.rewrite(services, claimed, "card_claimed", alias=peer.alias)
    await services.say(claimed.responder_chat_id, Reply("peer_joined", {"alias": peer.alias}),
                       what=f"request {claimed.code}: the peer-joined notice")
    if claimed.high_risk:
        await services.say(peer.user_id, Reply("peer_risk_flag", {"code": claimed.code,
                                                          "why": risk.why(claimed)}),
                           what=f"request {claimed.code}: a risk flag to the peer")
    await services.audit.record(services.clock(), "peer", "claim", actor_id=peer.user_id,
                                request_id=claimed.id, request_code=claimed.code)
    return Answer("claim_won", {"code": claimed.code})


async def _take(services: Services, request: Request, peer: Peer) -> Request | Answer:
    """The request as `peer` now holds it, or the answer to a press that came too late."""
    if await services.requests.claim(request.id, peer.user_id, services.clock()):
        claimed = await services.requests.get(request.id)
        assert claimed is not None
        return claimed
    latest = await services.requests.get(request.id)
    if latest is None or latest.state is State.CLOSED:
        return Answer("claim_closed")
    if await _unfinished(services, latest, peer):
        return latest  # this press's own claim, whose handling died half-way: finish it
    return Answer("claim_already")


async def _unfinished(services: Services, latest: Request, peer: Peer) -> bool:
    """Whether `peer` holds the request by a claim whose handling stopped before its end (a
    crash, or an instance that died, between the claim and the audit entry that ends it):
    replayed, the press finishes it, and its sends keep their keys, so nothing goes twice.
    A peer's presses are handled one after another (the inbox's lanes), so a second press
    never overtakes the first while it is still running."""
    if latest.state is not State.CLAIMED or latest.peer_id != peer.user_id:
        return False
    if latest.claimed_at is None:
        return False
    # "transfer_accepted" (requests/transfers.py, which imports this module): a conversation
    # handed to this peer is held by it without a claim.
    return not await services.audit.recorded(("claim", "transfer_accepted"), latest.id,
                                             peer.user_id, latest.claimed_at)


async def _undo(services: Services, before: Request, peer: Peer) -> None:
    """The claim could not be completed: the request goes back exactly where it was."""
    now = services.clock()
    await services.requests.release(before.id, peer.user_id, now, before.next_step_at or now)
    await services.requests.set_ladder(before.id, before.escalation_step, before.next_step_at,
                                       queued_at=before.queued_at)
    if before.next_step_at is not None:
        ladder.wake_by(services, before.next_step_at)


async def brief_peer(services: Services, request: Request, peer: Peer,
                     intro: str = "peer_claimed_intro", **values: str) -> None:
    """The intake answers, every message so far and the team's private notes, then how the
    conversation works. `intro` (with `values`): how it starts (a hand-over says whose it was).
    Raises DeliveryError if the peer's own chat cannot be reached."""
    texts = await services.texts_for(peer.user_id)
    history = await services.messages.conversation(request.id)
    fields = render.intake_fields(request, services.settings.tz, texts)
    await services.outbox.send_text(peer.user_id,
                                    texts.plural(intro, len(history), **fields, **values))
    if request.intake.followup:  # "Talk to a peer again" on a check-in (requests/checkins.py)
        await services.outbox.send_text(peer.user_id, texts("peer_followup_note"))
    for message in history:
        if message.sender == "responder":
            label = request.code
        else:  # a peer who held the request before (and released it), under their alias
            label = message.alias or texts("earlier_peer")
        try:
            await relay.deliver(services, peer.user_id, label, message)
        except DeliveryError as exc:
            if exc.unreachable:
                raise  # the peer's own chat: the claim cannot stand
            await services.outbox.send_text(peer.user_id, texts("history_gap", label=label))
    await notes.brief(services, peer.user_id, request, texts)  # the team's, marked as such
    await services.outbox.send_text(peer.user_id, texts("peer_claimed_outro", code=request.code,
                                                        alias=peer.alias))
