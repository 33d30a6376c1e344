"""Relay overhead: the per-update cost of relaying a responder's message to the claiming peer
(kept in the inbox, stored sealed, routed, sent through the outbox, screened) against a bare
python-telegram-bot echo handler. The bot's updates go in through its inbox exactly as
polling gives them (`Inbox.receive`, one fsynced transaction per getUpdates answer, here one
update each: the worst case, a quiet day), the echo's through `Application.process_update`;
both on the same instant Bot API, in alternating batches, so drift and noise hit both alike.

A third side, the floor, is the bare echo plus one read and one write through the bot's own
database layer (aiosqlite on SQLite): the least any relay that keeps what it passes on must do
with the design's database layer. On a machine where a trip to aiosqlite's thread costs about
as much as a whole bare update, it shows how much of the ratio no code in the bot can remove.

`backend` PostgreSQL (`python -m bench --only relay --backend postgres`, or `both`): the bot
and the floor each keep their data in a database of their own on the bench's PostgreSQL server
(bench/pgserver.py) instead of SQLite files; the bare echo, which keeps nothing, is the same,
and the figures are named with `_pg` (`relay_overhead_ratio_pg`).

The bot's outbox paces sends under Telegram's limits (28 a second overall); that would measure
the pacing, not the work, so it is lifted here exactly as the unit tests lift it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.common import (
    BOT_TOKEN,
    GROUP,
    SQLITE,
    Backend,
    Keys,
    Result,
    make_settings,
    median,
    open_db,
    percentile,
    us,
)
from bot.app import BotApplication, build_application
from bot.platform.context import BotContext
from bot.platform.inbox import Inbox
from bot.platform.outbox import send_scope
from bot.platform.services import Services
from storage.backend import Database
from storage.requests import State
from tests.unit.offline import OfflineRequest, Person

PEER_ID = 2001
RESPONDER_ID = 918273601
TARGET_RATIO = 4.0
BATCH = 10  # messages per getUpdates answer in the batched measure
TEXTS = ("Long shift again, the call on the highway stayed with me.",
         "I keep replaying it when I try to sleep.",
         "Thanks for listening, it helps to write it down.",
         "My partner says I have been quiet at home lately.")
BareApplication = Application[Any, Any, Any, Any, Any, Any]


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bare bot: say the same text back."""
    message = update.effective_message
    if message is not None and message.text is not None:
        await context.bot.send_message(message.chat_id, message.text)


