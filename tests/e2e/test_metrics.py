"""issue 19: /healthz and /metrics of the real bot (METRICS_PORT), as an operator's probe and
Prometheus see them: healthy while the Bot API answers, 503 while the emulator is paused (a
dead link) and healthy again after, in long polling and webhook mode; the queue, a claim, the
ladder's steps and Telegram's 429s in numbers, and never a code, alias or id."""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

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
    free_port,
    new_token,
    open_request,
    responder,
    running_emulator,
    wait_until,
)

LONG_POLL_SECONDS = 10  # bot/runner.py
STALE_SECONDS = LONG_POLL_SECONDS + 15  # bot/platform/health.py's margin
COORDINATOR = 4001


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
