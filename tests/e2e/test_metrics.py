"""issue 19: /healthz and /metrics of the real bot (METRICS_PORT), as an operator's probe and
Prometheus see them: healthy while the Bot API answers, 503 while the emulator is paused (a
dead link) and healthy again after, in long polling and webhook mode; 503 naming the webhook
when another program deletes it; on PostgreSQL, a standby healthy and inactive on its own
port until it takes over there, and a poller stuck storing named as such, not blamed on the
Bot API; the queue, a claim, the ladder's steps and Telegram's 429s in numbers, and never a
code, alias or id."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from .harness import (
    CODE,
    GROUP_ID,
    BotProcess,
    EmulatorServer,
    StartBot,
    StartTeam,
    User,
    claim,
    database_kind,
    free_port,
    new_token,
    open_request,
    responder,
    running_emulator,
    stop_process,
    wait_until,
)

LONG_POLL_SECONDS = 10  # bot/runner.py
STALE_SECONDS = LONG_POLL_SECONDS + 15  # bot/platform/health.py's margin
PROBE_SECONDS = 10  # bot/platform/health.py: the webhook probe's period
COORDINATOR = 4001
on_postgres = pytest.mark.skipif(database_kind() != "postgres",
                                 reason="PostgreSQL only (E2E_DATABASE=postgres)")


@pytest.fixture(scope="module")
def own_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """An emulator of this module's own: its tests pause it."""
    with running_emulator(tmp_path_factory.mktemp("metrics")) as server:
        yield server


@pytest.fixture(scope="module")
def flooding_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """An emulator with Telegram's flood limits (TGEMU_FLOOD=1)."""
    with running_emulator(tmp_path_factory.mktemp("flooding"), TGEMU_FLOOD="1") as server:
        yield server


@pytest.fixture
def api(request: pytest.FixtureRequest, own_api: EmulatorServer) -> EmulatorServer:
    """`own_api`, or `flooding_api` for a test parametrized with api="flooding"."""
    if getattr(request, "param", None) == "flooding":
        return request.getfixturevalue("flooding_api")  # type: ignore[no-any-return]
    return own_api


# --- Helpers --------------------------------------------------------------------------------


def _get(port: int, path: str) -> tuple[int, str]:
    """An HTTP GET to the bot's metrics port: status and body (0: nothing listening)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return int(answer.status), answer.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()
    except OSError:
        return 0, ""


def _metrics(port: int) -> str:
    status, text = _get(port, "/metrics")
    assert status == 200, (status, text)
    return text


def _value(text: str, name: str, **labels: str) -> float | None:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None


def _shows(port: int, name: str, expected: float, **labels: str) -> bool:
    return _value(_metrics(port), name, **labels) == expected


def _assert_numbers_only(text: str, *secrets: str) -> None:
    """The one label is `step`, no request code anywhere, and none of `secrets` (aliases,
    names, the token) in the text; an id is looked for as a whole word, since a value (a
    timestamp) may hold its digits."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            assert set(sample.labels) <= {"step"}, sample
    assert not re.search(CODE, text)
    words = set(re.findall(r'[^\s{}=,"]+', text))
    for secret in secrets:
        assert secret not in (words if secret.lstrip("-").isdigit() else text), secret


def _healthy(port: int) -> bool:
    return _get(port, "/healthz")[0] == 200


def _pause_and_resume(api: EmulatorServer, port: int) -> None:
    """/healthz turns 503 within the long poll and the margin of the emulator's pause, says
    why, and turns 200 again once it runs again."""
    os.kill(api.pid, signal.SIGSTOP)  # every Bot API call now hangs, as on a dead link
    try:
        paused = time.monotonic()
        wait_until(lambda: _get(port, "/healthz")[0] == 503, "/healthz to turn 503",
                   timeout=STALE_SECONDS + 10)
        assert time.monotonic() - paused <= STALE_SECONDS + 5
        status, body = _get(port, "/healthz")
        assert status == 503
        assert re.fullmatch(r"the Bot API has not answered for \d+ s\n", body), body
        assert _value(_metrics(port), "peer_support_healthy") == 0  # /metrics still answers
    finally:
        os.kill(api.pid, signal.SIGCONT)
    wait_until(lambda: _healthy(port), "/healthz to turn 200 again", timeout=60)
    assert _value(_metrics(port), "peer_support_healthy") == 1


# --- Health ---------------------------------------------------------------------------------


