"""Hand-overs: `/transfer ALIAS` offers the conversation a peer holds (their current one) to
another registered, on-call peer, who must press Accept before anything moves.

Until then nothing changes for the responder, and the offering peer still holds it and writes
to it. One offer at a time per conversation: another /transfer while one is pending says so,
with a Withdraw button (the offer message has one too). An offer stands for OFFER_SECONDS; the
Accept of an offer that expired, was withdrawn or declined, or whose conversation was closed,
released or handed over meanwhile, is stale.

Accept moves the conversation with one conditional UPDATE (still claimed by the offering peer,
the offer still pending: storage/requests.py `accept_transfer`), so of two presses at once one
moves it. The new peer then gets the claim's briefing (the intake answers, every message so
far, the team's case notes: bot/requests/claims.py), the follow-up deadlines of a claimed
conversation count from the hand-over for the new peer (bot/escalation/followup.py), the
responder is told their new peer's alias (nothing about the earlier one), and the offering
peer is told, with the conversations they still hold: they are not moved to one of them
silently, but asked to choose with /switch. If the new peer's chat cannot be reached, the
hand-over is undone and the offering peer is told that too.

The pending offer is three columns of the request (migration 0023): peer ids and a time, no
content and nothing about the responder; it goes with the request. The audit log records
`transfer_offered`, `transfer_accepted`, `transfer_declined` and `transfer_withdrawn`, by peer
(the other peer in `detail`), never any text; /stats counts the accepted ones.
"""

from __future__ import annotations

import logging

from bot.escalation import followup
from bot.platform import guards, keyboards
from bot.platform.outbox import DeliveryError
from bot.platform.replies import Answer, KeyboardFor, Reply
from bot.platform.services import Services
from bot.requests import cards, claims, render
from bot.safety import risk
from bot.team import members as team
from bot.team import roster
from storage.peers import Peer
from storage.requests import Request, State

_log = logging.getLogger(__name__)

OFFER_SECONDS = 30 * 60  # how long an offer stands
OFFERED, ACCEPTED = "transfer_offered", "transfer_accepted"  # audit actions (/stats: accepted)
DECLINED, WITHDRAWN = "transfer_declined", "transfer_withdrawn"
_SHOWN_ALIAS_CHARS = 40  # of what a peer typed, repeated in a refusal


def _minutes() -> int:
    return OFFER_SECONDS // 60


def pending(request: Request, now: int) -> bool:
    """An offer of this request is pending: made by the peer who holds it, since they claimed
    it, and not expired (as `offer_transfer` in storage/requests.py reads it)."""
    return (request.state is State.CLAIMED and request.transfer_to is not None
            and request.transfer_offered_at is not None and request.claimed_at is not None
            and request.transfer_from == request.peer_id
            and request.transfer_offered_at > now - OFFER_SECONDS
            and request.claimed_at <= request.transfer_offered_at)


def _withdraw_button(request: Request) -> KeyboardFor:
    offered_at = request.transfer_offered_at or 0
    return lambda texts: keyboards.transfer_withdraw(texts, request.id, offered_at)


async def _pending_reply(services: Services, request: Request) -> Reply:
    target = await services.peers.get(request.transfer_to or 0)
    return Reply("transfer_pending", {"code": request.code,
                                      "alias": target.alias if target else "?"},
                 _withdraw_button(request))


@guards.peers_only
async def offer(services: Services, peer: Peer, alias: str | None) -> Reply:
    """/transfer ALIAS: offer the current conversation to another on-call peer."""
    request = await guards.current_conversation(services, peer)
    if isinstance(request, Reply):
        return request
    now = services.clock()
    if pending(request, now):
        return await _pending_reply(services, request)
    if not alias:
        return Reply("transfer_usage", {"code": request.code})
    alias = " ".join(alias.split())
    target = await _target(services, peer, alias)
    if isinstance(target, Reply):
        return target
    refusal = await _refusal(services, request, target, now)
    if refusal is not None:
        return refusal
    fresh_after = now - OFFER_SECONDS
    if not await services.requests.offer_transfer(request.id, peer.user_id, target.user_id,
                                                  now, fresh_after):
        latest = await services.requests.get(request.id)
        if latest is not None and pending(latest, now):
            return await _pending_reply(services, latest)
        return Reply("peer_no_conversation")  # closed or released meanwhile
    offered = await services.requests.get(request.id)
    assert offered is not None
    texts = await services.texts_for(target.user_id)
    fields = render.intake_fields(offered, services.settings.tz, texts)
    sent = await services.say(target.user_id, Reply(
        "transfer_offer", {"from_alias": peer.alias, "code": offered.code,
                           "urgency": fields["urgency"], "discipline": fields["discipline"],
                           "language": fields["language"], "minutes": _minutes()},
        lambda texts: keyboards.transfer_offer(texts, offered.id, now)),
        what=f"request {offered.code}: a hand-over offer")
    if not sent:  # their chat cannot be reached: there is no offer to wait for
        await services.requests.drop_transfer(offered.id, now, from_peer=peer.user_id)
        return Reply("transfer_unreachable", {"alias": target.alias, "code": offered.code})
    await services.audit.record(now, "peer", OFFERED, actor_id=peer.user_id,
                                request_id=offered.id, request_code=offered.code,
                                detail=f"peer:{target.user_id}")
    _log.info("request %s: a hand-over was offered", offered.code)
    return Reply("transfer_offered", {"alias": target.alias, "code": offered.code,
                                      "minutes": _minutes()}, _withdraw_button(offered))


