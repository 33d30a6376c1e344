"""Peer care: after a high-risk conversation, a pause from notices and a debrief on request.

When a conversation flagged high risk (`request.high_risk`: the safety question, /urgent or
the crisis screen) ends while a peer holds it, whichever way it ends (the peer's /close, the
responder's /end, or the inactivity close: the peer carried it either way), that peer:

- gets no on-call notices of new requests for PEER_COOLDOWN_MINUTES (0: no pause). They stay
  on call otherwise: the group card and its Claim button are theirs as before, /roster and
  /stats count them on call. Another such close during the pause runs it from the later one.
- gets a short message acknowledging the conversation, with a button to ask for a debrief
  (when COORDINATOR_IDS names someone to ask). The button tells every coordinator the peer's
  alias and the request code, nothing else, and works once per conversation (a conditional
  UPDATE of the request); a second press says it was sent, anyone else's press is refused.

The pause is a column (`peers.cooldown_until`), so it survives a restart, and who is told of
a request (`roster.eligible`) compares it with the clock: notices resume on time whatever
happens to timers. When it runs out the peer is told, once (ending it is a conditional
UPDATE), if they are still on call; a timer wakes for the earliest end and the sweep
(bot/escalation/sweep.py) catches what a timer missed.

The audit log records `cooldown_started`, `cooldown_ended` and `debrief_asked`: actions, the
request code and the peer, never any text.
"""

from __future__ import annotations

import logging

from bot.platform import afterwards, keyboards
from bot.platform.durations import describe
from bot.platform.replies import Answer, Phrase, Reply
from bot.platform.services import Services
from bot.platform.timers import isolated
from storage.requests import Request, State

_log = logging.getLogger(__name__)
WAKE_TIMER = "cooldown"
DEBRIEF_ASKED = "debrief_asked"  # the audit action /stats counts


async def after_close(services: Services, request: Request, peer_id: int) -> None:
    """A conversation this peer held has ended: if it was high risk, look after them."""
    latest = await services.requests.get(request.id)
    if latest is None or not latest.high_risk:
        return  # (read again: /urgent may have come after `request` was read)
    peer = await services.peers.get(peer_id)
    if peer is None:
        return  # removed by a coordinator meanwhile
    now = services.clock()
    seconds = round(services.settings.peer_cooldown_minutes * 60)
    pause: str | Phrase = ""
    if seconds > 0:
        until = now + seconds
        await services.peers.start_cooldown(peer_id, until)
        await services.audit.record(now, "system", "cooldown_started", request_id=latest.id,
                                    request_code=latest.code, detail=f"peer:{peer_id}")
        wake_by(services, until)
        pause = Phrase("peer_care_pause", {"duration": describe(seconds)})
        _log.info("request %s: its peer pauses from on-call notices", latest.code)
    offer = bool(services.settings.coordinator_ids)
    reply = Reply("peer_care", {"code": latest.code, "pause": pause,
                                "debrief": Phrase("peer_care_debrief") if offer else ""},
                  (lambda texts: keyboards.debrief(texts, latest.id)) if offer else None)
    # After the answer to the command that closed it (/close: "Conversation closed").
    await afterwards.later(_say(services, peer_id, reply))


async def _say(services: Services, peer_id: int, reply: Reply) -> None:
    await services.say(peer_id, reply, what="a word after a high-risk conversation")


# ------------------------------------------------------------------ the debrief button


async def ask_debrief(services: Services, user_id: int, data: str) -> tuple[Answer, Reply | None]:
    """The debrief button: every coordinator gets the alias and the request code. What the
    presser is answered, and what they are told when it went (None: nothing more)."""
    match = keyboards.DEBRIEF_PATTERN.match(data)
    request = await services.requests.get(match.group(1)) if match else None
    if (request is None or request.state is not State.CLOSED or not request.high_risk
            or not services.settings.coordinator_ids):
        return Answer("stale_button"), None
    if request.peer_id != user_id:
        return Answer("debrief_not_yours", alert=True), None
    peer = await services.peers.get(user_id)
    if peer is None:
        return Answer("stale_button"), None
    now = services.clock()
    if not await services.requests.mark_debrief_asked(request.id, user_id, now):
        return Answer("debrief_already"), None
    await services.audit.record(now, "peer", DEBRIEF_ASKED, actor_id=user_id,
                                request_id=request.id, request_code=request.code)
    for coordinator_id in sorted(services.settings.coordinator_ids):
        await services.say(coordinator_id, Reply("coordinator_debrief_asked",
                                                 {"alias": peer.alias, "code": request.code}),
                           what="a debrief request")
    _log.info("request %s: its peer asked for a debrief", request.code)
    return Answer(), Reply("debrief_sent")


# ------------------------------------------------------------------ the end of a pause


def wake_by(services: Services, when: int) -> None:
    """Make sure a timer wakes by `when` (one timer for every peer's pause, at the earliest)."""
    services.timers.by(WAKE_TIMER, when, lambda: wake(services))


async def wake(services: Services) -> None:
    """End every pause that has run out, then set the timer for the next."""
    for user_id in await services.peers.cooldowns_due(services.clock()):
        await isolated("the end of a pause", end(services, user_id))
    upcoming = await services.peers.next_cooldown_end()
    if upcoming is not None:
        wake_by(services, upcoming)


async def end(services: Services, user_id: int) -> None:
    """The pause is over (once): notices resume, and a peer still on call is told so."""
    now = services.clock()
    if not await services.peers.end_cooldown(user_id, now):
        return
    await services.audit.record(now, "system", "cooldown_ended", detail=f"peer:{user_id}")
    peer = await services.peers.get(user_id)
    if peer is not None and peer.on_call_until is not None and peer.on_call_until > now:
        await services.say(user_id, Reply("peer_cooldown_over"), what="the end of a pause")