def test_healthz_with_long_polling_follows_the_bot_api(start_bot: StartBot,
                                                       api: EmulatorServer) -> None:
    port = free_port()
    start_bot(METRICS_PORT=str(port))
    wait_until(lambda: _healthy(port), "/healthz to answer 200")
    status, body = _get(port, "/healthz")
    assert status == 200 and body.startswith("ok"), body
    assert _get(port, "/nothing-here")[0] == 404
    _pause_and_resume(api, port)


def test_healthz_in_webhook_mode_follows_the_bot_api(start_bot: StartBot,
                                                     api: EmulatorServer) -> None:
    port, hook = free_port(), free_port()
    bot = start_bot(METRICS_PORT=str(port), WEBHOOK_URL=f"http://127.0.0.1:{hook}/hook",
                    WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(hook),
                    WEBHOOK_SECRET="a-secret-for-the-metrics-test")
    wait_until(lambda: _healthy(port), "/healthz to answer 200 once the webhook is set")
    assert _get(port, "/metrics")[0] == 200
    _pause_and_resume(api, port)
    # Updates still come in by the webhook.
    alex = responder(bot.emu)
    alex.command("/start")
    alex.wait_for(r"thank you for reaching out", timeout=10)


def _bot_api(api: EmulatorServer, token: str, method: str, **params: str) -> None:
    """A Bot API call for this bot's token made by someone else (another program, `setup`)."""
    request = urllib.request.Request(f"{api.api_url}{token}/{method}",
                                     data=json.dumps(params).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def test_healthz_says_when_the_webhook_is_deleted_under_the_bot(start_bot: StartBot,
                                                                api: EmulatorServer) -> None:
    port, hook = free_port(), free_port()
    url, secret = f"http://127.0.0.1:{hook}/hook", "a-secret-for-the-webhook-test"
    bot = start_bot(METRICS_PORT=str(port), WEBHOOK_URL=url, WEBHOOK_LISTEN="127.0.0.1",
                    WEBHOOK_PORT=str(hook), WEBHOOK_SECRET=secret)
    wait_until(lambda: _healthy(port), "/healthz to answer 200 once the webhook is set")
    _bot_api(api, bot.token, "deleteWebhook")
    wait_until(lambda: _get(port, "/healthz")[0] == 503, "/healthz to notice",
               timeout=PROBE_SECONDS + 10)
    assert _get(port, "/healthz") == (503, "the webhook is no longer set (Telegram has none)\n")
    assert _value(_metrics(port), "peer_support_healthy") == 0
    _bot_api(api, bot.token, "setWebhook", url=url, secret_token=secret)  # set again
    wait_until(lambda: _healthy(port), "/healthz to answer 200 again",
               timeout=PROBE_SECONDS + 10)


def _stand_by(bot: BotProcess, workdir: Path, port: int) -> subprocess.Popen[bytes]:
    """A second `python -m bot` with `bot`'s settings but METRICS_PORT=`port`, returned once it
    says it stands by."""
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / "bot.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=workdir,
                                   env={**bot.env, "METRICS_PORT": str(port)}, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "standing by to take over" in log_path.read_text(errors="replace")
                   or process.poll() is not None, "the second instance to stand by", 30)
        assert process.poll() is None, log_path.read_text(errors="replace")
    except BaseException:
        stop_process(process)
        raise
    return process


@on_postgres
def test_a_standby_is_healthy_and_inactive_until_it_takes_over_on_the_same_port(
        start_bot: StartBot, tmp_path: Path) -> None:
    """A PostgreSQL standby answers /healthz 200 "standing by" (a container's HEALTHCHECK
    leaves it be) and /metrics `peer_support_active 0`, reading nothing; killed, the active one
    hands over and the standby's same port turns to full health, active 1."""
    port, standby_port = free_port(), free_port()
    bot = start_bot(METRICS_PORT=str(port))
    wait_until(lambda: _healthy(port), "the active bot's /healthz to answer 200")
    standby = _stand_by(bot, tmp_path / "standby", standby_port)
    try:
        assert _get(standby_port, "/healthz") == (
            200, "standing by: another instance is active\n")
        text = _metrics(standby_port)
        assert _value(text, "peer_support_active") == 0
        assert _value(text, "peer_support_healthy") is None  # `max` counts the active one
        assert _value(text, "peer_support_requests_waiting") is None  # nothing read
        assert _value(_metrics(port), "peer_support_active") == 1

        bot.kill()
        bot.process = None  # killed on purpose: not a crash to report
        wait_until(lambda: _get(standby_port, "/healthz")[1].startswith("ok"),
                   "the standby to take over and be healthy", timeout=30)
        assert _healthy(standby_port)
        text = _metrics(standby_port)
        assert _value(text, "peer_support_active") == 1
        assert _value(text, "peer_support_requests_waiting") == 0
    finally:
        code = stop_process(standby)
    assert code == 0, (tmp_path / "standby" / "bot.log").read_text(errors="replace")


