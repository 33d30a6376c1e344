"""/metrics and /healthz, on METRICS_LISTEN:METRICS_PORT (off when METRICS_PORT is unset).

`Metrics` is one registry per running bot (never prometheus_client's global one) holding:
- counters of events, counted in this process where they happen (the ladder, the outbox and
  the poller, the inbox, the risk module) and starting again at 0 when it restarts, as
  Prometheus counters do (`rate()` and `increase()` handle the reset). With several instances
  each counts its own: add them up (`sum`);
- gauges read from the database at each scrape (storage/workload.py; one read at a time,
  shared by the scrapes that come while it is under way), the same on every instance of one
  database: take one (`max`). If the database does not answer in time they are left out of
  that scrape, and `peer_support_healthy` is 0;
- `peer_support_active`, 1: this instance serves (add instances up with `sum`: 0 means
  none does). Before it serves (starting, or standing by on PostgreSQL) the server renders
  `peer_support_active 0` alone, and reads nothing from the database.
Numbers only: the one label is `step`; no request code, alias, id or text is ever a label or
a value.

`MetricsServer` serves both paths with aiohttp (imported only when it starts); anything else
is 404.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.platform.health import (
    DATABASE_SILENT,
    STANDING_BY,
    STARTING,
    STOPPING,
    Health,
    OneAtATime,
)
from storage.workload import Workload, WorkloadRepository

if TYPE_CHECKING:
    from aiohttp import web

_log = logging.getLogger(__name__)
LADDER_STEPS = 3  # bot/escalation/ladder.py's STEPS: each step's series exists from the start
_ACTIVE = "1 while this instance serves; 0 while it starts, stands by (PostgreSQL) or stops"


class _Gauges(Collector):
    """The gauges as last read (`MetricsServer` reads them just before each rendering)."""

    def __init__(self) -> None:
        self.workload: Workload | None = None
        self.healthy = False

    def collect(self) -> Iterable[Metric]:
        yield GaugeMetricFamily("peer_support_active", _ACTIVE, value=1)
        yield GaugeMetricFamily("peer_support_healthy",
                                "1 when /healthz would answer 200, else 0",
                                value=int(self.healthy))
        workload = self.workload
        if workload is None:
            return
        yield GaugeMetricFamily("peer_support_requests_waiting",
                                "Requests in the queue, not yet claimed",
                                value=workload.waiting)
        yield GaugeMetricFamily("peer_support_oldest_waiting_seconds",
                                "How long the longest-waiting request has been in the queue "
                                "(0 when none waits)", value=workload.oldest_waiting_seconds)
        yield GaugeMetricFamily("peer_support_conversations_open",
                                "Claimed requests, not yet closed",
                                value=workload.conversations_open)
        yield GaugeMetricFamily("peer_support_outbox_backlog",
                                "Outbox rows not sent yet (waiting or on their way)",
                                value=workload.outbox_backlog)


class Metrics:
    """The registry /metrics renders, and the events this process counts."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._escalations = Counter(
            "peer_support_escalations_total", "Escalation steps taken, by step",
            ["step"], registry=self.registry)
        for step in range(1, LADDER_STEPS + 1):
            self._escalations.labels(step=str(step))
        self._flood = Counter(
            "peer_support_telegram_429_total",
            "Bot API calls Telegram answered 429 Too Many Requests", registry=self.registry)
        self._set_aside = Counter(
            "peer_support_updates_set_aside_total",
            "Updates that could not be handled and were set aside", registry=self.registry)
        self._high_risk = Counter(
            "peer_support_high_risk_total", "Requests newly flagged high risk",
            registry=self.registry)
        self.gauges = _Gauges()
        self.registry.register(self.gauges)

    def escalated(self, first: int, last: int | None = None) -> None:
        """Ladder steps `first` to `last` (or `first` alone) were taken."""
        for step in range(first, (last or first) + 1):
            self._escalations.labels(step=str(step)).inc()

    def flood_limited(self, calls: int = 1) -> None:
        """Telegram answered a call (or `calls` calls) 429."""
        self._flood.inc(calls)

    def set_aside(self) -> None:
        """An update was set aside."""
        self._set_aside.inc()

    def flagged(self) -> None:
        """A request was flagged high risk."""
        self._high_risk.inc()

    def render(self) -> bytes:
        """The Prometheus text format of everything, as it stands now."""
        return generate_latest(self.registry)


