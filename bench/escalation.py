"""Escalation timing: with 10,000 ladder timers pending, how late are 200 steps that fall due
within a few seconds?

In this process: the real application on an instant Bot API (pacing on, as deployed, with the
outbox's background sender running), 9,800 requests seeded far up their ladders and scheduled
by the bot's own start-up (`sweep.rebuild` in post_init), then 200 more due 3 to 13 s later,
scheduled with `ladder.wake_by` as a request entering the queue is. A step's time is when the
bot records it as taken (`take_step`, after its messages are queued); lateness is that minus
the step's deadline.

`backend` PostgreSQL (`--backend postgres` or `both`): the requests are kept in a database of
the bench's PostgreSQL server instead of a SQLite file; figures named with `_pg`
(`escalation_lateness_p99_seconds_pg`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

from telegram import Update

from bench.common import (
    SQLITE,
    Backend,
    Keys,
    Result,
    Seed,
    make_settings,
    median,
    mid_ladder,
    open_db,
    percentile,
    seed_open_requests,
)
from bot.app import BotApplication, build_application
from bot.escalation import ladder
from bot.platform.outbox import send_scope
from bot.platform.services import Services
from bot.platform.settings import Settings
from storage.requests import Request
from tests.unit.offline import OfflineRequest, Person

TARGET_P99 = 1.0
COORDINATORS = frozenset({4001, 4002})
PEERS = (2001, 2002, 2003)
LEAD_SECONDS = 3


class Watch:
    """When each watched request's timer job started (its first read of the request) and
    when its step was recorded as taken: wraps two methods of this run's repository."""

    def __init__(self, services: Services, expected: int) -> None:
        self.fired: dict[str, float] = {}
        self.taken: dict[str, float] = {}
        self.all_taken = asyncio.Event()
        self._expected = expected
        requests = services.requests
        take_step, get = requests.take_step, requests.get

        async def first_read(request_id: str) -> Request | None:
            self.fired.setdefault(request_id, time.time())
            return await get(request_id)

        async def timed(request_id: str, done: int, next_step_at: int | None, now: int,
                        ) -> bool:
            ok = await take_step(request_id, done, next_step_at, now)
            if ok:
                self.taken.setdefault(request_id, time.time())
                if len(self.taken) >= self._expected:
                    self.all_taken.set()
            return ok

        requests.take_step = timed  # type: ignore[method-assign]
        requests.get = first_read  # type: ignore[method-assign]


async def _seed_far(settings: Settings, keys: Keys, count: int) -> None:
    """Requests whose next step is an hour or two away: timers that only wait."""
    db = await open_db(settings.database_path, settings.database_url)
    try:
        far = mid_ladder(count, int(time.time()), 700_000_000, soonest=3600, spread=3600)
        await seed_open_requests(db, keys.keyring(), far)
    finally:
        await db.close()


async def _process(app: BotApplication, raw: dict[str, Any]) -> None:
    update = Update.de_json(raw, app.bot)
    assert update is not None
    with send_scope(f"u{update.update_id}"):
        await app.process_update(update)


async def _schedule_due(services: Services, keys: Keys, due: int, window: int,
                        ) -> tuple[list[str], list[Seed]]:
    """`due` requests whose next step falls due over `window` seconds from LEAD_SECONDS on,
    scheduled as a request entering the queue is."""
    base = int(time.time()) + LEAD_SECONDS
    seeds = []
    for n in range(due):
        when, step = base + n * window // due, n % 3
        queued = when - round(services.settings.escalation_schedule[step])
        seeds.append(Seed(800_000_000 + n, step, when, queued))
    ids = await seed_open_requests(services.db, keys.keyring(), seeds)
    for seed in seeds:
        ladder.wake_by(services, seed.due)
    return ids, seeds


async def run(workdir: Path, pending: int = 10_000, due: int = 200, window: int = 10,
              backend: Backend = SQLITE) -> Result:
    keys = Keys.fresh()
    settings = make_settings(workdir, keys, backend, coordinator_ids=COORDINATORS)
    await _seed_far(settings, keys, pending - due)
    app = build_application(settings, OfflineRequest(members=set(PEERS), record=False))
    await app.initialize()
    started = time.perf_counter()
    assert app.post_init is not None
    await app.post_init(app)  # opens storage, starts the timers and rebuilds them all
    post_init = time.perf_counter() - started
    services = app.bot_data.services
    assert services is not None
    stopping = asyncio.Event()
    sender = asyncio.create_task(services.outbox.run(stopping))
    try:
        for user_id in PEERS:  # on call, so step 1 notifies someone
            await _process(app, Person(user_id).command("/start"))
            await _process(app, Person(user_id).command("/oncall 12h"))
        watch = Watch(services, due)
        ids, seeds = await _schedule_due(services, keys, due, window)
        deadlines = await services.requests.ladder_pending_count()
        jobs = _escalation_jobs(services.timers)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(watch.all_taken.wait(), LEAD_SECONDS + window + 60)
    finally:
        stopping.set()
        await sender
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()

    early = len(watch.taken.keys() - set(ids))
    if early or len(watch.taken) < due:
        raise RuntimeError(f"{len(watch.taken)} of {due} steps were taken ({early} not due)")
    lateness = [watch.taken[i] - seed.due for i, seed in zip(ids, seeds, strict=True)]
    fired = [watch.fired[i] - seed.due for i, seed in zip(ids, seeds, strict=True)]
    p50, p99 = median(lateness), percentile(lateness, 99)
    result = Result("Escalation timing")
    result.add("ladder deadlines pending", f"{deadlines:,} (on {jobs} wake-up timer)")
    result.add("steps due", f"{due} over {window} s ({due // window} a second)")
    result.add("post_init rebuilding the others' timers",
               f"{pending - due:,} in {post_init:.2f} s")
    result.add("timer fired (job started): p50 / p99 late",
               f"{median(fired):.3f} s / {percentile(fired, 99):.3f} s")
    result.add("step taken: lateness p50", f"{p50:.3f} s")
    result.add("step taken: lateness p99", f"{p99:.3f} s", f"< {TARGET_P99:.0f} s",
               p99 < TARGET_P99)
    result.add("step taken: lateness max", f"{max(lateness):.3f} s")
    result.figures.update({
        "escalation_lateness_p99_seconds": round(p99, 3),
        "escalation_lateness_p50_seconds": round(p50, 3),
        "escalation_lateness_max_seconds": round(max(lateness), 3),
        "escalation_fired_p99_seconds": round(percentile(fired, 99), 3),
    })
    result.notes.append(
        f"escalation{backend.suffix}: in-process, {backend.name}, instant Bot API, outbox "
        "pacing on and its sender running, "
        "3 peers on call and 2 coordinators; lateness = when the step is recorded as taken "
        "(its messages queued) minus its deadline")
    return result


def _escalation_jobs(timers: Any) -> int:
    """How many ladder timers APScheduler holds (reads the scheduler Timers wraps): one
    wake-up serves every waiting request."""
    return sum(job.id.startswith("escalate") for job in timers._scheduler.get_jobs())
