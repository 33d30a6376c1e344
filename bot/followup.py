"""Timers of a claimed conversation: a peer who has not written yet, and a conversation that
has gone quiet on both sides (PEER_REPLY_MINUTES, INACTIVITY_HOURS)."""

from __future__ import annotations

from bot import closing, ladder, team
from bot.durations import describe
from bot.replies import Reply
from bot.services import Services
from storage.requests import Request, State


def _reply_seconds(services: Services) -> int:
    return round(services.settings.peer_reply_minutes * 60)


def _inactive_seconds(services: Services) -> int:
    return round(services.settings.inactivity_hours * 3600)


def schedule(services: Services, request: Request) -> None:
    """Wake-ups for a claimed request, from what the database says."""
    assert request.claimed_at is not None
    if request.peer_last_message_at is None:
        reminders = 1 if request.peer_reminded else 0
        when = request.claimed_at + _reply_seconds(services) * (reminders + 1)
        services.timers.at(f"silence:{request.id}", when,
                           lambda: check_silence(services, request.id))
    last = request.last_activity_at or request.claimed_at
    services.timers.at(f"inactive:{request.id}", last + _inactive_seconds(services),
                       lambda: check_inactive(services, request.id))


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
    refreshed = await services.requests.get(request_id)
    if refreshed is not None and refreshed.state is State.CLAIMED:
        schedule(services, refreshed)


async def check_inactive(services: Services, request_id: str) -> None:
    """Close a conversation silent on both sides for INACTIVITY_HOURS, kindly."""
    request = await services.requests.get(request_id)
    if request is None or request.state is not State.CLAIMED or request.claimed_at is None:
        return
    last = request.last_activity_at or request.claimed_at
    if services.clock() < last + _inactive_seconds(services):
        schedule(services, request)
        return
    await closing.close_inactive(services, request)


async def _tell_peer(services: Services, peer_id: int, reply: Reply) -> None:
    await services.say(peer_id, reply, what="a follow-up notice to a peer")
