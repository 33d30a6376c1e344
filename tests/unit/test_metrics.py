"""/metrics and /healthz as an operator reads them over HTTP: the queue in numbers read from
a real SQLite file, events counted where they happen, never a code, alias or id; and health
that turns 503 when the Bot API falls silent, the poller stops polling, the webhook is gone,
Telegram cannot deliver to it or the database does not answer, naming each; a standby's and a
starting bot's answers."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from conftest import GROUP, START, Clock, Harness, peer, responder
from prometheus_client.parser import text_string_to_metric_families
from telegram import BotCommandScopeChat
from telegram.request import RequestData

from bot.escalation import sweep
from bot.platform.health import STANDING_BY, Health, Verdict
from bot.platform.inbox import Inbox
from bot.platform.metrics import MetricsServer
from bot.platform.outbox import DeliveryError
from bot.team import members
from storage.backend import Database, open_database
from storage.workload import Workload, WorkloadRepository

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


async def _serve(services: Any, health: Health,
                 workload: WorkloadRepository | None = None) -> Served:
    server = MetricsServer(listen="127.0.0.1", port=_free_port())
    assert await server.start()
    server.serve(services.metrics, health, workload or WorkloadRepository(services.db),
                 services.clock)
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


async def test_a_stuck_database_is_named_not_blamed_on_the_bot_api(db: Database) -> None:
    """The poller stuck storing what it fetched (a database that does not answer): /healthz
    says it is not polling, and why, and that the database does not answer; never that the
    Bot API is silent."""
    clock = Monotonic()
    health = Health(db, stale_after=25.0, clock=clock, database_timeout=0.2)
    health.answered()
    holding = asyncio.create_task(_hold(db, 1.0))
    await asyncio.sleep(0.05)
    with health.pause("updates are waiting to be stored"):
        clock.now += 20  # within the window: only the database is named
        assert (await health.verdict()).reason == "the database does not answer"
        clock.now += 8
        verdict = await health.verdict()
        assert verdict == Verdict(False, "not polling for 28 s: updates are waiting to be "
                                         "stored; the database does not answer")
    await holding
    # Polling again: its call has been out a second; the Bot API's silence counts from there.
    clock.now += 1
    assert (await health.verdict()).healthy

    # Both silent at once: both named (the Bot API counted from the end of the pause).
    clock.now += 30
    holding = asyncio.create_task(_hold(db, 1.0))
    await asyncio.sleep(0.05)
    assert (await health.verdict()).reason == ("the Bot API has not answered for 31 s; "
                                               "the database does not answer")
    await holding
    await health.close()


async def test_a_full_backlog_is_named_with_a_healthy_database(db: Database) -> None:
    clock = Monotonic()
    health = Health(db, stale_after=25.0, clock=clock)
    health.answered()
    with health.pause("the backlog of 2000 updates is full"):
        clock.now += 40
        assert (await health.verdict()) == Verdict(
            False, "not polling for 40 s: the backlog of 2000 updates is full")
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


HOOK = "https://bot.example.org/telegram/hook"
Answer = Callable[[str, dict[str, Any]], "tuple[int, dict[str, Any]] | None"]
TOO_MANY = (429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry "
                  "after 3", "parameters": {"retry_after": 3}})


def _answering(harness: Harness, monkeypatch: pytest.MonkeyPatch, answer: Answer) -> None:
    """The offline Bot API answers the methods `answer` knows as it says (None: as usual)."""
    usual = harness.request.do_request

    async def do_request(url: str, method: str, request_data: RequestData | None = None,
                         **timeouts: Any) -> tuple[int, bytes]:
        params = request_data.parameters if request_data else {}
        given = answer(url.rsplit("/", 1)[-1], params)
        if given is None:
            return await usual(url, method, request_data, **timeouts)
        status, body = given
        return status, json.dumps(body).encode()

    monkeypatch.setattr(harness.request, "do_request", do_request)


def _webhook_info(url: str, error: str | None = None, *, error_at: int = 1_700_000_000,
                  waiting: int = 3) -> tuple[int, dict[str, Any]]:
    info: dict[str, Any] = {"url": url, "has_custom_certificate": False,
                            "pending_update_count": waiting}
    if error is not None:
        info |= {"last_error_date": error_at, "last_error_message": error}
    return 200, {"ok": True, "result": info}


async def _probe_once(health: Health, harness: Harness,
                      flood_limited: Callable[[], None] = lambda: None) -> None:
    """One round of the webhook probe (the offline Bot API answers at once)."""
    stopping = asyncio.Event()
    probe = asyncio.create_task(health.probe(harness.app.bot, HOOK, stopping,
                                             flood_limited=flood_limited))
    await asyncio.sleep(0.05)
    stopping.set()
    await probe


async def test_the_webhook_probe_notes_each_answer_of_the_bot_api(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    health = Health(harness.services.db, stale_after=25.0, webhook=True, clock=Monotonic())
    health.webhook_set()
    harness.request.network_down = True
    await _probe_once(health, harness)
    assert health.bot_api_problem() == "starting"  # no answer yet
    harness.request.network_down = False
    _answering(harness, monkeypatch,
               lambda method, _: _webhook_info(HOOK) if method == "getWebhookInfo" else None)
    await _probe_once(health, harness)
    assert health.bot_api_problem() is None


async def test_a_webhook_deleted_or_replaced_turns_healthz_503(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe is getWebhookInfo, compared with WEBHOOK_URL: a webhook deleted (or set to
    another URL) by another program means no update comes, though the Bot API answers."""
    health = Health(harness.services.db, stale_after=25.0, webhook=True, clock=Monotonic())
    health.webhook_set()
    health.answered()
    telegram: dict[str, tuple[int, dict[str, Any]]] = {"getWebhookInfo": _webhook_info(HOOK)}
    _answering(harness, monkeypatch, lambda method, _: telegram.get(method))
    await _probe_once(health, harness)
    assert (await health.verdict()).healthy

    telegram["getWebhookInfo"] = _webhook_info("")
    await _probe_once(health, harness)
    verdict = await health.verdict()
    assert verdict == Verdict(False, "the webhook is no longer set (Telegram has none)")

    # Telegram's own text about its last delivery error, on one line and cut short.
    telegram["getWebhookInfo"] = _webhook_info(
        "https://elsewhere.example.org/hook", "Wrong response from the webhook: 502 Bad "
        "Gateway\n" + "x" * 300)
    await _probe_once(health, harness)
    reason = (await health.verdict()).reason
    assert reason.startswith("the webhook is no longer set (Telegram has another URL; its last "
                             "delivery error: Wrong response from the webhook: 502 Bad Gateway x")
    assert reason.endswith("...)") and "\n" not in reason and len(reason) < 200
    assert "elsewhere" not in reason  # no URL quoted

    telegram["getWebhookInfo"] = _webhook_info(HOOK)  # set again (the bot restarted, say)
    await _probe_once(health, harness)
    assert (await health.verdict()).healthy


