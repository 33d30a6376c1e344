"""Named timers on APScheduler. The database holds every deadline; these only wake us up.

A timer has a stable name (`escalate`, `offcall:<peer id>`), scheduling it again replaces it,
and a job that fires late still runs (a missed or late job is harmless: the work it triggers
re-reads the database and acts only if something is still due). Failures are logged by class
only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.platform.outbox import current_scope

_log = logging.getLogger(__name__)
Work = Callable[[], Awaitable[None]]


STOP_WAIT_SECONDS = 5.0
CANCELLED_WAIT_SECONDS = 10.0  # then for what was cancelled to end (a copy stops in a moment)
# Runs of one named one-off timer that may overlap. A wake-up sets its own timer again as it
# finishes; APScheduler counts that run until its task is done, so with its default of one a
# deadline already past would be dropped ("maximum number of running instances reached").
# The work a timer triggers is idempotent, so a few overlapping runs are harmless.
AT_MAX_RUNS = 4


async def isolated(what: str, work: Awaitable[None]) -> None:
    """Await one item of a round of timed work (one request's step, one peer's pause): its
    failure is logged by class (as "`what` failed") and must not hold up the others."""
    try:
        await work
    except Exception as exc:
        _log.exception("%s failed (%s)", what, type(exc).__name__)


class Timers:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._running: set[asyncio.Task[Any]] = set()

    async def _guarded(self, name: str, work: Work) -> None:
        current_scope.set(None)  # a timer's sends are its own work, not the scheduler's
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await work()
        except asyncio.CancelledError:  # by `shutdown`, past its wait: done again at start
            _log.info("timer %s stopped by the shutdown", name.split(":", 1)[0])
        except Exception as exc:
            _log.exception("timer %s failed: %s", name.split(":", 1)[0], type(exc).__name__)
        finally:
            if task is not None:
                self._running.discard(task)

    def start(self) -> None:
        """Start firing; needs the running event loop."""
        self._scheduler.start()

    async def shutdown(self) -> None:
        """Fire nothing more, and let jobs already running finish (a step half-sent would be
        taken again at the next start, but the database must not close under it)."""
        if not self._scheduler.running:
            return
        self._scheduler.pause()  # nothing new starts; shutting down now would cancel the rest
        await asyncio.sleep(0)  # a job the scheduler has just started registers in _running
        running = [task for task in self._running if not task.done()]
        if running:
            await asyncio.wait(running, timeout=STOP_WAIT_SECONDS)
        self._scheduler.shutdown(wait=False)  # cancels whatever is still running after that
        cancelled = [task for task in self._running if not task.done()]
        if cancelled:  # their tidying up (a backup's partial file, its lease) needs the database
            await asyncio.wait(cancelled, timeout=CANCELLED_WAIT_SECONDS)

    def at(self, name: str, when: float, work: Work) -> None:
        """Run `work` at Unix time `when` (at once if that is past), replacing `name`."""
        self._scheduler.add_job(
            self._guarded, "date", run_date=datetime.fromtimestamp(when, UTC), args=(name, work),
            id=name, replace_existing=True, misfire_grace_time=None, coalesce=True,
            max_instances=AT_MAX_RUNS)

    def by(self, name: str, when: float, work: Work) -> None:
        """Make sure `name` fires by `when`: set it if it is not set or set later; an earlier
        one stays. One timer can so serve every deadline of a kind: it fires at the earliest,
        does what is due, and sets itself for the next (10,000 waiting requests: one timer)."""
        current = self.scheduled(name)
        if current is None or current.timestamp() > when:
            self.at(name, when, work)

    def every(self, name: str, seconds: float, work: Work) -> None:
        self._scheduler.add_job(
            self._guarded, "interval", seconds=seconds, args=(name, work), id=name,
            replace_existing=True, misfire_grace_time=None, coalesce=True, max_instances=1)

    def cancel(self, name: str) -> None:
        with contextlib.suppress(JobLookupError):
            self._scheduler.remove_job(name)

    def scheduled(self, name: str) -> datetime | None:
        """When `name` fires next, if it is scheduled (for tests and the sweep)."""
        job = self._scheduler.get_job(name)
        return job.next_run_time if job is not None else None
