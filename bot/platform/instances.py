"""This process among the bot's instances on one database.

One instance is the default: SQLite, or PostgreSQL with long polling (one instance polls, the
others stand by: bot/runner.py). In webhook mode on PostgreSQL every instance is active: each
receives some of Telegram's POSTs, and they share the work through the database:

- an update is handled by the instance that stored it first (the inbox is keyed by update_id);
  one chat's updates are handled in the order they came, across instances (bot/platform/inbox.py);
- an outbox row is sent by the one instance that marked it sending, one row per chat at a time
  (storage/outbox.py); Telegram's flood budget is split between the instances alive;
- timers are wake-ups only: each step is taken by one conditional write, whoever fires it, and
  the sweep, on one instance per period, runs whatever is due, including what a dead instance
  had timers for;
- periodic work (the sweep, the retention purge, the membership round) runs where its lease for
  the period was taken (`only_one`).

Each instance says it is alive every HEARTBEAT_SECONDS (`keep_alive`); what a dead one held
(updates half-handled, rows in flight) is taken over by the others once it has been silent for
DEAD_AFTER_SECONDS, at once if it stopped cleanly (storage/instances.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storage.errors import StorageError
from storage.instances import HEARTBEAT_SECONDS

if TYPE_CHECKING:
    from bot.platform.inbox import Inbox
    from bot.platform.services import Services

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Instance:
    """Who this process is among the instances: a fresh id for each start (never a user's or
    a machine's), and whether others may be running on the same database now (`shared`)."""

    shared: bool = False
    id: str = field(default_factory=lambda: secrets.token_hex(6))


async def only_one(services: Services, name: str, seconds: int,
                   work: Callable[[], Awaitable[None]]) -> None:
    """Run periodic `work` (every `seconds`) here, unless another instance took it for this
    period."""
    instance = services.instance
    if instance.shared and not await services.instances.take_job(
            name, instance.id, services.clock(), seconds):
        return
    try:
        await work()
    except asyncio.CancelledError:  # stopped half-way (a shutdown): this period's is not done
        if instance.shared:
            with contextlib.suppress(StorageError):
                await services.instances.release_job(name, instance.id)
        raise


async def keep_alive(services: Services, inbox: Inbox, done: asyncio.Event) -> None:
    """With other instances about: say this one is alive, and share the flood budget by how
    many are; meanwhile, apart (so that a slow take-over never makes this one look dead),
    take over what dead ones left. Until `done` (set once this instance has finished what it
    had in hand), then leave, so that what is left here is taken over at once."""
    try:
        await asyncio.gather(_beat(services, done), _take_over(services, inbox, done))
    finally:
        with contextlib.suppress(StorageError):
            await services.instances.leave(services.instance.id, services.clock())


async def _beat(services: Services, done: asyncio.Event) -> None:
    unreachable = False
    while not done.is_set():
        try:
            now = services.clock()
            await services.instances.beat(services.instance.id, now)
            services.outbox.pacing.shares = max(1, await services.instances.alive(now))
        except StorageError as exc:
            if not unreachable:
                _log.warning("the instance heartbeat could not be written (%s); trying again",
                             type(exc).__name__)
            unreachable = True
        else:
            unreachable = False
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), HEARTBEAT_SECONDS)


async def _take_over(services: Services, inbox: Inbox, done: asyncio.Event) -> None:
    while not done.is_set():
        try:
            await inbox.take_over()
            await services.outbox.take_over()
        except StorageError as exc:  # the heartbeat says the database cannot be reached
            _log.debug("take-over skipped (%s)", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), HEARTBEAT_SECONDS)