@on_postgres
def test_a_poller_stuck_storing_is_named_not_blamed_on_the_bot_api(start_bot: StartBot) -> None:
    """The inbox table locked by someone else: the poller waits to store what it fetched. The
    Bot API answers meanwhile, and so does the database (another connection): /healthz says
    the poller is not polling, and why; once the lock goes, all is well and the message is
    handled."""
    import psycopg

    port = free_port()
    bot = start_bot(METRICS_PORT=str(port))
    wait_until(lambda: _healthy(port), "/healthz to answer 200")
    assert bot.database_url is not None
    with psycopg.connect(bot.database_url) as locker:
        locker.execute("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE")
        marlowe = responder(bot.emu)
        marlowe.command("/start")
        wait_until(lambda: _get(port, "/healthz")[0] == 503, "/healthz to turn 503",
                   timeout=STALE_SECONDS + 10)
        status, body = _get(port, "/healthz")
        assert status == 503
        assert re.fullmatch(r"not polling for \d+ s: updates are waiting to be stored\n",
                            body), body
        locker.rollback()
    wait_until(lambda: _healthy(port), "/healthz to answer 200 again", timeout=30)
    marlowe.wait_for(r"thank you for reaching out", timeout=10)


# --- Metrics --------------------------------------------------------------------------------


def test_metrics_count_the_queue_the_ladder_and_a_claim(start_team: StartTeam) -> None:
    port = free_port()
    team = start_team(COORDINATOR, (2001, "Avery"), on_call=True, METRICS_PORT=str(port),
                      ESCALATION_SCHEDULE="2s,4s,6s")
    avery = team.peers[0]
    text = _metrics(port)
    assert _value(text, "peer_support_requests_waiting") == 0
    assert _value(text, "peer_support_conversations_open") == 0

    marlowe = responder(team.bot.emu)
    code = open_request(marlowe, "I keep replaying the call from last night.")
    wait_until(lambda: _shows(port, "peer_support_requests_waiting", 1), "1 request waiting")
    # The ladder's three steps, each counted once.
    wait_until(lambda: _shows(port, "peer_support_escalations_total", 1, step="3"),
               "the third escalation step", timeout=20)
    text = _metrics(port)
    assert [_value(text, "peer_support_escalations_total", step=s) for s in "123"] == [1, 1, 1]
    assert _value(text, "peer_support_oldest_waiting_seconds") >= 6  # type: ignore[operator]
    assert _value(text, "peer_support_conversations_open") == 0

    claim(avery, code)
    wait_until(lambda: _shows(port, "peer_support_requests_waiting", 0)
               and _shows(port, "peer_support_conversations_open", 1), "the claim counted")
    text = _metrics(port)
    assert _value(text, "peer_support_oldest_waiting_seconds") == 0
    _assert_numbers_only(text, code, avery.alias, "Marlowe", "marlowe_r", str(marlowe.id),
                         str(avery.id), str(COORDINATOR), str(GROUP_ID), team.bot.token)


def _use_up_the_groups_budget(api: EmulatorServer) -> None:
    """Another bot posts 20 messages into the peer group: the emulator, like Telegram, allows
    20 a minute into one group, so the next message there is answered 429."""
    url = f"{api.api_url}{new_token()}/sendMessage"
    for n in range(20):
        body = json.dumps({"chat_id": GROUP_ID, "text": f"someone else's message {n}"})
        request = urllib.request.Request(url, data=body.encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200


@pytest.mark.parametrize("api", ["flooding"], indirect=True)
def test_a_429_from_telegram_is_counted(start_bot: StartBot, api: EmulatorServer) -> None:
    port = free_port()
    bot: BotProcess = start_bot(METRICS_PORT=str(port))
    assert _value(_metrics(port), "peer_support_telegram_429_total") == 0
    _use_up_the_groups_budget(api)
    marlowe: User = responder(bot.emu)
    code = open_request(marlowe, "Not sleeping much this week.")  # its card meets the limit
    wait_until(lambda: (_value(_metrics(port), "peer_support_telegram_429_total") or 0) >= 1,
               "the 429 counted")
    text = _metrics(port)
    assert (_value(text, "peer_support_outbox_backlog") or 0) >= 1  # the card waits its turn
    assert _value(text, "peer_support_requests_waiting") == 1
    _assert_numbers_only(text, code, "Marlowe", "marlowe_r", str(marlowe.id), str(GROUP_ID),
                         bot.token)
