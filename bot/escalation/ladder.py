"""The escalation ladder of an unclaimed request (see ESCALATION_SCHEDULE).

When it enters the queue, on-call peers who speak the responder's language (/languages) are
notified; if none does (or none can be reached), every on-call peer is.

Delays count from when the request entered the queue:
  step 1: re-post the card in the group and notify every on-call peer again;
  step 2: notify every coordinator in private (code, waiting time, why they are told now and
          what they can do: never who asked or what they wrote); at once if no on-call peer
          could be told (after a hand-back that left nobody else on call, the step is taken
          but the hand-back's alert, which says so, is the coordinators' one message);
  step 3: notify the backup chat, if any (with whom to contact: BACKUP_CONTACT), and the
          coordinators again.
At every step the responder gets a calm update with the crisis line. A step is taken by one
conditional UPDATE of the request's step counter, and its messages are outbox rows keyed by
request, queue entry and step, so a duplicate, late or restarted timer (or a crash mid-step)
never sends a step's messages twice. Several steps due at once (after a restart, or a shorter
schedule) are caught up together: one message to each person (the responder, each
coordinator, the backup chat), not one per step.
"""

from __future__ import annotations

import contextlib
import logging

from bot.platform import keyboards
from bot.platform.durations import describe
from bot.platform.outbox import send_scope
from bot.platform.replies import Phrase, Reply
from bot.platform.services import Services
from bot.platform.timers import isolated
from bot.requests import cards
from bot.team import roster
from storage.peers import Peer
from storage.requests import Request, State

_log = logging.getLogger(__name__)

STEPS = 3
COORDINATOR_STEP = 2


WAKE_TIMER = "escalate"


def deadline(services: Services, queued_at: int, done: int) -> int | None:
    """When step `done + 1` is due, or None after the last step."""
    if done >= STEPS:
        return None
    return queued_at + round(services.settings.escalation_schedule[done])


def wake_by(services: Services, when: int) -> None:
    """Make sure the ladder wakes up by `when`. One timer serves every waiting request: it
    fires at the earliest deadline in the database, takes every step due then, and sleeps
    until the next; so 10,000 waiting requests cost one timer, not 10,000."""
    services.timers.by(WAKE_TIMER, when, lambda: wake(services))


async def wake(services: Services) -> None:
    """Take every step that is due now, then set the timer for the next deadline."""
    for request_id in await services.requests.ladder_due(services.clock()):
        await isolated("an escalation step", advance(services, request_id))
    upcoming = await services.requests.next_ladder_step()
    if upcoming is not None:
        wake_by(services, upcoming)


async def start(services: Services, request: Request, exclude: int | None = None, *,
                coordinators_told: bool = False) -> str:
    """A request entered the queue: tell the on-call peers (but `exclude`, the peer who just
    handed it back) and set its ladder going. Returns the key of the acknowledgement the
    responder should get. `coordinators_told`: the hand-back alert just told the coordinators
    that no other peer is on call; if indeed nobody could be told, the ladder still jumps to
    their step, but they do not get a second alert for the same event."""
    eligible = await roster.eligible(services, request)
    peers = [p for p in eligible if p.user_id != exclude]
    # Peers who speak the responder's language hear first; the others at step 1 (and from
    # the group card at once), or now if none of the speakers could be reached.
    speakers = [p for p in peers if request.intake.language in p.languages]
    urgent = request.intake.urgency == "now" or request.high_risk
    # A follow-up after a check-in (bot/requests/checkins.py) is offered first to the peer
    # who held the earlier conversation, if they can be told now; the others as above, at
    # step 1 (the group card at once). Not when it is urgent: then everyone at once.
    previous = [p for p in peers if p.user_id == request.intake.previous_peer]
    reached = 0
    if previous and not urgent:
        reached = await roster.notify(services, request, previous)
    if not reached:
        reached = await roster.notify(services, request, speakers)
    if not reached:
        reached = await roster.notify(services, request,
                                      [p for p in peers if p not in speakers])
    if urgent or not reached:
        # Nobody on call, "now", or flagged high risk: the coordinators are alerted at once
        # (step 2), unless the ladder took it or a later step meanwhile (never wound back).
        early = None
        if not reached:  # the peer who just handed it back may be on call: nobody else is
            early = Phrase("alert_why_only_peer_released" if not peers and eligible
                           else "alert_why_nobody_on_call")
        if await services.requests.jump_ladder(request.id, COORDINATOR_STEP - 1,
                                               services.clock()):
            # (A crash before the step is taken: the sweep takes it again, with the ladder's
            # alert, under its own keys; so at most that alert more, never one twice.)
            await advance(services, request.id, tell_responder=False, early=early,
                          tell_coordinators=not (coordinators_told and not reached))
    else:
        queued_at = request.queued_at or services.clock()
        first = deadline(services, queued_at, 0)
        assert first is not None
        await services.requests.set_ladder(request.id, 0, first)
        wake_by(services, first)
    if not reached:
        return "request_opened_nobody_on_call"
    if request.high_risk and request.intake.urgency != "now":
        return "request_opened_flagged"  # the crisis message just before said why
    return "request_opened_urgent" if urgent else "request_opened"


