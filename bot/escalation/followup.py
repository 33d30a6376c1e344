"""Follow-ups of a claimed conversation: a peer who has not written yet (reminded at
PEER_REPLY_MINUTES, released at twice that), and a conversation that has gone quiet on both
sides (closed at INACTIVITY_HOURS).

Every deadline is computed in SQL from plain columns (`followups_due` in storage/requests.py),
so one timer serves every conversation, as one serves the ladder: it fires at the earliest
deadline, runs whatever is due then and sleeps until the next. A deadline that moves later
(someone wrote) costs nothing until the timer finds nothing due and sleeps again; only one
earlier than the armed timer (a new claim) re-arms it.
"""

from __future__ import annotations

import logging

from bot.escalation import ladder
from bot.platform.durations import describe
from bot.platform.replies import Reply
from bot.platform.services import Services
from bot.platform.timers import isolated
from bot.requests import closing
from bot.team import members as team
from storage.requests import Request, State

_log = logging.getLogger(__name__)
WAKE_TIMER = "followup"


def _reply_seconds(services: Services) -> int:
    return round(services.settings.peer_reply_minutes * 60)


def _inactive_seconds(services: Services) -> int:
    return round(services.settings.inactivity_hours * 3600)


def schedule(services: Services, request: Request) -> None:
    """A conversation was just claimed: the timer must wake up by its first deadline."""
    assert request.claimed_at is not None
    last = request.last_activity_at or request.claimed_at
    when = last + _inactive_seconds(services)
    if request.peer_last_message_at is None:
        reminders = 1 if request.peer_reminded else 0
        when = min(when, request.claimed_at + _reply_seconds(services) * (reminders + 1))
    wake_by(services, when)


def wake_by(services: Services, when: int) -> None:
    """Make sure the follow-up timer fires by `when`; a later wish leaves it as it is."""
    services.timers.by(WAKE_TIMER, when, lambda: wake(services))


async def wake(services: Services) -> None:
    """Run every follow-up due now (the timer and the sweep both call this), then set the
    timer for the next deadline."""
    now = services.clock()
    reply, idle = _reply_seconds(services), _inactive_seconds(services)
    for request_id in await services.requests.followups_due(now, reply, idle):
        for check in (check_silence, check_inactive):
            await isolated("a follow-up check", check(services, request_id))
    upcoming = await services.requests.next_followup(now, reply, idle)
    if upcoming is not None:
        wake_by(services, upcoming)


async def check_silence(services: Services, request_id: str) -> None:
    """Remind a peer who has not written since claiming; then give the request back."""
    request = await services.requests.get(request_id)
    if (request is None or request.state is not State.CLAIMED or request.peer_id is None
            or request.peer_last_message_at is not None or request.claimed_at is None):
        return
    now, wait = services.clock(), _reply_seconds(services)
    if now >= request.claimed_at + 2 * wait:
        peer = await services.peers.get(request.peer_id)
        if peer is not None and await ladder.requeue(services, request, peer, reason=None,
                                                     silent=True):
            await _tell_peer(services, peer.user_id,
                             Reply("peer_silent_released", {"code": request.code}))
            await team.move_on(services, peer.user_id, request)
        return
    if now >= request.claimed_at + wait and await services.requests.mark_peer_reminded(
            request_id):
        waited = describe(now - request.claimed_at)
        await _tell_peer(services, request.peer_id,
                         Reply("peer_reply_reminder", {"code": request.code, "waited": waited}))


async def check_inactive(services: Services, request_id: str) -> None:
    """Close a conversation silent on both sides for INACTIVITY_HOURS, kindly."""
    request = await services.requests.get(request_id)
    if request is None or request.state is not State.CLAIMED or request.claimed_at is None:
        return
    last = request.last_activity_at or request.claimed_at
    if services.clock() >= last + _inactive_seconds(services):
        await closing.close_inactive(services, request)


async def _tell_peer(services: Services, peer_id: int, reply: Reply) -> None:
    await services.say(peer_id, reply, what="a follow-up notice to a peer")
