"""The periodic sweep with 10,000 claimed conversations: what share of the event loop it takes.

In this process: the real application on an instant Bot API, a real SQLite file holding
10,000 claimed conversations with nothing due (bench/claimed.py), post_init rebuilding the
timers as at start-up; then `sweep.sweep`, what the timer runs every SWEEP_SECONDS, is timed
`runs` times. The share is the median sweep's wall time over SWEEP_SECONDS: wall time counts
the SQLite thread's work as the loop's, so it is an upper bound.

`backend` PostgreSQL (`--backend postgres` or `both`): the same conversations in a database of
the bench's PostgreSQL server (wall time then also counts the server's work and the trips to
it); figures named with `_pg` (`sweep_10k_claimed_loop_share_pg`).

The baseline is the old sweep's work, rebuilt here on the same database: every claimed
conversation read and decrypted in one list, then for each one the silent-peer check (two
reads, and its own timer set again) and the inactivity check (a read, and its timer set again).
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.claimed import PEERS, seed_claimed
from bench.common import SQLITE, Backend, Keys, Result, make_settings, median, ms, open_db
from bot.app import build_application
from bot.escalation import followup, sweep
from bot.platform.services import Services
from storage.requests import Request
from tests.unit.offline import OfflineRequest

TARGET_SHARE = 0.05


class ReadCount:
    """How many requests the sweep reads (each one a trip to SQLite and a decryption):
    wraps `get` of this run's repository."""

    def __init__(self, services: Services) -> None:
        self.count = 0
        get = services.requests.get

        async def counted(request_id: str) -> Request | None:
            self.count += 1
            return await get(request_id)

        services.requests.get = counted  # type: ignore[method-assign]


async def _seed(path: Path, url: str | None, keys: Keys, count: int) -> None:
    db = await open_db(path, url)
    try:
        await seed_claimed(db, keys.keyring(), count, int(time.time()))
        await db.checkpoint()
    finally:
        await db.close()


async def _nothing() -> None:
    return None


async def _old_sweep(services: Services, sample: int | None) -> tuple[float, int]:
    """The old sweep over `sample` claimed conversations (all if None), from its code before
    the follow-ups had one timer: its seconds and how many it covered."""
    later = time.time() + 86_400  # the timers it sets never fire during the run
    started = time.perf_counter()
    rows = await services.db.fetch_all("SELECT * FROM requests WHERE state = 'claimed'")
    claimed = [services.requests._row_to_request(row) for row in rows][:sample]
    for request in claimed:
        await followup.check_silence(services, request.id)
        await services.requests.get(request.id)  # it read the request again to set its timer
        services.timers.at(f"silence:{request.id}", later, _nothing)
        await followup.check_inactive(services, request.id)
        services.timers.at(f"inactive:{request.id}", later, _nothing)
    return time.perf_counter() - started, len(claimed)


async def run(workdir: Path, count: int = 10_000, runs: int = 20,
              baseline_sample: int | None = None, backend: Backend = SQLITE) -> Result:
    keys = Keys.fresh()
    settings = make_settings(workdir, keys, backend)
    await _seed(settings.database_path, settings.database_url, keys, count)
    app = build_application(settings, OfflineRequest(record=False))
    await app.initialize()
    started = time.perf_counter()
    assert app.post_init is not None
    await app.post_init(app)  # opens storage, starts the timers, rebuilds them (one sweep)
    post_init = time.perf_counter() - started
    services = app.bot_data.services
    assert services is not None
    try:
        loading = app.bot_data.screen_loading
        if loading is not None:
            await loading  # as some seconds after start: the crisis screen is loaded
        reads = ReadCount(services)
        durations = []
        for _ in range(runs):
            began = time.perf_counter()
            await sweep.sweep(services)
            durations.append(time.perf_counter() - began)
        read_per_sweep = reads.count / runs
        old_seconds, covered = await _old_sweep(services, baseline_sample)
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()

    sweep_seconds = median(durations)
    share = sweep_seconds / sweep.SWEEP_SECONDS
    old_full = old_seconds * count / covered  # linear in the conversations it walks
    old_share = old_full / sweep.SWEEP_SECONDS
    result = Result("Sweep")
    result.add("claimed conversations (none due)", f"{count:,} held by {PEERS} peers")
    result.add("post_init (timers rebuilt, one sweep)", f"{post_init:.2f} s")
    result.add(f"one sweep: median of {runs}", ms(sweep_seconds))
    result.add("one sweep: slowest", ms(max(durations)))
    result.add("requests read per sweep", f"{read_per_sweep:.0f}")
    result.add(f"loop share (sweep / {sweep.SWEEP_SECONDS} s)", f"{share:.6f}",
               f"<= {TARGET_SHARE}", share <= TARGET_SHARE)
    scaled = "" if covered == count else f", scaled from {covered:,}"
    result.add("baseline: old per-conversation sweep", f"{old_full:.2f} s{scaled}")
    result.add("baseline: old loop share", f"{old_share:.3f}")
    result.figures.update({
        "sweep_10k_claimed_loop_share": round(share, 6),
        "sweep_10k_claimed_ms": round(sweep_seconds * 1000, 2),
        "sweep_10k_claimed_max_ms": round(max(durations) * 1000, 2),
        "sweep_10k_claimed_reads": round(read_per_sweep),
        "sweep_10k_claimed_post_init_seconds": round(post_init, 2),
        "sweep_10k_claimed_old_loop_share": round(old_share, 3),
        "sweep_10k_claimed_old_seconds": round(old_full, 2),
    })
    kept = "a PostgreSQL database over loopback" if backend.postgres else "a real SQLite file"
    result.notes.append(
        f"sweep{backend.suffix}: in-process, instant Bot API, {kept}; share = median wall time of "
        f"`sweep.sweep` over SWEEP_SECONDS ({sweep.SWEEP_SECONDS} s); the baseline redoes "
        "the old sweep's reads, checks and timer settings on the same database")
    return result