async def advance(services: Services, request_id: str, tell_responder: bool = True, *,
                  early: Phrase | None = None, tell_coordinators: bool = True) -> None:
    """Take every step that is due now, once each, in one catch-up; schedule the next one.
    `early`: why the coordinators are told before their step, when no on-call peer could be
    told of it (`alert_why_nobody_on_call`, `alert_why_only_peer_released`).
    `tell_coordinators`: False when a hand-back alert has just said as much (see `start`)."""
    request = await services.requests.get(request_id)
    if request is None or request.state is not State.OPEN or request.next_step_at is None:
        return
    now = services.clock()
    if request.next_step_at > now:
        wake_by(services, request.next_step_at)
        return
    assert request.queued_at is not None
    first = request.escalation_step + 1
    last = first
    while (due := deadline(services, request.queued_at, last)) is not None and due <= now:
        last += 1  # the next step fell due too (a restart, a shorter schedule): catch it up
    next_at = deadline(services, request.queued_at, last)
    # The messages are queued first, under keys unique to this request's first pending step,
    # and the steps are marked taken after: a crash in between repeats the catch-up at start,
    # which finds its messages already queued or sent (a step due since then adds only the
    # messages it alone sends, such as the backup chat's).
    await _perform(services, request, first, last, tell_responder=tell_responder,
                   tell_coordinators=tell_coordinators,
                   label=f"s{request_id}.{request.queued_at}.{first}", early=early)
    requests = services.requests
    taken = (await requests.take_step(request_id, first - 1, next_at, now) if last == first
             else await requests.take_steps(request_id, first - 1, last, next_at, now))
    if not taken:
        return  # another timer or the sweep took them (their messages were the same rows)
    services.metrics.escalated(first, last)
    if last == first:
        _log.info("request %s: escalation step %d", request.code, last)
    else:
        _log.info("request %s: escalation steps %d-%d caught up", request.code, first, last)
    if next_at is not None:
        wake_by(services, next_at)


async def _still_waiting(services: Services, request_id: str) -> bool:
    """A claim may land while a step is sending; each outward action checks first."""
    latest = await services.requests.get(request_id)
    return latest is not None and latest.state is State.OPEN


async def _perform(services: Services, request: Request, first: int, last: int, *,
                   tell_responder: bool, label: str, early: Phrase | None = None,
                   tell_coordinators: bool = True) -> None:
    """Steps `first` to `last`, as one: the card and the peers once if step 1 is among them,
    one alert to each coordinator if a later one is (unless `tell_coordinators` is False), the
    backup chat at the last step, and one update to the responder.

    Each of these sends under keys of its own (`label`, then what it is): two runs of the
    same step (on two instances, or again after a crash) that find the request in different
    states, one sending a part the other skips, still make each message once."""
    def part(name: str) -> contextlib.AbstractContextManager[None]:
        return send_scope(f"{label}.{name}", request_id=request.id)

    waited = describe(services.clock() - (request.opened_at or request.created_at))
    if first == 1:
        if await _still_waiting(services, request.id):
            with part("card"):
                await cards.repost(services, request, "card_reposted")
        if await _still_waiting(services, request.id):
            with part("peers"):
                await roster.notify(services, request,
                                    await roster.eligible(services, request))
    if last >= COORDINATOR_STEP and tell_coordinators:
        why = early or _why(services, request, last)
        with part("coordinators"):
            await coordinators(services, "coordinator_waiting", code=request.code,
                               waited=waited, why=why, advice=_advice(why))
    backup = services.settings.backup_chat_id
    if last == STEPS and backup is not None:
        with part("backup"):
            contact = _backup_contact(services, request)
            await _send(services, backup, Reply("backup_waiting", {
                "code": request.code, "waited": waited, "contact": contact}))
    if tell_responder and await _still_waiting(services, request.id):
        with part("responder"):
            await _send(services, request.responder_chat_id,
                        Reply("responder_still_waiting", {"code": request.code},
                              keyboards.still_waiting))


