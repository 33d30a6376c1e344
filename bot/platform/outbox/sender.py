"""Delivery: outbox rows to Telegram, each chat in its order, many chats at once.

A row is stored first and, when nothing waits before it and no limit applies, sent at once for
the caller waiting on it; otherwise the background sender (`run`) delivers it when it is due,
after a restart too. Every stored row's call goes through `_attempt`, which decides from
Telegram's answer what the row became: sent, kept for later (a 429, network trouble:
`Queued`), refused or given up on (`DeliveryError`), or, for a relayed message whose call may
have arrived, uncertain and never repeated. What a row's purpose names is then followed up by
a hook (`on_sent`, `on_failed`), after the chat's lock is released. (`_direct` sends without a
row: when the database cannot store one, and for `Outbox.send_untracked`.)
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.platform import faults
from bot.platform.metrics import Metrics
from bot.platform.outbox.errors import DeliveryError, Queued
from bot.platform.outbox.pacing import (
    MAX_ATTEMPTS,
    PERSON,
    Pacing,
    backoff,
    may_have_arrived,
    priority_of,
    seconds_of,
)
from bot.platform.outbox.scope import current_scope, send_scope
from bot.platform.outbox.telegram import call, message_id_of
from storage.errors import StorageError
from storage.outbox import OutboxRepository, OutboxRow, Purpose, PurposeKind
from storage.session import Write

_log = logging.getLogger(__name__)

SENDER_TICK_SECONDS = 0.25
# A follow-up: given the row's purpose, the row (its chat, its `outcome`) and the message id.
Hook = Callable[[Purpose, OutboxRow, int | None], Awaitable[None]]


class Sender:
    """The delivery machinery under `Outbox` (bot/platform/outbox/api.py)."""

    def __init__(self, bot: Bot, rows: OutboxRepository,
                 clock: Callable[[], float] = time.time, *, owner: str | None = None,
                 alone: bool = True, metrics: Metrics | None = None) -> None:
        self._bot = bot
        self._metrics = metrics or Metrics()  # counts the 429s (bot/platform/metrics.py)
        self._rows = rows
        self.rows = rows
        self._clock = clock
        # This instance, as the rows it sends name it; `alone`: no other instance sends from
        # this database (bot/platform/instances.py).
        self._owner = owner or secrets.token_hex(6)
        self._alone = alone
        self.pacing = Pacing(clock)
        self._locks: dict[str, asyncio.Lock] = collections.defaultdict(asyncio.Lock)
        self.on_sent: dict[PurposeKind, Hook] = {}
        self.on_failed: dict[PurposeKind, Hook] = {}
        self.wake = asyncio.Event()
        # True from a call lost to the network (timed out, no connection) until the next call
        # Telegram answers: notices about a stall wait for its end (bot/requests/resend.py).
        self.stalled = False
        self._delivering: dict[str, asyncio.Task[None]] = {}  # chat -> the sender's task
        # Follow-ups run after the chat's lock is released: a hook may itself send or edit in
        # the same chat (the digest, a late card), which would otherwise wait on itself.
        self._followups: collections.deque[tuple[Hook, Purpose, OutboxRow, int | None]] = (
            collections.deque())

    # --- A caller's row -----------------------------------------------------------------------

    async def _submit(self, chat_id: int, method: str, params: dict[str, Any],
                      purpose: Purpose | None, relayed: bool, *,
                      along: Write[object] | None = None, priority: int | None = None) -> int:
        scope = current_scope.get()
        if scope is not None and scope.request_id is not None:
            purpose = scope.purpose_of(purpose)
        chat_key = self._rows.chat_key(chat_id)
        rank = priority_of(method, purpose) if priority is None else priority
        if rank != PERSON and along is None and self._locks[chat_key].locked():
            # The team's cards, notices and digests do not wait for a chat in use (the group,
            # in a burst): queued behind what is there, for the sender, which sends only the
            # newest of several edits of one message.
            return await self._queue(chat_id, method, params, purpose=purpose, relayed=relayed,
                                     rank=rank,
                                     key=scope.next_key(chat_key, method) if scope else None)
        try:
            async with self._locks[chat_key]:
                try:
                    # Nothing waits before it and no limit applies: the row is stored already
                    # marked sending (one write instead of three) and sent at once.
                    row, state = await self._rows.add(
                        chat_id, method, params, purpose=purpose, relayed=relayed,
                        now=int(self._clock()),
                        key=scope.next_key(chat_key, method) if scope else None,
                        start=self.pacing.wait_for(chat_key, chat_id, method) == 0,
                        along=along, priority=rank, owner=self._owner)
                except StorageError as exc:
                    if along is not None:
                        raise  # what it carries was not kept either: the caller says so
                    # The database cannot keep it (disk full, read-only): still try once,
                    # directly, so that "your message could not be stored" reaches the person.
                    _log.error("%s: the outbox cannot store a row (%s); sending directly",
                               method, type(exc).__name__)
                    return await self._direct(chat_id, method, params)
                if state == "sent":  # made and delivered before a crash: not again
                    return row.message_id or 0
                if state in ("failed", "uncertain"):  # and its sender was told then
                    return 0
                try:
                    if state == "started":
                        return await self._attempt(row, background=False, started=True)
                    first = await self._rows.first_pending(chat_key)
                    if first is None or first.id != row.id or first.not_before > self._clock():
                        self.wake.set()  # behind earlier messages, or in a wait: kept in order
                        return 0
                    return await self._attempt(first, background=False)
                except Queued:
                    return 0
        finally:
            await self._run_followups()

    async def _queue(self, chat_id: int, method: str, params: dict[str, Any], *,
                     purpose: Purpose | None, relayed: bool, rank: int, key: str | None) -> int:
        """Store a row for the sender and return (0: it will go); a made row is not made
        again."""
        try:
            row, state = await self._rows.add(chat_id, method, params, purpose=purpose,
                                              relayed=relayed, now=int(self._clock()), key=key,
                                              priority=rank)
        except StorageError as exc:
            _log.error("%s: the outbox cannot store a row (%s)", method, type(exc).__name__)
            raise DeliveryError(f"{method}: not stored") from exc
        self.wake.set()
        return (row.message_id or 0) if state == "sent" else 0

    async def _direct(self, chat_id: int, method: str, params: dict[str, Any]) -> int:
        row = OutboxRow(0, self._rows.chat_key(chat_id), chat_id, method, params, None, False,
                        0, 0.0)
        try:
            result = await self._call(row)
        except TelegramError as exc:
            raise DeliveryError(f"{method}: failed") from exc
        return message_id_of(result) or 0

    # --- One call, and what Telegram's answer makes of the row --------------------------------

    async def _attempt(self, row: OutboxRow, background: bool, started: bool = False) -> int:
        """Send one row now. `started`: it was stored already marked sending."""
        await self._start(row, started)
        try:
            result = await self._call(row)
        except RetryAfter as exc:
            seconds = seconds_of(exc.retry_after)
            await self._rows.defer_chat(row.chat_key,
                                        self.pacing.flood_wait(row.chat_key, seconds),
                                        self._owner)
            _log.info("%s: flood limit, this chat waits %.0f s as Telegram asks", row.method,
                      seconds)
            self.wake.set()
            raise Queued(f"{row.method}: flood limited") from exc
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                await self._rows.mark_sent(row.id, None, int(self._clock()), self._owner)
                return 0
            unreachable = "chat not found" in exc.message.lower()
            await self._fail(row, exc, unreachable, background,
                             "unreachable" if unreachable else "refused")
        except (TimedOut, NetworkError) as exc:  # BadRequest, a NetworkError too, is above
            if not may_have_arrived(exc):
                await self._retry_later(row, exc, background)
            if row.relayed:
                _log.warning("%s: timed out; not repeated, it may have arrived", row.method)
                await self._rows.mark_uncertain(row.id, int(self._clock()), self._owner)
                # Followed up even for a caller still waiting: its writer is told which
                # message, with a Send again button, once the stall is over.
                self._hook(self.on_failed, replace(row, outcome="uncertain"), None)
                raise DeliveryError(f"{row.method}: delivery uncertain",
                                    followed_up=True) from exc
            await self._retry_later(row, exc, background)
        except (Forbidden, ChatMigrated) as exc:
            if isinstance(exc, ChatMigrated):
                _log.error("%s: the chat became a supergroup with a new id; update "
                           "PEER_GROUP_ID (or BACKUP_CHAT_ID) and restart", row.method)
            await self._fail(row, exc, True, background, "unreachable")
        except TelegramError as exc:
            await self._fail(row, exc, False, background, "refused")
        faults.crash_at("after-send")  # Telegram has it, the row still says sending
        now = self._clock()
        message_id = message_id_of(result)
        await self._rows.mark_sent(row.id, message_id, int(now), self._owner)
        self._hook(self.on_sent, row, message_id)
        return message_id or 0

    async def _start(self, row: OutboxRow, marked: bool) -> None:
        """Mark a row sending (unless it was stored `marked` so), or put it back to pending
        (raising Queued) if a limit applies: for a `marked` row, one that others reached
        while it was being written (the budget spent, a 429)."""
        wait = self.pacing.wait_for(row.chat_key, row.chat_id, row.method)
        if wait > 0:
            await self._rows.defer(row.id, self._clock() + wait, self._owner)
            self.wake.set()
            raise Queued(f"{row.method}: waiting {wait:.1f} s for the flood limit")
        self.pacing.count(row.chat_key, row.chat_id, row.method)  # before any await
        if not marked and not await self._rows.mark_sending(row.id, self._owner):
            self.pacing.uncount(row.chat_key, row.chat_id, row.method)
            raise Queued(f"{row.method}: another instance is sending in this chat")

    async def _retry_later(self, row: OutboxRow, exc: Exception, background: bool) -> None:
        if row.attempts >= MAX_ATTEMPTS:  # about half an hour of trying: give up and say so
            await self._fail(row, exc, False, background, "failed")
        wait = backoff(row.attempts)
        _log.warning("%s: %s; retrying in %.1f s", row.method, type(exc).__name__, wait)
        await self._rows.defer(row.id, self._clock() + wait, self._owner)
        self.wake.set()
        raise Queued(f"{row.method}: network trouble") from exc

    async def _fail(self, row: OutboxRow, exc: Exception, unreachable: bool,
                    background: bool, outcome: str) -> None:
        """Telegram refused the row, or it was given up on (`outcome`, see OutboxRow). A
        caller still waiting is told by the exception; for a row sent later, and for a relayed
        message given up on, the `on_failed` follow-up tells whoever should know."""
        _log.warning("%s: refused by Telegram (%s)", row.method, type(exc).__name__)
        await self._rows.mark_failed(row.id, int(self._clock()), self._owner)
        followed_up = background or (row.relayed and outcome == "failed")
        if followed_up:
            self._hook(self.on_failed, replace(row, outcome=outcome), None)
        raise DeliveryError(f"{row.method}: refused", unreachable=unreachable,
                            followed_up=followed_up) from exc

    async def _call(self, row: OutboxRow) -> Any:
        """Make the row's Bot API call, noting whether the network answered (`stalled`)."""
        try:
            result = await call(self._bot, row)
        except TelegramError as exc:  # BadRequest is a NetworkError that Telegram answered
            self.stalled = isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)
            if isinstance(exc, RetryAfter):
                self._metrics.flood_limited()
            raise
        self.stalled = False
        return result

    # --- Follow-ups ---------------------------------------------------------------------------

    def _hook(self, hooks: dict[PurposeKind, Hook], row: OutboxRow, message_id: int | None,
              ) -> None:
        """Queue the follow-up this row's purpose names; `_run_followups` runs it."""
        purpose = row.purpose
        if purpose is None:
            return
        hook = hooks.get(purpose.kind)
        if hook is not None:
            self._followups.append((hook, purpose, row, message_id))

    async def _run_followups(self) -> None:
        while self._followups:
            hook, purpose, row, message_id = self._followups.popleft()
            try:
                with send_scope(None):  # a follow-up is its own work, not the caller's
                    await hook(purpose, row, message_id)
            except Exception as exc:
                _log.exception("an outbox follow-up failed (%s)", type(exc).__name__)

    # --- The background sender ----------------------------------------------------------------

    async def recover(self) -> None:
        """At start: rows a crash caught mid-call (with other instances about: those of dead
        ones). A relayed message may or may not have arrived, so it is not repeated and its
        sender is told; anything else goes again."""
        await self._take_over(alone=self._alone)

    async def take_over(self) -> None:
        """The rows a dead instance was sending (see `recover`): from time to time while
        other instances share the database."""
        await self._take_over(alone=False)

    async def _take_over(self, *, alone: bool) -> None:
        rows = await self._rows.take_over(self._owner, int(self._clock()), alone=alone)
        for row in rows:
            if row.relayed:
                await self._rows.mark_uncertain(row.id, int(self._clock()), self._owner)
                self._hook(self.on_failed, replace(row, outcome="uncertain"), None)
            else:
                await self._rows.requeue(row.id, self._owner)
        if rows:
            relayed = sum(1 for row in rows if row.relayed)
            # Telegram cannot be asked whether a call arrived: the bot's own messages go again
            # (one may arrive twice: better than a crisis line lost), relayed ones do not.
            _log.info("outbox: took over %d row(s) caught mid-call: %d sent again (each may "
                      "arrive twice), %d relayed marked uncertain", len(rows),
                      len(rows) - relayed, relayed)
        await self._run_followups()

    async def run(self, stopping: asyncio.Event) -> None:
        """The sender: deliver whatever is due, chat by chat in order, many chats at once,
        until stopped; then let the deliveries under way finish."""
        while not stopping.is_set():
            try:
                await self._start_due()
            except Exception as exc:  # one bad pass must not stop delivery for good
                _log.exception("the outbox sender failed a pass (%s); trying again",
                               type(exc).__name__)
                await asyncio.sleep(1.0)
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), SENDER_TICK_SECONDS)
        if self._delivering:
            await asyncio.gather(*self._delivering.values(), return_exceptions=True)

    async def flush(self) -> None:
        """Deliver what is due now and wait for it (the sender does this continuously)."""
        await self._start_due()
        if self._delivering:
            await asyncio.gather(*self._delivering.values(), return_exceptions=True)
        await self._run_followups()

    async def _start_due(self) -> None:
        """Start delivering to the chats with something due, the most awaited first (see
        `priority_of`), as many at once as the overall limit has room for this second: each
        call waits on the network, so one chat at a time would send ten a second at most. A
        chat already being delivered to is left to that delivery."""
        room = self.pacing.room()
        if not room:
            return
        found = await self._rows.chats_due(self._clock(),
                                           besides=None if self._alone else self._owner)
        due = [key for key in found
               if key not in self._delivering]  # a chat in use is delivered after that use
        for chat_key in due[:room]:
            task = asyncio.create_task(self._deliver(chat_key))
            self._delivering[chat_key] = task

    async def _deliver(self, chat_key: str) -> None:
        try:
            await self._flush_chat(chat_key)
        except Exception as exc:  # a broken row or a locked database: the other chats go on
            _log.exception("the outbox could not deliver to one chat (%s)", type(exc).__name__)
        finally:
            del self._delivering[chat_key]
        await self._run_followups()
        self.wake.set()  # room for the next chat

    async def _flush_chat(self, chat_key: str) -> None:
        async with self._locks[chat_key]:
            while (row := await self._rows.first_pending(chat_key)) is not None:
                if row.not_before > self._clock():
                    break
                try:
                    await self._attempt(row, background=True)
                except Queued:
                    break
                except DeliveryError:
                    continue  # recorded as failed (and followed up); next row