async def _echo_keeping_it(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The floor: the least any relay that keeps what it passes on does through the database
    layer, one read (whose conversation is this?) and one write (keep the message), each one
    trip to the database's thread (and on PostgreSQL to the server); no sealing, no screen, no
    outbox. Then the same echo."""
    message = update.effective_message
    db: Database = context.bot_data["db"]
    if message is not None and message.text is not None:
        await db.fetch_one("SELECT 1")
        await db.write("INSERT INTO kept (text) VALUES (?)", (message.text,))
        await context.bot.send_message(message.chat_id, message.text)


class RelayRig:
    """The real bot with one claimed conversation, and a bare echo bot, side by side."""

    def __init__(self, workdir: Path, backend: Backend = SQLITE) -> None:
        self.bot_request = OfflineRequest(members={PEER_ID}, record=False)
        self.bare_request = OfflineRequest(record=False)
        self.app: BotApplication = build_application(
            make_settings(workdir, Keys.fresh(), backend), self.bot_request)
        self.bare: BareApplication = (
            ApplicationBuilder().token(BOT_TOKEN).request(self.bare_request)
            .get_updates_request(self.bare_request).updater(None).build())
        self.bare.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
        self.floor_request = OfflineRequest(record=False)
        self.floor: BareApplication = (
            ApplicationBuilder().token(BOT_TOKEN).request(self.floor_request)
            .get_updates_request(self.floor_request).updater(None).build())
        self.floor.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo_keeping_it))
        self.floor_path = workdir / "floor" / "floor.sqlite3"
        self.floor_url = backend.new_url()
        self._floor_db: Database | None = None
        self.errors: list[BaseException] = []
        self.responder = Person(RESPONDER_ID, "Alex")
        self.request_id = ""
        self.inbox: Inbox | None = None
        self._n = 0

    @property
    def floor_db(self) -> Database:
        assert self._floor_db is not None, "open() first"
        return self._floor_db

    @property
    def services(self) -> Services:
        services = self.app.bot_data.services
        assert services is not None
        return services

    async def _record(self, update: object, context: BotContext) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    async def open(self) -> None:
        self.app.add_error_handler(self._record)
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        outbox = self.services.outbox
        outbox.overall_per_second = outbox.group_per_minute = outbox.busy_per_minute = 10 ** 9
        await self.bare.initialize()
        # Opened as the bot opens its own (on SQLite: WAL, synchronous=NORMAL).
        self._floor_db = await open_db(self.floor_path, self.floor_url)
        await self.floor_db.write("CREATE TABLE kept (text TEXT)")
        self.floor.bot_data["db"] = self.floor_db
        await self.floor.initialize()
        peer = Person(PEER_ID, "Sam")
        await self._send(peer.command("/start"))
        await self._send(self.responder.command("/start"))
        await self._send(self.responder.press("talk"))
        await self._send(self.responder.text("Rough night shift."))
        live = await self.services.requests.live_for_responder(RESPONDER_ID)
        assert live is not None and live.state is State.OPEN, "the request did not open"
        await self._send(Person(PEER_ID, "Sam", chat_id=GROUP).press(f"claim:{live.id}"))
        claimed = await self.services.requests.get(live.id)
        assert claimed is not None and claimed.peer_id == PEER_ID, "the claim did not land"
        self.request_id = live.id
        self.inbox = Inbox(self.app, self.services)
        if self.errors:
            raise RuntimeError(f"setting up the conversation failed: {self.errors!r}")

    async def close(self) -> None:
        if self.inbox is not None:
            await self.inbox.close()
        assert self.app.post_shutdown is not None
        await self.app.post_shutdown(self.app)
        await self.app.shutdown()
        await self.bare.shutdown()
        await self.floor.shutdown()
        if self._floor_db is not None:
            await self._floor_db.close()

    async def _send(self, raw: dict[str, Any]) -> None:
        update = Update.de_json(raw, self.app.bot)
        assert update is not None
        with send_scope(f"u{update.update_id}"):  # as the inbox handles a stored update
            await self.app.process_update(update)

    def _next_text(self) -> str:
        self._n += 1
        return f"{TEXTS[self._n % len(TEXTS)]} ({self._n})"

    async def bot_update(self) -> float:
        """One responder message through the real bot's inbox; seconds until handled."""
        assert self.inbox is not None
        raw = self.responder.text(self._next_text())
        started = time.perf_counter()
        await self.inbox.receive([raw])
        await self.inbox.handled()
        return time.perf_counter() - started

    async def bot_batch(self, size: int) -> float:
        """`size` messages of the responder in one getUpdates answer, as a busy moment brings
        them (one fsync for all); seconds per message until all are handled."""
        assert self.inbox is not None
        raws = [self.responder.text(self._next_text()) for _ in range(size)]
        started = time.perf_counter()
        await self.inbox.receive(raws)
        await self.inbox.handled()
        return (time.perf_counter() - started) / size

    async def bare_update(self) -> float:
        """The same kind of message through the bare echo bot."""
        return await self._echo_update(self.bare)

    async def floor_update(self) -> float:
        """The same kind of message through the floor: echo plus one read and one write."""
        return await self._echo_update(self.floor)

    async def _echo_update(self, app: BareApplication) -> float:
        update = Update.de_json(self.responder.text(self._next_text()), app.bot)
        assert update is not None
        started = time.perf_counter()
        await app.process_update(update)
        return time.perf_counter() - started

    async def stored_messages(self) -> int:
        row = await self.services.db.fetch_one(
            "SELECT COUNT(*) FROM messages WHERE request_id = ?", (self.request_id,))
        return int(row[0]) if row else 0


async def run(workdir: Path, updates: int = 5000, batch: int = 250, warmup: int = 200,
              backend: Backend = SQLITE) -> Result:
    result = Result("Relay overhead")
    rig = RelayRig(workdir, backend)
    await rig.open()
    try:
        relayed_before = rig.bot_request.sends_to[PEER_ID]
        stored_before = await rig.stored_messages()
        steps = {"bot": rig.bot_update, "bare": rig.bare_update, "floor": rig.floor_update}
        for _ in range(warmup):
            for step in steps.values():
                await step()
        times: dict[str, list[float]] = {side: [] for side in steps}
        batch_ratios: list[float] = []
        sides = list(steps)
        for number in range(max(1, updates // batch)):
            # bot, bare, floor; bare, floor, bot; ...: no side always runs first.
            order = sides[number % 3:] + sides[:number % 3]
            batch_times: dict[str, list[float]] = {}
            for side in order:
                batch_times[side] = [await steps[side]() for _ in range(batch)]
                times[side] += batch_times[side]
            batch_ratios.append(median(batch_times["bot"]) / median(batch_times["bare"]))
        batched = [await rig.bot_batch(BATCH) for _ in range(max(1, updates // 50))]
        bot_times, bare_times, floor_times = times["bot"], times["bare"], times["floor"]
        relayed = rig.bot_request.sends_to[PEER_ID] - relayed_before
        stored = await rig.stored_messages() - stored_before
        echoed = rig.bare_request.sends_to[RESPONDER_ID]
        expected = warmup + len(bare_times)
        expected_relays = expected + BATCH * len(batched)
        kept = await rig.floor_db.fetch_one("SELECT COUNT(*) FROM kept")
        if kept is None or kept[0] != expected or rig.floor_request.sends_to[RESPONDER_ID] != (
                expected):
            raise RuntimeError("the floor did not do its work")
        errors = list(rig.errors)
    finally:
        await rig.close()

    if relayed != expected_relays or stored != expected_relays or echoed != expected or errors:
        raise RuntimeError(f"the relay did not do its work: {relayed} relayed, {stored} stored,"
                           f" {echoed} echoed of {expected_relays} / {expected}; "
                           f"handler errors: {errors!r}")
    ratio = median(bot_times) / median(bare_times)
    result.add("updates per side (after warm-up)", f"{len(bot_times)} + {warmup} warm-up")
    result.add("bot's outbox pacing (28/s overall)", "lifted, as in the unit tests")
    result.add("bare echo: p50 / p90 per update",
               f"{us(median(bare_times))} / {us(percentile(bare_times, 90))}")
    result.add("bot relay: p50 / p90 per update",
               f"{us(median(bot_times))} / {us(percentile(bot_times, 90))}")
    result.add("relay / bare echo (ratio of medians)", f"{ratio:.2f}x", f"<= {TARGET_RATIO:.0f}x",
               ratio <= TARGET_RATIO)
    result.add("  median of per-batch ratios", f"{median(batch_ratios):.2f}x")
    batch_ratio = median(batched) / median(bare_times)
    result.add(f"  the same, {BATCH} messages per getUpdates answer",
               f"{us(median(batched))} per message, {batch_ratio:.2f}x")
    floor = median(floor_times) / median(bare_times)
    layer = "PostgreSQL backend" if backend.postgres else "aiosqlite"
    result.add(f"floor: echo + 1 read + 1 write via {layer}",
               f"{us(median(floor_times))} p50, {floor:.2f}x the bare echo")
    result.add("messages relayed / stored (checked)", f"{relayed} / {stored}")
    result.figures.update({
        "relay_overhead_ratio": round(ratio, 2),
        "relay_p50_us_bare": round(median(bare_times) * 1e6),
        "relay_p50_us_bot": round(median(bot_times) * 1e6),
        "relay_p90_us_bare": round(percentile(bare_times, 90) * 1e6),
        "relay_p90_us_bot": round(percentile(bot_times, 90) * 1e6),
        "relay_batch_ratio_median": round(median(batch_ratios), 2),
        "relay_floor_ratio": round(floor, 2),
        f"relay_overhead_ratio_batch{BATCH}": round(batch_ratio, 2),
    })
    stored_in = ("a PostgreSQL database each for the bot and the floor, over loopback"
                 if backend.postgres else
                 "SQLite on disk with the bot's own pragmas (WAL, synchronous=NORMAL)")
    result.notes.append(f"relay{backend.suffix}: outbox pacing lifted (28/s overall, 19/min per "
                        f"group) as in tests/unit/conftest.py; {stored_in}; updates built "
                        "before the clock starts")
    return result
