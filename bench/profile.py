"""A profile of the relay path: `python -m bench --profile`.

The same rig as the relay benchmark (the real bot, one claimed conversation, an instant Bot
API, pacing lifted); only the bot's updates are profiled. It prints:

- how many round trips to SQLite's thread (aiosqlite) and how many commits one relayed
  message costs, and what one of each costs on this machine and disk;
- pyinstrument's call tree (a dev dependency): wall-clock time, including the time spent
  awaiting SQLite's thread, which a plain profiler books as idle;
- cProfile's functions that cost the event loop's own thread the most.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

from bench.common import us
from bench.relay import RelayRig
from storage.sqlite import SQLiteDatabase as Database


class Counting:
    """Counts the calls aiosqlite hands to its thread, and the COMMITs SQLite runs (seen by
    its trace callback, so a `Database.run` transaction's own COMMIT counts too)."""

    def __init__(self, db: Database) -> None:
        self.hops = self.commits = 0
        conn: Any = db.conn
        hop: Callable[..., Awaitable[Any]] = conn._execute

        async def counted_hop(fn: Any, *args: Any, **kwargs: Any) -> Any:
            self.hops += 1
            return await hop(fn, *args, **kwargs)

        conn._execute = counted_hop
        self._conn = db.conn

    def _traced(self, statement: str) -> None:
        verb = statement.strip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb == "BEGIN":
            self._in_transaction = True
        elif verb in ("COMMIT", "ROLLBACK"):
            self._in_transaction = False
            self.commits += verb == "COMMIT"
        elif verb in ("INSERT", "UPDATE", "DELETE") and not self._in_transaction:
            self.commits += 1  # a statement outside BEGIN commits on its own

    async def start(self) -> None:
        """Count from now."""
        self._in_transaction = False
        await self._conn.set_trace_callback(self._traced)
        self.hops = self.commits = 0

    async def stop(self) -> None:
        await self._conn.set_trace_callback(cast(Any, None))  # None turns it off


async def _costs(db: Database, rounds: int = 500) -> list[str]:
    """What one SQLite round trip, one read and one write transaction cost here."""
    conn = db.conn
    await conn.execute("CREATE TEMP TABLE IF NOT EXISTS bench_probe (n INTEGER)")
    started = time.perf_counter()
    for _ in range(rounds):
        await conn.execute("SELECT 1")
    hop = (time.perf_counter() - started) / rounds
    started = time.perf_counter()
    for _ in range(rounds):
        await db.fetch_one("SELECT 1")
    read = (time.perf_counter() - started) / rounds
    started = time.perf_counter()
    for _ in range(rounds):
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO bench_probe VALUES (1)")
    transaction = (time.perf_counter() - started) / rounds
    started = time.perf_counter()
    for _ in range(rounds):
        await db.write("INSERT INTO bench_probe VALUES (1)")
    write = (time.perf_counter() - started) / rounds
    started = time.perf_counter()
    for _ in range(rounds):
        await db.run(lambda conn: conn.execute("INSERT INTO bench_probe VALUES (1)"),
                     durable=True)
    durable = (time.perf_counter() - started) / rounds
    return [f"  one aiosqlite round trip (execute)             {us(hop)}",
            f"  Database.fetch_one (one round trip)            {us(read)}",
            f"  Database.transaction with one INSERT           {us(transaction)}",
            f"  Database.write, one INSERT                     {us(write)}",
            f"  the same, durable (fsynced in the commit)      {us(durable)}"]


async def run(workdir: Path, updates: int = 2000, warmup: int = 200) -> str:
    """The profile's text report."""
    rig = RelayRig(workdir)
    await rig.open()
    out = io.StringIO()
    try:
        for _ in range(warmup):
            await rig.bot_update()
        counting = Counting(rig.services.db)
        await counting.start()
        for _ in range(100):
            await rig.bot_update()
        await counting.stop()
        out.write(f"Per relayed message: {counting.hops / 100:.0f} round trips to SQLite's "
                  f"thread, {counting.commits / 100:.0f} commits (WAL, synchronous=NORMAL).\n")
        out.write("What they cost on this machine:\n")
        out.write("\n".join(await _costs(rig.services.db)) + "\n\n")
        try:
            from pyinstrument import Profiler  # noqa: PLC0415 (optional: a dev dependency)
        except ImportError:
            out.write("pyinstrument is not installed (pip install -e '.[dev]'); "
                      "cProfile only\n\n")
        else:
            profiler = Profiler(interval=0.0005, async_mode="enabled")
            profiler.start()
            for _ in range(updates):
                await rig.bot_update()
            profiler.stop()
            out.write(f"pyinstrument, {updates} relayed messages (wall clock, including "
                      "time awaiting SQLite's thread):\n")
            out.write(profiler.output_text(unicode=False, color=False, show_all=False))
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(updates):
            await rig.bot_update()
        profile.disable()
        stats = io.StringIO()
        pstats.Stats(profile, stream=stats).strip_dirs().sort_stats("tottime").print_stats(20)
        out.write(f"\ncProfile, {updates} relayed messages (the event loop's thread; "
                  "'poll' is time spent waiting for SQLite's thread):\n")
        out.write(stats.getvalue())
    finally:
        await rig.close()
    return out.getvalue()
