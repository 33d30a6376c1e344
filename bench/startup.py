"""Start-up with 10,000 open requests part-way up the escalation ladder, and with 10,000
claimed conversations (bench/claimed.py): the real bot process (`python -m bot`) against the
Bot API emulator, timed from just before the process is created to its "polling for updates"
line (logged as the first getUpdates call is made), with the "timers rebuilt" line on the way;
peak RSS is the process's VmHWM once it polls.

Runs on an empty database alternate with the 10,000-request runs, so the cost of the requests
themselves reads as the difference.

`backend` PostgreSQL (`--backend postgres` or `both`): each of the three bots keeps its data in
a database of its own on the bench's PostgreSQL server (DATABASE_URL; the bot takes its
instance lock there as it starts); figures named with `_pg` (`startup_10k_seconds_pg`).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.claimed import seed_claimed
from bench.common import (
    SQLITE,
    Backend,
    Keys,
    Result,
    median,
    mid_ladder,
    open_db,
    peak_rss_mb,
    seed_open_requests,
)
from bench.processes import Bot, running_emulator

TARGET_SECONDS = 2.0
TARGET_RSS_MB = 120.0
SETTLE_SECONDS = 0.5  # after polling starts, before VmHWM is read


async def _seed(bot: Bot, keys: Keys, count: int, *, claimed: bool = False) -> None:
    db = await open_db(bot.db_path, bot.database_url)
    try:
        if claimed:  # nothing falls due while the bot starts (see bench/claimed.py)
            await seed_claimed(db, keys.keyring(), count, int(time.time()))
            await db.checkpoint()
        elif count:
            # Due 10 to 20 minutes from now: nothing falls due while the bot starts.
            seeds = mid_ladder(count, int(time.time()), 600_000_000, soonest=600, spread=600)
            await seed_open_requests(db, keys.keyring(), seeds)
            await db.checkpoint()
    finally:
        await db.close()


def _one_start(bot: Bot, rebuilt_line: str) -> dict[str, float]:
    bot.start()
    try:
        polling = bot.wait_for_log("polling for updates")
        time.sleep(SETTLE_SECONDS)
        assert bot.process is not None
        rss = peak_rss_mb(bot.process.pid)
        rebuilt = bot.logged_at("timers rebuilt")
        starting = bot.logged_at(" INFO bot: starting")
        if rebuilt is None or starting is None:
            raise RuntimeError("the bot's log lacks its start-up lines")
        if rebuilt_line not in bot.log_text():
            raise RuntimeError(f"no {rebuilt_line!r} in the bot's log:\n{bot.log_text()}")
    finally:
        code = bot.stop()
    if code != 0 or bot.problems():
        raise RuntimeError(f"the bot exited with {code}: {bot.problems()}")
    return {"polling": polling - bot.started_at, "rebuilt": rebuilt - bot.started_at,
            "starting": starting - bot.started_at, "rss": rss}


def run(workdir: Path, count: int = 10_000, runs: int = 3, backend: Backend = SQLITE,
        ) -> Result:
    result = Result("Start-up")
    keys = Keys.fresh()
    with running_emulator(workdir) as server:
        bots = {n: Bot(server, workdir / f"bot-{n}", keys, database_url=backend.new_url())
                for n in (0, count)}
        for n, bot in bots.items():
            asyncio.run(_seed(bot, keys, n))
        held = Bot(server, workdir / "bot-claimed", keys, database_url=backend.new_url())
        asyncio.run(_seed(held, keys, count, claimed=True))
        samples: dict[int, list[dict[str, float]]] = {0: [], count: []}
        claimed: list[dict[str, float]] = []
        for _ in range(runs):
            for n, bot in bots.items():
                samples[n].append(_one_start(bot, f"timers rebuilt: {n} ladders"))
            claimed.append(_one_start(held, f"timers rebuilt: 0 ladders, {count} conversations"))

    def med(n: int, key: str) -> float:
        return median([s[key] for s in samples[n]])

    full, empty = med(count, "polling"), med(0, "polling")
    held_polling = median([s["polling"] for s in claimed])
    held_rss = median([s["rss"] for s in claimed])
    rss, rss_empty = med(count, "rss"), med(0, "rss")
    result.add("runs (alternating with an empty database)", f"{runs} + {runs}")
    result.add("empty database: polling after", f"{empty:.2f} s ({rss_empty:.0f} MB peak RSS)")
    result.add(f"{count:,} open: interpreter and imports done", f"{med(count, 'starting'):.2f} s")
    result.add(f"{count:,} open: every timer rebuilt", f"{med(count, 'rebuilt'):.2f} s")
    result.add(f"{count:,} open: polling (first getUpdates)", f"{full:.2f} s",
               f"< {TARGET_SECONDS:.0f} s", full < TARGET_SECONDS)
    result.add(f"{count:,} open: peak RSS (VmHWM)", f"{rss:.0f} MB", f"< {TARGET_RSS_MB:.0f} MB",
               rss < TARGET_RSS_MB)
    result.add(f"{count:,} claimed: every timer rebuilt",
               f"{median([s['rebuilt'] for s in claimed]):.2f} s")
    result.add(f"{count:,} claimed: polling (first getUpdates)", f"{held_polling:.2f} s",
               f"< {TARGET_SECONDS:.0f} s", held_polling < TARGET_SECONDS)
    result.add(f"{count:,} claimed: peak RSS (VmHWM)", f"{held_rss:.0f} MB")
    result.figures.update({
        "startup_10k_seconds": round(full, 2),
        "startup_10k_claimed_seconds": round(held_polling, 2),
        "startup_10k_claimed_rss_mb": round(held_rss, 1),
        "startup_10k_claimed_seconds_max": round(max(s["polling"] for s in claimed), 2),
        "startup_10k_rss_mb": round(rss, 1),
        "startup_10k_rebuilt_seconds": round(med(count, "rebuilt"), 2),
        "startup_empty_seconds": round(empty, 2),
        "startup_empty_rss_mb": round(rss_empty, 1),
        "startup_10k_seconds_max": round(max(s["polling"] for s in samples[count]), 2),
        "startup_10k_rss_mb_max": round(max(s["rss"] for s in samples[count]), 1),
    })
    result.notes.append(
        f"startup{backend.suffix}: `python -m bot` at LOG_LEVEL=INFO against the emulator, "
        f"on {backend.name}; time from just "
        "before the process is created to its 'polling for updates' log line (written as "
        "the first getUpdates call is made); medians of the runs; requests seeded sealed "
        "with steps 0-2 taken and the next due 10-20 min later (none runs during start-up); "
        "claimed conversations seeded as bench/claimed.py says (none due either)")
    return result