async def test_a_webhook_telegram_cannot_deliver_to_turns_healthz_503(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The webhook is at WEBHOOK_URL, but Telegram cannot deliver to it (the proxy down, a
    certificate it refuses): updates pile up at Telegram while getWebhookInfo still answers. A
    recent delivery error with updates waiting is a 503 that quotes neither Telegram's text
    nor the URL; an old error, or a recent one with nothing waiting (delivered since), is
    healthy."""
    wall = Monotonic()
    wall.now = 1_800_000_000.0 - 600  # the webhook was set ten minutes ago
    monotonic = Monotonic()
    health = Health(harness.services.db, stale_after=25.0, webhook=True, clock=monotonic,
                    wall_clock=wall)
    health.webhook_set()
    health.answered()
    telegram: dict[str, tuple[int, dict[str, Any]]] = {}
    _answering(harness, monkeypatch, lambda method, _: telegram.get(method))
    refused = f"Connection refused by {HOOK}"
    # An error from before the webhook was set (the bot was down, updates waited for it): not
    # this run's; the updates waiting are coming.
    telegram["getWebhookInfo"] = _webhook_info(HOOK, refused, error_at=int(wall.now) - 30,
                                               waiting=9)
    await _probe_once(health, harness)
    assert (await health.verdict()).healthy
    wall.now = 1_800_000_000.0
    telegram["getWebhookInfo"] = _webhook_info(HOOK, refused, error_at=1_800_000_000 - 40,
                                               waiting=7)
    await _probe_once(health, harness)
    verdict = await health.verdict()
    assert verdict == Verdict(False, "Telegram cannot deliver updates to the webhook (its last "
                                     "error 40 s ago, 7 waiting)")
    assert health.bot_api_problem() is not None  # peer_support_healthy 0 too
    monotonic.now += 20  # between two probes the error grows older
    assert health.bot_api_problem() == ("Telegram cannot deliver updates to the webhook (its "
                                        "last error 60 s ago, 7 waiting)")

    # Delivered since: nothing waits, though the error is recent.
    telegram["getWebhookInfo"] = _webhook_info(HOOK, refused, error_at=1_800_000_000 - 40,
                                               waiting=0)
    await _probe_once(health, harness)
    assert (await health.verdict()).healthy

    # A single old error; updates waiting are a busy bot's, being delivered.
    telegram["getWebhookInfo"] = _webhook_info(HOOK, refused, error_at=1_800_000_000 - 3600,
                                               waiting=5)
    await _probe_once(health, harness)
    assert (await health.verdict()).healthy

    # Failing again; then the failure ends, and the error ages past a few minutes.
    telegram["getWebhookInfo"] = _webhook_info(HOOK, refused, error_at=1_800_000_000 - 5,
                                               waiting=2)
    await _probe_once(health, harness)
    assert not (await health.verdict()).healthy
    # An update posted here since that error: delivery works, and the updates still waiting
    # at Telegram (a busy team's) are on their way.
    wall.now += 10
    health.delivered()
    assert (await health.verdict()).healthy
    await _probe_once(health, harness)  # the same error reported again: still over
    assert (await health.verdict()).healthy
    telegram["getWebhookInfo"] = _webhook_info(HOOK, refused, error_at=int(wall.now) + 5,
                                               waiting=2)
    wall.now += 6  # a new error after the last delivery: failing again
    await _probe_once(health, harness)
    assert not (await health.verdict()).healthy
    wall.now += 400
    monotonic.now += 400
    await _probe_once(health, harness)
    assert (await health.verdict()).healthy


async def test_the_probe_survives_any_error_and_logs_its_type_only(
        harness: Harness, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    health = Health(harness.services.db, stale_after=25.0, webhook=True, clock=Monotonic())
    health.webhook_set()
    # An answer python-telegram-bot cannot parse: not a TelegramError, once.
    answers = iter([(200, {"ok": True, "result": ["a secret, not a WebhookInfo"]})])

    def answer(method: str, _: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if method != "getWebhookInfo":
            return None
        return next(answers, _webhook_info(HOOK))

    _answering(harness, monkeypatch, answer)
    monkeypatch.setattr("bot.platform.health.PROBE_SECONDS", 0.01)  # rounds close together
    stopping = asyncio.Event()
    probe = asyncio.create_task(health.probe(harness.app.bot, HOOK, stopping))
    await asyncio.sleep(0.2)
    assert not probe.done()  # it did not die of it
    assert health.bot_api_problem() is None  # a later round of the same probe answered
    assert re.search(r"the webhook probe failed \((\w+)\)", caplog.text), caplog.text
    assert "secret" not in caplog.text
    stopping.set()
    await probe


# ------------------------------------------------------------------ 429s where they happen


async def test_429s_of_the_calls_made_at_once_are_counted(
        harness: Harness, monkeypatch: pytest.MonkeyPatch, served: Served) -> None:
    """answerCallbackQuery, setMyCommands, uploads, getChatMember and the webhook probe: each
    429 is counted, as the outbox's rows' are."""
    flooded = {"answerCallbackQuery", "setMyCommands", "sendDocument", "getChatMember",
               "getWebhookInfo"}
    _answering(harness, monkeypatch,
               lambda method, _: TOO_MANY if method in flooded else None)
    services = harness.services
    await services.outbox.answer("a-press")
    await services.outbox.set_commands([("help", "Help")], BotCommandScopeChat(2001))
    with pytest.raises(DeliveryError):
        await services.outbox.upload(2001, "document", "export.csv", b"a,b\n", "Export")
    assert await members.membership(services, 2001) is None
    health = Health(services.db, stale_after=25.0, webhook=True)
    await _probe_once(health, harness, flood_limited=services.metrics.flood_limited)
    assert value(await served.metrics(), "peer_support_telegram_429_total") == 5


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


async def test_one_server_from_start_up_through_standby_to_serving(
        harness: Harness) -> None:
    """Before the bot serves (starting, a PostgreSQL standby) the server answers with no
    database at all: a standby is healthy (an orchestrator should leave it be), a starting bot
    is not yet; /metrics says `peer_support_active 0` and nothing else. Then the same port
    serves the full health and metrics, and says "stopping" at the end."""
    server = MetricsServer(listen="127.0.0.1", port=_free_port())
    assert await server.start()
    served = Served(server, Health(harness.services.db, stale_after=25.0))
    try:
        assert await served.get("/healthz") == (503, "starting\n")
        server.phase = STANDING_BY
        assert await served.get("/healthz") == (200, "standing by: another instance is active\n")
        text = await served.metrics()
        assert value(text, "peer_support_active") == 0
        assert [family.name for family in text_string_to_metric_families(text)] == [
            "peer_support_active"]  # no peer_support_healthy: `max` counts active ones only

        server.phase = "starting"  # took over: checking the database, meeting the Bot API
        assert (await served.get("/healthz"))[0] == 503
        server.serve(harness.services.metrics, served.health,
                     WorkloadRepository(harness.services.db), harness.services.clock)
        assert await served.get("/healthz") == (503, "starting\n")  # no getUpdates answer yet
        served.health.answered()
        assert (await served.get("/healthz"))[0] == 200
        text = await served.metrics()
        assert value(text, "peer_support_active") == 1
        assert value(text, "peer_support_healthy") == 1
        assert value(text, "peer_support_requests_waiting") == 0

        await server.leave()
        assert await served.get("/healthz") == (503, "stopping\n")
        assert value(await served.metrics(), "peer_support_active") == 0
    finally:
        await server.stop()


class CountedReads(WorkloadRepository):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.reads = 0

    async def read(self, now: int) -> Workload:
        self.reads += 1
        return await super().read(now)


async def test_scrapes_share_one_database_read_while_it_is_stuck(harness: Harness) -> None:
    """A stuck read is not started again by every scrape (on PostgreSQL each would hold a
    thread and a connection for up to 30 s): the scrapes that come meanwhile wait for it."""
    health = Health(harness.services.db, stale_after=25.0, database_timeout=0.2)
    health.answered()
    workload = CountedReads(harness.services.db)
    served = await _serve(harness.services, health, workload)
    try:
        holding = asyncio.create_task(_hold(harness.services.db, 1.0))
        await asyncio.sleep(0.05)
        texts = await asyncio.gather(*(served.metrics() for _ in range(3)))
        texts.append(await served.metrics())  # after the others gave up: the same read
        assert all(value(text, "peer_support_requests_waiting") is None for text in texts)
        assert workload.reads == 1
        await holding
        await asyncio.sleep(0.05)
        assert value(await served.metrics(), "peer_support_requests_waiting") == 0
        assert workload.reads == 2  # a new read once that one was done
    finally:
        await served.server.stop()


async def test_a_port_in_use_leaves_the_bot_running_without_metrics(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        server = MetricsServer(listen="127.0.0.1", port=port)
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
    # The bot down: no instance serving (standbys answer scrapes), and no target up at all.
    assert 'sum by (job) (peer_support_active{job="peer-support-bot"}) == 0' in text
    assert 'sum by (job) (up{job="peer-support-bot"}) == 0' in text
    assert "> 1800" in text and "ESCALATION_SCHEDULE" in text
