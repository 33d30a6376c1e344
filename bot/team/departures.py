"""Peers who left the peer group in Telegram (they left, or an admin removed them) without a
coordinator's /removepeer: their conversations go back to the queue.

They are found two ways. A timer asks Telegram about the peers who hold conversations (nobody
else: a peer who holds none reaches no responder), at most CHECKS_PER_ROUND each round and
each peer at most once per membership cache period (bot/team/members.py), so it costs a few calls a
minute however many conversations there are. And a peer's message is checked before it is
passed on, with an answer at most RELAY_RECHECK_SECONDS old. Telegram not answering is never
taken for "left".

A peer found outside the group is taken off call, each conversation they hold goes back to
the queue as with /removepeer (its responder is told kindly, the coordinators are told why),
and they are told. Their registration stays: back in the group, they can go on call again.
"""

from __future__ import annotations

import logging

from bot.escalation import ladder
from bot.platform.instances import only_one
from bot.platform.replies import Phrase, Reply
from bot.platform.services import Services
from bot.team import members as team
from bot.team import roster
from storage.peers import Peer

_log = logging.getLogger(__name__)

TIMER = "membership"
ROUND_SECONDS = 30
FIRST_ROUND_SECONDS = 5  # after start: not in the way of start-up itself
CHECKS_PER_ROUND = 10
RELAY_RECHECK_SECONDS = 30


def start(services: Services) -> None:
    """Set the timer going (its first round shortly after start-up)."""
    _schedule(services, FIRST_ROUND_SECONDS)


def _schedule(services: Services, delay: float) -> None:
    services.timers.at(TIMER, services.clock() + delay, lambda: _round(services))


async def _round(services: Services) -> None:
    try:
        await only_one(services, TIMER, ROUND_SECONDS, lambda: check_holders(services))
    finally:
        _schedule(services, ROUND_SECONDS)


async def check_holders(services: Services) -> None:
    """Ask Telegram about the peers holding conversations whose last answer is oldest (or
    missing), CHECKS_PER_ROUND at most; hand back the conversations of any who left."""
    now = services.clock()
    holders = await services.requests.open_count_by_peer()
    stale = []
    for peer_id in holders:
        checked = team.membership_checked_at(services, peer_id)
        if checked is None or now - checked >= team.MEMBERSHIP_CACHE_SECONDS:
            stale.append((checked or 0, peer_id))
    for _, peer_id in sorted(stale)[:CHECKS_PER_ROUND]:
        try:
            if await team.membership(services, peer_id) is False:
                await _gone(services, peer_id)
        except Exception as exc:  # one peer's failure must not stop the others' checks
            _log.exception("a membership check failed (%s)", type(exc).__name__)


async def before_relay(services: Services, user_id: int) -> Reply | None:
    """Someone wrote in private. If they are a peer holding conversations who has left the
    peer group, those go back to the queue and nothing they wrote is passed on: the Reply
    saying so. None for everyone else (their message is handled as usual)."""
    peer = await services.peers.get(user_id)
    if peer is None or await services.requests.live_for_responder(user_id) is not None:
        return None  # not a peer, or writing about their own request: not passed to anyone
    if not await services.requests.claimed_by(user_id):
        return None
    if await team.membership(services, user_id, max_age=RELAY_RECHECK_SECONDS) is not False:
        return None
    await hand_back(services, peer)
    return Reply("peer_left_group")


async def _gone(services: Services, user_id: int) -> None:
    peer = await services.peers.get(user_id)
    if peer is not None and await hand_back(services, peer):
        await services.say(user_id, Reply("peer_left_group"),
                           what="the notice of a peer who left the group")


async def hand_back(services: Services, peer: Peer) -> int:
    """Off call, and every conversation the peer holds back in the queue; how many went."""
    await roster.take_off_call(services, peer.user_id)
    back = 0
    for request in await services.requests.claimed_by(peer.user_id):
        back += await ladder.requeue(services, request, peer, reason=Phrase("left_group_reason"),
                                     silent=False, told="responder_peer_left")
    await services.peers.set_current(peer.user_id, None, services.clock())
    _log.info("a peer who left the peer group: %d conversation(s) back in the queue", back)
    return back
