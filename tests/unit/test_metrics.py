"""/metrics and /healthz as an operator reads them over HTTP: the queue in numbers read from
a real SQLite file, events counted where they happen, never a code, alias or id; and health
that turns 503 when the Bot API falls silent or the database does not answer."""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from conftest import GROUP, START, Clock, Harness, peer, responder
from prometheus_client.parser import text_string_to_metric_families

from bot.escalation import sweep
from bot.platform.health import Health
from bot.platform.inbox import Inbox
from bot.platform.metrics import MetricsServer
from storage.backend import Database, open_database
from storage.workload import WorkloadRepository

COORDINATOR = 4001
RISK = "I want to kill myself tonight."


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR}),
            "escalation_schedule": (300.0, 900.0, 1800.0)}


class Monotonic:
    """A monotonic clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """A MetricsServer on a local port, and what an operator's curl would get from it."""

    def __init__(self, server: MetricsServer, health: Health) -> None:
        self.server, self.health = server, health
        self.base = f"http://127.0.0.1:{server.port}"

    async def get(self, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.get(self.base + path) as answer:
            return answer.status, await answer.text()

    async def metrics(self) -> str:
        status, text = await self.get("/metrics")
        assert status == 200
        return text


async def _serve(services: Any, health: Health) -> Served:
    server = MetricsServer(services.metrics, health, WorkloadRepository(services.db),
                           services.clock, listen="127.0.0.1", port=_free_port())
    assert await server.start()
    return Served(server, health)


@pytest.fixture
async def served(harness: Harness, clock: Clock) -> AsyncIterator[Served]:
    """The harness's bot served, its Bot API having just answered."""
    health = Health(harness.services.db, stale_after=25.0, clock=Monotonic())
    health.answered()
    result = await _serve(harness.services, health)
    yield result
    await result.server.stop()


def value(text: str, name: str, **labels: str) -> float | None:
    """One sample's value in the metrics text (None: not there)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None


# ------------------------------------------------------------------ gauges


async def test_metrics_show_the_queue_in_numbers_and_nothing_else(
        harness: Harness, clock: Clock, served: Served) -> None:
    sam, alex, blake = peer(), responder(), responder(918_273_602, "Blake")
    claimed = await harness.claimed(blake, sam)
    waiting = await harness.open_request(alex, "Long night, can't shake it.")
    clock.now = START + 125
    harness.request.network_down = True  # what is said now waits in the outbox
    assert await harness.services.outbox.send_text(alex.user_id, "kept for later") == 0

    text = await served.metrics()
    assert value(text, "peer_support_requests_waiting") == 1
    assert value(text, "peer_support_oldest_waiting_seconds") == 125
    assert value(text, "peer_support_conversations_open") == 1
    assert value(text, "peer_support_outbox_backlog") == 1
    assert value(text, "peer_support_healthy") == 1
    # Nobody was on call: both went straight to the coordinators' step; every step's series
    # is there, at 0 if it never happened.
    assert [value(text, "peer_support_escalations_total", step=s) for s in "123"] == [0, 2, 0]

    # Numbers only: the one label is `step`; no code, alias, name, username or id anywhere.
    labels = {key for family in text_string_to_metric_families(text)
              for sample in family.samples for key in sample.labels}
    assert labels == {"step"}
    assert not re.search(r"R-[2-9A-Z]{4}", text)
    for secret in (claimed, waiting, "Sam", "Alexandra", "Blake", "alex_private"):
        assert secret not in text
    words = set(re.findall(r'[^\s{}=,"]+', text))  # ids as whole words: a value may hold
    for user_id in (alex.user_id, blake.user_id, sam.user_id, GROUP):  # digits of one
        assert str(user_id) not in words


async def test_an_empty_queue_reads_zero(served: Served) -> None:
    text = await served.metrics()
    assert value(text, "peer_support_requests_waiting") == 0
    assert value(text, "peer_support_oldest_waiting_seconds") == 0
    assert value(text, "peer_support_conversations_open") == 0
    assert value(text, "peer_support_outbox_backlog") == 0


# ------------------------------------------------------------------ counters


async def test_each_ladder_step_is_counted_once(
        harness: Harness, clock: Clock, served: Served) -> None:
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    await harness.open_request(alex)
    clock.now = START + 300
    for _ in range(3):  # the timer, the sweep and a duplicate job all try
        await sweep.sweep(harness.services)
    text = await served.metrics()
    assert value(text, "peer_support_escalations_total", step="1") == 1
    assert value(text, "peer_support_escalations_total", step="2") == 0

    clock.now = START + 5000  # steps 2 and 3 caught up together: each counted
    await sweep.sweep(harness.services)
    text = await served.metrics()
    assert [value(text, "peer_support_escalations_total", step=s) for s in "123"] == [1, 1, 1]


async def test_a_429_from_telegram_is_counted(harness: Harness, served: Served) -> None:
    alex = 918_273_611
    harness.request.flood[alex] = 2
    assert await harness.services.outbox.send_text(alex, "first") == 0  # kept, not lost
    assert value(await served.metrics(), "peer_support_telegram_429_total") == 1


async def test_an_update_set_aside_is_counted(harness: Harness, served: Served) -> None:
    poison = responder().text("a date that is not one")
    poison["message"]["date"] = "notanint"
    inbox = Inbox(harness.app, harness.services)
    await inbox.receive([poison])
    await inbox.settled()
    assert value(await served.metrics(), "peer_support_updates_set_aside_total") == 1


async def test_a_request_flagged_high_risk_is_counted_once(
        harness: Harness, served: Served) -> None:
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    await harness.open_request(alex, RISK)
    await harness.send(alex.text(RISK))  # said again: the same request, not counted again
    text = await served.metrics()
    assert value(text, "peer_support_high_risk_total") == 1
    # Flagged at once: it jumped straight to the coordinators' step.
    assert value(text, "peer_support_escalations_total", step="2") == 1
    assert "Alexandra" not in text and RISK not in text


# ------------------------------------------------------------------ health


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(tmp_path / "data" / "peer_support.db")
    yield database
    await database.close()


async def _hold(db: Database, seconds: float) -> None:
    """Keep the database busy, as a stuck write would."""
    await db.run(lambda session: time.sleep(seconds))


async def test_health_goes_from_starting_to_ok_to_stale_and_back(db: Database) -> None:
    clock = Monotonic()
    health = Health(db, stale_after=25.0, clock=clock, database_timeout=0.2)
    assert (await health.verdict()).reason == "starting"
    health.answered()
    verdict = await health.verdict()
    assert verdict.healthy and verdict.reason.startswith("ok")
    clock.now += 20  # a long poll and some: still fine
    assert (await health.verdict()).healthy
    clock.now += 27  # silent since the last answer, as while a call hangs on a dead link
    verdict = await health.verdict()
    assert not verdict.healthy
    assert verdict.reason == "the Bot API has not answered for 47 s"
    health.answered()
    assert (await health.verdict()).healthy

    holding = asyncio.create_task(_hold(db, 1.0))
    await asyncio.sleep(0.05)
    verdict = await health.verdict()
    assert not verdict.healthy and verdict.reason == "the database does not answer"
    assert (await health.verdict()).reason == "the database does not answer"  # the same check
    await holding
    assert (await health.verdict()).healthy
    await health.close()


async def test_a_closed_database_does_not_answer(tmp_path: Path) -> None:
    database = await open_database(tmp_path / "data" / "peer_support.db")
    health = Health(database, stale_after=25.0)
    health.answered()
    await database.close()
    assert (await health.verdict()).reason == "the database does not answer"


async def test_webhook_mode_is_starting_until_the_webhook_is_set(db: Database) -> None:
    health = Health(db, stale_after=25.0, webhook=True)
    health.answered()
    assert (await health.verdict()).reason == "starting"
    health.webhook_set()
    assert (await health.verdict()).healthy


async def test_the_webhook_probe_notes_each_answer_of_the_bot_api(harness: Harness) -> None:
    clock = Monotonic()
    health = Health(harness.services.db, stale_after=25.0, webhook=True, clock=clock)
    health.webhook_set()
    stopping = asyncio.Event()
    harness.request.network_down = True
    probe = asyncio.create_task(health.probe(harness.app.bot, stopping))
    await asyncio.sleep(0.05)
    assert health.bot_api_problem() == "starting"  # no answer yet
    stopping.set()
    await probe
    harness.request.network_down = False
    stopping.clear()
    probe = asyncio.create_task(health.probe(harness.app.bot, stopping))
    await asyncio.sleep(0.05)
    stopping.set()
    await probe
    assert health.bot_api_problem() is None


async def test_healthz_over_http(harness: Harness, clock: Clock) -> None:
    monotonic = Monotonic()
    health = Health(harness.services.db, stale_after=25.0, clock=monotonic,
                    database_timeout=0.2)
    served = await _serve(harness.services, health)
    try:
        assert await served.get("/healthz") == (503, "starting\n")
        health.answered()
        status, text = await served.get("/healthz")
        assert status == 200 and text.startswith("ok")
        monotonic.now += 47
        assert await served.get("/healthz") == (503, "the Bot API has not answered for 47 s\n")
        assert value(await served.metrics(), "peer_support_healthy") == 0
        health.answered()

        # The database stuck: /healthz says so, /metrics still answers with the counters.
        holding = asyncio.create_task(_hold(harness.services.db, 1.0))
        await asyncio.sleep(0.05)
        assert await served.get("/healthz") == (503, "the database does not answer\n")
        text = await served.metrics()
        assert value(text, "peer_support_healthy") == 0
        assert value(text, "peer_support_requests_waiting") is None  # left out, not wrong
        assert value(text, "peer_support_escalations_total", step="1") == 0
        await holding
        assert (await served.get("/healthz"))[0] == 200

        assert (await served.get("/nothing-here"))[0] == 404
        assert (await served.get("/"))[0] == 404
    finally:
        await served.server.stop()


async def test_a_port_in_use_leaves_the_bot_running_without_metrics(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        health = Health(harness.services.db, stale_after=25.0)
        server = MetricsServer(harness.services.metrics, health,
                               WorkloadRepository(harness.services.db), harness.services.clock,
                               listen="127.0.0.1", port=port)
        assert not await server.start()
        await server.stop()
    assert f"METRICS_PORT: cannot listen on 127.0.0.1:{port}" in caplog.text


# ------------------------------------------------------------------ the alert rules


def test_the_sample_alert_rules_are_prometheus_rules() -> None:
    """deploy/alerts.yml is a Prometheus rules file: groups of named rules, each alert with an
    expression, a severity and a summary (parsed with PyYAML where installed)."""
    text = (Path(__file__).resolve().parents[2] / "deploy" / "alerts.yml").read_text(
        encoding="utf-8")
    try:
        import yaml
    except ImportError:  # a light check of its shape instead
        assert re.search(r"^groups:$", text, re.MULTILINE) and "\t" not in text
        alerts = re.findall(r"^ {6}- alert: (\w+)$", text, re.MULTILINE)
        assert len(alerts) == len(re.findall(r"^ {8}expr: ", text, re.MULTILINE)) >= 4
    else:
        [group] = yaml.safe_load(text)["groups"]
        assert group["name"]
        rules = group["rules"]
        alerts = [rule["alert"] for rule in rules]
        for rule in rules:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert rule["expr"].strip() and rule["annotations"]["summary"]
            assert rule["labels"]["severity"] in ("page", "warning")
    assert len(set(alerts)) == len(alerts) >= 4
    for metric in ("peer_support_oldest_waiting_seconds", "peer_support_outbox_backlog",
                   "peer_support_telegram_429_total", "peer_support_healthy", "up{"):
        assert metric in text
    assert "> 1800" in text and "ESCALATION_SCHEDULE" in text