async def _target(services: Services, peer: Peer, alias: str) -> Peer | Reply:
    """The one registered peer other than `peer` who goes by `alias` (any case)."""
    shown = alias[:_SHOWN_ALIAS_CHARS]
    named = await services.peers.named(alias)
    if not named:
        for user_id, known in (await services.peers.aliases()).items():
            if (known.casefold() == alias.casefold()
                    and await services.peers.was_removed(user_id)):
                return Reply("transfer_removed", {"alias": known})
        return Reply("transfer_unknown", {"alias": shown})
    others = [other for other in named if other.user_id != peer.user_id]
    if not others:
        return Reply("transfer_self")
    if len(others) > 1:
        return Reply("transfer_ambiguous", {"alias": shown})
    return others[0]


async def _refusal(services: Services, request: Request, target: Peer, now: int,
                   ) -> Reply | None:
    """Why `target` may not be offered `request`, if they may not.

    Off call, in a pause after a hard conversation (bot/team/care.py), or the responder of
    this request or with a request of their own open: all answered "not on call", word for
    word. Whether they have a request of their own is read every time, whatever the answer,
    and weighed last, so that neither the text nor the time it takes tells anyone that a
    colleague asked for support, or who a responder is."""
    own = (services.requests.is_responder_of(request, target.user_id)
           or await services.requests.live_for_responder(target.user_id) is not None)
    off_call = Reply("transfer_off_call", {"alias": target.alias})
    if not _available(target, now):
        return off_call
    if roster.same_agency(request, target):
        return Reply("transfer_same_agency", {"alias": target.alias, "code": request.code})
    if own:
        return off_call
    return None


def _available(peer: Peer, now: int) -> bool:
    """On call and not in a pause: who may be offered a conversation, and accept one."""
    return (peer.on_call_until is not None and peer.on_call_until > now
            and not peer.cooling_down(now))


# ------------------------------------------------------------------ the buttons


async def press(services: Services, user_id: int, data: str) -> tuple[Answer, Reply | None]:
    """Accept, Decline (the peer offered it) or Withdraw (the peer who offered it): what the
    presser is answered, and what they are told next (None: nothing more)."""
    match = keyboards.TRANSFER_PATTERN.match(data)
    if match is None:
        return Answer("stale_button"), None
    action, request_id, offered_at = match.group(1), match.group(2), int(match.group(3))
    request = await services.requests.get(request_id)
    if (request is None or request.state is not State.CLAIMED
            or request.transfer_offered_at != offered_at or request.transfer_to is None):
        return Answer("transfer_stale", alert=True), None
    if action == "w":
        return await _withdraw(services, user_id, request)
    if request.transfer_to != user_id:
        return Answer("transfer_not_yours", alert=True), None
    if not pending(request, services.clock()):
        return Answer("transfer_stale", alert=True), None
    if action == "d":
        return await _decline(services, user_id, request)
    return await _accept(services, user_id, request)


async def _withdraw(services: Services, user_id: int, request: Request,
                    ) -> tuple[Answer, Reply | None]:
    assert request.transfer_offered_at is not None and request.transfer_to is not None
    if request.transfer_from != user_id:
        return Answer("transfer_not_yours", alert=True), None
    if not await services.requests.drop_transfer(request.id, request.transfer_offered_at,
                                                 from_peer=user_id):
        return Answer("transfer_stale", alert=True), None
    await services.audit.record(services.clock(), "peer", WITHDRAWN, actor_id=user_id,
                                request_id=request.id, request_code=request.code,
                                detail=f"peer:{request.transfer_to}")
    await services.say(request.transfer_to, Reply("transfer_withdrawn_notice",
                                                  {"code": request.code}),
                       what=f"request {request.code}: a withdrawn hand-over")
    return Answer(), Reply("transfer_withdrawn", {"code": request.code})


