"""Nothing lost on the way in, and nobody waits behind somebody else's chat.

Storing: python-telegram-bot's own poller confirms a batch before the handlers have run, so a
crash mid-handler would lose a responder's message. Here each batch (one getUpdates answer, or
the webhook calls that arrived together) is stored in one transaction, and flushed to disk
before Telegram is told it arrived (`receive` returns then); its updates are handled while the
disk flushes. A redelivered update (same update_id) is handled once.

Handling: every update waits in its *lane*, the chat it belongs to (for a button, the person
who pressed it). Lanes run at once, up to MAX_CONCURRENT updates in all, since each spends most
of its time waiting on the Bot API; one lane handles its updates one after another, in the
order they came, so a person's messages are handled in the order they wrote them.
python-telegram-bot's `BaseUpdateProcessor` caps concurrency but is handed a coroutine already
made, too late to order it by chat: the lanes do both.

Done: an update is marked done after its handlers ran; the marks are written together a moment
later. A crash before the mark handles it again at the next start, which sends nothing twice
(each send has a key, see bot/platform/outbox/scope.py).

Several instances (webhook mode on PostgreSQL, bot/platform/instances.py): an update is
handled by the instance that stored it first (a redelivery to another finds it stored); one
that reached an instance while an earlier update of its chat is still in another's hands waits
for it; what a dead instance left is taken over (`take_over`).

Set aside: an update that cannot be parsed, or whose handling raises past the error handler,
is set aside at once instead of stopping the bot (it would fail the same way every time): kept
sealed for a week, counted (/stats shows how many), logged by update id and error type only.
A SIGKILL is not counted against the update in hand: kills come from outside (the OOM killer,
a power cut, a deploy), and handling it again sends nothing twice.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.platform import afterwards, faults
from bot.platform.outbox import SendScope, send_scope
from bot.platform.services import Services
from storage.errors import StorageError

_log = logging.getLogger(__name__)
MAX_CONCURRENT = 64  # updates handled at once, across lanes
DONE_MARK_SECONDS = 0.1  # done-marks wait this long to be written together
# With several instances: how often, and how long at most, an update waits for an earlier one
# of its chat that another instance is handling.
LANE_POLL_SECONDS = 0.05
LANE_WAIT_SECONDS = 15.0
Raw = dict[str, Any]


def lane_of(raw: Raw) -> int:
    """The lane of an update: the chat of a message, the presser of a button (presses in the
    group by different peers do not wait on each other). 0 for anything else."""
    for kind in ("message", "edited_message"):
        message = raw.get(kind)
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            chat = message["chat"].get("id")
            return chat if isinstance(chat, int) else 0
    query = raw.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("from"), dict):
        user = query["from"].get("id")
        return user if isinstance(user, int) else 0
    return 0


class Inbox:
    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 services: Services, *, concurrency: int = MAX_CONCURRENT) -> None:
        self._app = application
        self.services = services
        self._slots = asyncio.Semaphore(concurrency)
        self._lanes: dict[int, collections.deque[tuple[Raw, bool]]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._done: list[int] = []
        self._unwritten: list[int] = []  # done-marks that failed: written with the next ones
        self._tails: dict[int, asyncio.Task[None]] = {}  # each lane's last follow-up
        self._following: set[asyncio.Task[None]] = set()
        self._marking: asyncio.Task[None] | None = None
        self._held = 0  # updates in lanes, not yet handled
        self._settled = asyncio.Event()
        self._settled.set()
        self._lighter = asyncio.Event()  # set each time an update is handled
        self._closing = False
        # Earlier updates of a lane waited for in vain (held by another instance that is
        # alive but never finishes them): not waited for again.
        self._stuck: set[int] = set()

    @property
    def backlog(self) -> int:
        """Updates received and not yet handled."""
        return self._held

    async def receive(self, updates: Sequence[Raw]) -> None:
        """Store a batch, then give each new update to its lane. If storing fails, the batch
        is still handled at once, so each person is told their message could not be kept
        instead of hearing nothing."""
        if not updates:
            return
        try:
            # A lane is kept only where other instances need it to keep a chat in order.
            lanes = ([lane_of(raw) for raw in updates] if self.services.instance.shared
                     else None)
            fresh = await self.services.inbox.store(updates, lanes, self.services.clock(),
                                                    self.services.instance.id)
        except StorageError as exc:
            _log.error("%d update(s) could not be stored (%s); handling them without a copy",
                       len(updates), type(exc).__name__)
            for raw in updates:
                self._enqueue(raw, stored=False)
            return
        if len(fresh) < len(updates):
            _log.info("%d redelivered update(s) ignored", len(updates) - len(fresh))
        for raw in fresh:
            self._enqueue(raw, stored=True)
        try:
            await self.services.inbox.on_disk()  # while they are handled; then Telegram is told
        except OSError as exc:  # committed (a crash keeps it); only a power cut could lose it
            _log.error("the updates could not be flushed to disk (%s)", type(exc).__name__)

    async def recover(self) -> None:
        """At start, before anything new: handle what a crash left stored but not handled
        (with other instances about: what dead ones left), oldest first. An update that cannot
        be opened is set aside."""
        await self._take_over(alone=not self.services.instance.shared)
        await self.settled()

    async def take_over(self) -> None:
        """What dead instances left stored but not handled, from time to time while other
        instances share the database (bot/platform/instances.py); nothing once closing."""
        if not self._closing:
            await self._take_over(alone=False)

    async def _take_over(self, *, alone: bool) -> None:
        instance = self.services.instance
        for row in await self.services.inbox.take_over(instance.id, self.services.clock(),
                                                       alone=alone):
            if row.raw is None:
                await self._set_aside(row.update_id, "unreadable")
            else:
                self._enqueue(row.raw, stored=True)

    async def handled(self) -> None:
        """Wait until every update received so far is handled (its follow-ups and done-mark
        may still be under way)."""
        await self._settled.wait()

    async def settled(self) -> None:
        """Wait until every update received so far is handled, followed up and marked done."""
        while True:
            await self._settled.wait()
            if self._following:
                await asyncio.wait(set(self._following))
            self._write_marks_soon()
            if self._marking is not None:
                await self._marking
            if self._settled.is_set() and not self._following and not self._done:
                return
            await asyncio.sleep(0)  # never spin without letting the loop run

    async def below(self, count: int) -> None:
        """Wait until fewer than `count` updates are waiting (before fetching more)."""
        while self._held >= count:
            self._lighter.clear()
            await self._lighter.wait()

    async def close(self) -> None:
        """Finish the updates in hand, start no new one (they wait in the database for the
        next start, or for another instance: let go of at once), and write the last
        done-marks."""
        self._closing = True
        if self._workers:
            await asyncio.gather(*self._workers, return_exceptions=True)
        left = [int(raw["update_id"]) for queue in self._lanes.values()
                for raw, stored in queue if stored]
        if left and self.services.instance.shared:
            try:
                await self.services.inbox.let_go(left, self.services.instance.id)
            except StorageError as exc:  # taken over once this instance is seen gone
                _log.warning("%d update(s) not started could not be let go of (%s)", len(left),
                             type(exc).__name__)
        if self._following:
            await asyncio.wait(set(self._following))
        if self._marking is not None:
            await self._marking
        await self._write_done_marks()

    # --- Lanes ------------------------------------------------------------------------------

    def _enqueue(self, raw: Raw, *, stored: bool) -> None:
        lane = lane_of(raw)
        queue = self._lanes.get(lane)
        if queue is None:
            queue = self._lanes[lane] = collections.deque()
            worker = asyncio.create_task(self._run_lane(lane, queue))
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)
        queue.append((raw, stored))
        self._held += 1
        self._settled.clear()

    async def _run_lane(self, lane: int, queue: collections.deque[tuple[Raw, bool]]) -> None:
        try:
            while queue and not self._closing:
                raw, stored = queue[0]
                if stored and self.services.instance.shared:  # before a slot: see below
                    await self._after_earlier(int(raw["update_id"]), lane)
                async with self._slots:
                    if self._closing:  # stopped while waiting for a slot: left for next start
                        break
                    try:
                        await self._handle(lane, raw, stored)
                    except Exception as exc:  # the lane goes on; the update is set aside
                        await self._give_up(raw, stored, exc)
                    finally:
                        queue.popleft()
                        self._held -= 1
                        self._lighter.set()
        finally:
            if self._lanes.get(lane) is queue:
                del self._lanes[lane]
            if not self._lanes:
                self._settled.set()

    async def _handle(self, lane: int, raw: Raw, stored: bool) -> None:
        update_id = int(raw["update_id"])
        update = Update.de_json(raw, self._app.bot)  # raises for an update that cannot parse
        scope = SendScope(f"u{update_id}") if stored else None
        with send_scope(scope), afterwards.collecting() as later:
            if update is not None:
                await self._app.process_update(update)  # handler errors go to the error handler
        if later:  # its follow-ups run after this lane's earlier ones, then it is done
            follow = asyncio.create_task(self._follow_up(
                self._tails.get(lane), scope, later, update_id if stored else None))
            self._tails[lane] = follow
            self._following.add(follow)
            follow.add_done_callback(lambda task: self._forget_tail(lane, task))
        elif stored:
            self._mark_done(update_id)

    async def _after_earlier(self, update_id: int, lane: int) -> None:
        """Handle this update only after the earlier ones of its lane, wherever they went (a
        person's first message may have reached another instance): wait while one is in a
        live instance's hands (up to LANE_WAIT_SECONDS: past that, it is stuck, and this one
        goes, and no later update waits for that one again); one that a dead instance left,
        or that this one took over and queued behind this update, is handled here first. It
        waits before taking a slot, so that instances waiting on each other's updates cannot
        fill each other's slots. If the database cannot say, the update goes (its order
        matters less than its being handled)."""
        try:
            await self._wait_for_earlier(update_id, lane)
        except StorageError as exc:
            _log.warning("update %d: the order of its chat could not be checked (%s); going on",
                         update_id, type(exc).__name__)

    async def _wait_for_earlier(self, update_id: int, lane: int) -> None:
        services = self.services
        me = services.instance.id
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LANE_WAIT_SECONDS
        while True:
            waiting_for: list[int] = []
            for earlier in await services.inbox.earlier(update_id, lane, services.clock()):
                if earlier.update_id in self._stuck:
                    continue
                if earlier.owner == me:  # queued here behind this one, or handled already
                    queued = self._unqueue(lane, earlier.update_id)
                    if queued is not None:
                        await self._handle_first(lane, earlier.update_id, queued)
                    continue
                taken = None if earlier.alive else await services.inbox.take_over_one(
                    earlier.update_id, me, services.clock())
                if taken is None:  # in another's hands (or just taken over): look again
                    waiting_for.append(earlier.update_id)
                    break
                await self._handle_first(lane, taken.update_id, taken.raw)
            if not waiting_for:
                return
            if loop.time() > deadline:
                _log.warning("update %d: an earlier one of its chat is still being handled by "
                             "another instance; going on", update_id)
                self._stuck.update(waiting_for)
                return
            await asyncio.sleep(LANE_POLL_SECONDS)

    def _unqueue(self, lane: int, update_id: int) -> Raw | None:
        """Take an update out of its lane's queue (not the one being handled), if there."""
        queue = self._lanes.get(lane)
        if queue is None:
            return None
        for position, (raw, stored) in enumerate(queue):
            if position > 0 and stored and raw.get("update_id") == update_id:
                del queue[position]
                self._held -= 1
                self._lighter.set()
                return raw
        return None

    async def _handle_first(self, lane: int, update_id: int, raw: Raw | None) -> None:
        """An earlier update of the lane, handled before the one that found it."""
        if raw is None:
            await self._set_aside(update_id, "unreadable")
            return
        try:
            await self._handle(lane, raw, True)
        except Exception as exc:  # as in the lane: set aside, and the lane goes on
            await self._give_up(raw, True, exc)

    async def _follow_up(self, previous: asyncio.Task[None] | None, scope: SendScope | None,
                         later: list[afterwards.Work], update_id: int | None) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        with send_scope(scope):
            for work in later:
                try:
                    await work
                except Exception as exc:  # the next follow-up still runs
                    _log.exception("a follow-up of an update failed (%s)", type(exc).__name__)
        if update_id is not None:
            self._mark_done(update_id)

    def _forget_tail(self, lane: int, task: asyncio.Task[None]) -> None:
        self._following.discard(task)
        if self._tails.get(lane) is task:
            del self._tails[lane]

    async def _give_up(self, raw: Raw, stored: bool, exc: Exception) -> None:
        update_id = raw.get("update_id")
        if stored and isinstance(update_id, int):
            await self._set_aside(update_id, type(exc).__name__)
        else:
            _log.error("an update could not be handled (%s)", type(exc).__name__)

    async def _set_aside(self, update_id: int, reason: str) -> None:
        _log.warning("update %d set aside: %s", update_id, reason)
        self.services.metrics.set_aside()
        try:
            await self.services.inbox.set_aside(update_id, reason, self.services.clock())
        except Exception as exc:  # it will be found unfinished at the next start
            _log.error("update %d could not be set aside (%s)", update_id, type(exc).__name__)

    # --- Done-marks -------------------------------------------------------------------------

    def _mark_done(self, update_id: int) -> None:
        self._done.append(update_id)
        self._write_marks_soon()

    def _write_marks_soon(self) -> None:
        """Start writing the waiting done-marks, unless a writer is at it already."""
        if self._done and (self._marking is None or self._marking.done()):
            self._marking = asyncio.create_task(self._mark_soon())

    async def _mark_soon(self) -> None:
        if not self._closing:
            await asyncio.sleep(DONE_MARK_SECONDS)
        await self._write_done_marks()

    async def _write_done_marks(self) -> None:
        while self._done:
            done, self._done = [*self._unwritten, *self._done], []
            self._unwritten = []
            try:
                await self.services.inbox.mark_done(done, self.services.clock())
            except StorageError as exc:
                # Kept for the next write (and if none comes, handled again at the next
                # start, which sends nothing twice).
                _log.error("%d done-mark(s) could not be written (%s)", len(done),
                           type(exc).__name__)
                self._unwritten = done
                return
            faults.crash_at("after-done")  # done, but Telegram not yet told: it sends it again