_NOBODY_TO_ASK = ("alert_why_nobody_on_call", "alert_why_only_peer_released")


def _advice(why: Phrase) -> Phrase:
    """What the coordinators can do: ask an on-call peer (/roster), or, when no peer on call
    could be told, get a peer to go on call (or claim it themselves)."""
    if why.key in _NOBODY_TO_ASK:
        return Phrase("alert_advice_nobody_on_call")
    return Phrase("alert_advice_ask_on_call")


def _why(services: Services, request: Request, last: int) -> Phrase:
    """Why the coordinators are told now, from the request itself (also after a restart):
    before their step of the ladder ("Now", flagged high risk, else nobody on call), or the
    step it reached."""
    assert request.queued_at is not None
    own_step = deadline(services, request.queued_at, COORDINATOR_STEP - 1)
    if own_step is not None and services.clock() < own_step:
        if request.high_risk:
            return Phrase("alert_why_high_risk")
        if request.intake.urgency == "now":
            return Phrase("alert_why_now")
        return Phrase("alert_why_nobody_on_call")  # the one other reason to come early
    values: dict[str, object] = {"step": last, "steps": STEPS}
    if last < STEPS:
        return Phrase("alert_why_step", values)
    if services.settings.backup_chat_id is not None:
        return Phrase("alert_why_last_step_backup", values)
    return Phrase("alert_why_last_step", values)


def _backup_contact(services: Services, request: Request) -> Phrase:
    """Whom the backup chat should contact (BACKUP_CONTACT), or the way to the team without
    it: never a dead end, and never anything about the responder."""
    contact = services.settings.backup_contact
    if contact:
        return Phrase("backup_contact", {"contact": contact, "code": request.code})
    return Phrase("backup_contact_none", {"code": request.code})


async def coordinators(services: Services, key: str, **values: object) -> None:
    """Tell every coordinator in private, in their language; never more than codes, aliases
    and times."""
    for coordinator_id in sorted(services.settings.coordinator_ids):
        await _send(services, coordinator_id, Reply(key, dict(values)))


async def _send(services: Services, chat_id: int, reply: Reply) -> None:
    await services.say(chat_id, reply, what="an escalation notice")


async def requeue(services: Services, request: Request, peer: Peer, *,
                  reason: str | Phrase | None, silent: bool,
                  told: str = "responder_peer_stepped_away") -> bool:
    """Put a claimed request back in the queue: the card reappears, on-call peers are told,
    the ladder starts again, and the responder (with the text `told`) and coordinators are
    told why."""
    now = services.clock()
    first_step = deadline(services, now, 0)
    assert first_step is not None
    if not await services.requests.release(request.id, peer.user_id, now, first_step,
                                           only_if_silent=silent):
        return False
    released = await services.requests.get(request.id)
    assert released is not None
    _log.info("request %s is back in the queue", released.code)
    await services.audit.record(now, "peer", "release", actor_id=peer.user_id,
                                request_id=released.id, request_code=released.code,
                                detail="silent" if silent else None)
    await cards.repost(services, released, "card_released")
    await _send(services, released.responder_chat_id, Reply(told, {"alias": peer.alias}))
    alone = not await _others_on_call(services, peer, now)
    key, values = _requeued_alert(released, peer, now, reason=reason, silent=silent,
                                  alone=alone)
    await coordinators(services, key, **values)
    await start(services, released, exclude=peer.user_id, coordinators_told=alone)
    return True


async def _others_on_call(services: Services, peer: Peer, now: int) -> bool:
    """Whether a peer other than `peer` is on call (whom /roster would list to ask)."""
    return any(p.user_id != peer.user_id for p in await services.peers.on_call(now))


def _requeued_alert(request: Request, peer: Peer, now: int, *, reason: str | Phrase | None,
                    silent: bool, alone: bool) -> tuple[str, dict[str, object]]:
    """The coordinators' alert of a request back in the queue (a silent peer, or handed back
    with a reason): /roster to find whom to ask, or, when nobody else is on call, that and what
    to do instead, with how long ago it was opened (the ladder's own alert, which would have
    said that, is then not sent as well: see `start`)."""
    values: dict[str, object] = {"code": request.code, "alias": peer.alias}
    if silent:
        key = "coordinator_peer_silent_nobody_on_call" if alone else "coordinator_peer_silent"
    else:
        key = "coordinator_released_nobody_on_call" if alone else "coordinator_released"
        values["reason"] = reason or Phrase("no_reason_given")
    if alone:
        values["waited"] = describe(now - (request.opened_at or request.created_at))
    return key, values
