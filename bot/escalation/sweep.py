"""Start-up and the periodic sweep: the database is the truth, timers are only wake-ups.

At start every overdue step runs at once (each still only once), and the timers are set for the
next deadlines: one for the ladder, one for the follow-ups of claimed conversations, two per
on-call peer, one for the earliest end of a peer's pause after a high-risk conversation
(bot/team/care.py), one for the earliest follow-up check-in (bot/requests/checkins.py), and
one that re-checks the membership of peers holding conversations
(bot/team/departures.py). Every SWEEP_SECONDS the sweep runs whatever is due, catching a
timer that a blocked event loop or a crash made us miss, or that another instance set and
did not live to fire (with several instances the sweep runs on one of them each time:
bot/platform/instances.py). It asks the database only for what is due, so it costs what
changed, not every conversation there is.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from bot.escalation import followup, ladder
from bot.platform.instances import only_one
from bot.platform.services import Services
from bot.platform.timers import isolated
from bot.requests import checkins, resend
from bot.safety import erasure
from bot.team import care, departures, roster

_log = logging.getLogger(__name__)
SWEEP_SECONDS = 15


async def _isolated(what: str, work: Awaitable[None]) -> None:
    """One request's or peer's failure must not stop the sweep for everyone else."""
    await isolated(f"sweep: {what}", work)


async def sweep(services: Services) -> None:
    now = services.clock()
    for request_id in await services.requests.ladder_due(now):
        await _isolated("an escalation step", ladder.advance(services, request_id))
    await _isolated("the follow-ups", followup.wake(services))
    await _isolated("the ends of pauses", care.wake(services))  # after high-risk conversations
    await _isolated("the check-ins", checkins.wake(services))  # follow-ups a responder chose
    for peer in await services.peers.with_on_call_period():
        until = peer.on_call_until
        assert until is not None
        period = until - (peer.on_call_since or until)
        if until <= now:
            await _isolated("an off-call", roster.expire(services, peer.user_id))
        elif not peer.on_call_reminded and until - roster.reminder_lead(period) <= now:
            await _isolated("an off-call reminder", roster.remind(services, peer.user_id))
    if services.instance.shared:
        # Send again notices whose timer was on an instance that died (each is sent once:
        # naming a message is conditional, storage/resends.py).
        for request_id, sender in await services.outbox.rows.resends.held_writers():
            await _isolated("a Send again notice", resend.announce(services, request_id, sender))


async def start(services: Services) -> None:
    """Start the timers, rebuild them from the database, then keep sweeping."""
    services.timers.start()
    await rebuild(services)
    services.timers.every("sweep", SWEEP_SECONDS,
                          lambda: only_one(services, "sweep", SWEEP_SECONDS,
                                           lambda: sweep(services)))
    departures.start(services)  # peers who left the group, among those holding conversations
    services.timers.every("retention", erasure.RETENTION_TIMER_SECONDS,
                          lambda: only_one(services, "retention",
                                           erasure.RETENTION_TIMER_SECONDS,
                                           lambda: _purge(services)))


async def _purge(services: Services) -> None:
    await erasure.purge(services)


async def rebuild(services: Services) -> None:
    """Run everything overdue now (once each; the sweep also sets the follow-up timer), and
    set the timers for the next deadlines."""
    await sweep(services)
    pending = await services.requests.ladder_pending_count()
    upcoming = await services.requests.next_ladder_step()
    if upcoming is not None:
        ladder.wake_by(services, upcoming)
    claimed = await services.requests.claimed_count()
    for peer in await services.peers.with_on_call_period():
        assert peer.on_call_until is not None
        period = peer.on_call_until - (peer.on_call_since or peer.on_call_until)
        roster.schedule(services, peer.user_id, peer.on_call_until, period)
    _log.info("timers rebuilt: %d ladders, %d conversations", pending, claimed)