class _Standing(Collector):
    """All /metrics holds before this instance serves (starting, standing by, stopping)."""

    def collect(self) -> Iterable[Metric]:
        yield GaugeMetricFamily("peer_support_active", _ACTIVE, value=0)


@dataclass(frozen=True)
class _Serving:
    metrics: Metrics
    health: Health
    reads: OneAtATime[Workload]


class MetricsServer:
    """/healthz and /metrics over HTTP, one server from before the instance lock is taken to
    the end: `start` once, `serve` once this instance is active, `leave` when it stops
    serving, `stop` at shutdown (no port left unanswered between the phases).

    Until `serve`, and after `leave`, it answers for the runner's `phase`, reading nothing
    from the database: /healthz 200 "standing by: another instance is active" for a
    PostgreSQL standby (a container orchestrator should leave it running: it is doing its
    job), else 503 with the phase ("starting", "stopping"); /metrics `peer_support_active 0`
    alone (no `peer_support_healthy`, so that `max` over instances counts active ones)."""

    def __init__(self, *, listen: str, port: int) -> None:
        self.listen, self.port = listen, port
        self.phase = STARTING
        self._serving: _Serving | None = None
        self._standing = CollectorRegistry()
        self._standing.register(_Standing())
        self._runner: web.AppRunner | None = None

    def serve(self, metrics: Metrics, health: Health, workload: WorkloadRepository,
              clock: Callable[[], int]) -> None:
        """This instance is active: full health, counters and gauges from now on."""
        reads = OneAtATime(lambda: workload.read(clock()), health.database_timeout)
        self._serving = _Serving(metrics, health, reads)

    async def leave(self) -> None:
        """This instance stops serving (before its database is closed): "stopping"."""
        self.phase = STOPPING
        serving, self._serving = self._serving, None
        if serving is not None:
            await serving.health.close()
            await serving.reads.close()

    async def start(self) -> bool:
        """Listen; False (said in the log) if the address cannot be used: the bot serves
        people without it rather than not at all."""
        from aiohttp import web  # noqa: PLC0415 (only when served; the runner preloads it)

        if self._runner is not None:
            raise RuntimeError("the metrics server is started already")
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._scrape)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.listen, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            _log.error("METRICS_PORT: cannot listen on %s:%d (%s); /healthz and /metrics are "
                       "not served", self.listen, self.port, exc.strerror or type(exc).__name__)
            return False
        self._runner = runner
        _log.info("serving /healthz and /metrics on %s:%d", self.listen, self.port)
        return True

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.leave()

    async def _healthz(self, request: web.Request) -> web.Response:
        from aiohttp import web  # noqa: PLC0415

        serving = self._serving
        if serving is None:
            phase = self.phase
            return web.Response(status=200 if phase == STANDING_BY else 503, text=f"{phase}\n")
        verdict = await serving.health.verdict()
        return web.Response(status=200 if verdict.healthy else 503, text=f"{verdict.reason}\n")

    async def _scrape(self, request: web.Request) -> web.Response:
        from aiohttp import web  # noqa: PLC0415

        serving = self._serving
        if serving is None:
            return web.Response(body=generate_latest(self._standing),
                                headers={"Content-Type": CONTENT_TYPE_LATEST})
        try:  # one read at a time, shared by the scrapes that come while it is under way
            workload: Workload | None = await serving.reads.result()
        except Exception as exc:  # timed out, closed, refused: left out of this scrape
            _log.warning("/metrics: %s (%s); its gauges are left out", DATABASE_SILENT,
                         type(exc).__name__)
            workload = None
        gauges = serving.metrics.gauges
        gauges.workload = workload  # set and rendered with no await in between
        gauges.healthy = workload is not None and serving.health.bot_api_problem() is None
        return web.Response(body=serving.metrics.render(),
                            headers={"Content-Type": CONTENT_TYPE_LATEST})