async def _decline(services: Services, user_id: int, request: Request,
                   ) -> tuple[Answer, Reply | None]:
    assert request.transfer_offered_at is not None and request.transfer_from is not None
    if not await services.requests.drop_transfer(request.id, request.transfer_offered_at,
                                                 to_peer=user_id):
        return Answer("transfer_stale", alert=True), None
    await services.audit.record(services.clock(), "peer", DECLINED, actor_id=user_id,
                                request_id=request.id, request_code=request.code,
                                detail=f"peer:{request.transfer_from}")
    _log.info("request %s: a hand-over was declined", request.code)
    peer = await services.peers.get(user_id)
    await services.say(request.transfer_from, Reply(
        "transfer_declined_notice", {"alias": peer.alias if peer else "?",
                                     "code": request.code}),
        what=f"request {request.code}: a declined hand-over")
    return Answer(), Reply("transfer_declined", {"code": request.code})


async def _accept(services: Services, user_id: int, request: Request,
                  ) -> tuple[Answer, Reply | None]:
    assert request.transfer_offered_at is not None and request.transfer_from is not None
    peer = await services.peers.get(user_id)
    if peer is None:
        return Answer("transfer_stale", alert=True), None
    if not await team.is_member(services, user_id):
        return Answer("claim_not_member", alert=True), None
    now = services.clock()
    if peer.on_call_until is None or peer.on_call_until <= now:  # went off call since
        return Answer("transfer_accept_off_call", {"code": request.code}, alert=True), None
    if peer.cooling_down(now):  # a pause began since (bot/team/care.py)
        return Answer("transfer_accept_pause", {"code": request.code}, alert=True), None
    # Their own request: said as a claim says it, of their own request (nothing about this one).
    if (services.requests.is_responder_of(request, user_id)
            or await services.requests.live_for_responder(user_id) is not None):
        return Answer("claim_while_own_request", alert=True), None
    if roster.same_agency(request, peer):
        return Answer("claim_same_agency", alert=True), None
    from_id = request.transfer_from
    if not await services.requests.accept_transfer(
            request.id, from_peer=from_id, to_peer=user_id,
            offered_at=request.transfer_offered_at, now=now, fresh_after=now - OFFER_SECONDS):
        return Answer("transfer_stale", alert=True), None  # the other press, or it changed
    moved = await services.requests.get(request.id)
    assert moved is not None
    earlier = await services.peers.get(from_id)
    earlier_alias = earlier.alias if earlier is not None else "?"
    try:
        await claims.brief_peer(services, moved, peer, "peer_transfer_intro",
                                from_alias=earlier_alias)
    except DeliveryError:
        undone = await services.requests.undo_transfer(request, user_id)
        _log.warning("request %s: hand-over undone, the new peer's chat is unreachable",
                     moved.code)
        if undone:  # it is the offering peer's again: they are told, it did not move
            await services.say(from_id, Reply("transfer_undone_notice",
                                              {"alias": peer.alias, "code": moved.code}),
                               what=f"request {moved.code}: an undone hand-over")
        return Answer("claim_unreachable", alert=True), None
    followup.schedule(services, moved)
    await services.peers.set_current(user_id, moved.id, now)
    _log.info("request %s handed over", moved.code)
    await services.audit.record(now, "peer", ACCEPTED, actor_id=user_id, request_id=moved.id,
                                request_code=moved.code, detail=f"peer:{from_id}")
    await cards.rewrite(services, moved, "card_claimed", alias=peer.alias)
    await services.say(moved.responder_chat_id, Reply("transfer_responder",
                                                      {"alias": peer.alias}),
                       what=f"request {moved.code}: the hand-over notice")
    if moved.high_risk:
        await services.say(user_id, Reply("peer_risk_flag", {"code": moved.code,
                                                             "why": risk.why(moved)}),
                           what=f"request {moved.code}: a risk flag to the peer")
    told = await _after_hand_over(services, from_id, moved, peer.alias)
    await services.say(from_id, told, what=f"request {moved.code}: an accepted hand-over")
    return Answer("transfer_accepted", {"code": moved.code}), None


async def _after_hand_over(services: Services, from_id: int, moved: Request, alias: str,
                           ) -> Reply:
    """What the offering peer is told once `moved` is handed over. They are never moved to
    another conversation silently: if they were writing to this one (or had not chosen) and
    hold others, their messages go nowhere until they choose one with /switch (see
    `guards.current_conversation`); a conversation they had chosen stays chosen."""
    earlier = await services.peers.get(from_id)
    remaining = await services.requests.claimed_by(from_id)
    fields: dict[str, object] = {"alias": alias, "code": moved.code}
    chosen = next((r for r in remaining
                   if earlier is not None and r.id == earlier.current_request_id), None)
    if chosen is not None:
        return Reply("transfer_accepted_notice_next", {**fields, "next": chosen.code})
    if not remaining:
        await services.peers.set_current(from_id, None, services.clock())
        return Reply("transfer_accepted_notice", fields)
    # Still (or now) pointing at the conversation handed over: the next message asks them.
    await services.peers.set_current(from_id, moved.id, services.clock())
    return Reply("transfer_accepted_notice_switch",
                 {**fields, "codes": ", ".join(r.code for r in remaining)})
