"""Telegram's flood limit at start: the calls the bot makes once when it starts (getMe, then
deleteWebhook when polling or setWebhook for a webhook) answered 429 once each, as Telegram
answers a bot restarted in a loop (setWebhook allows about one call a second). The bot waits
the time Telegram asks and starts, instead of dying with a traceback; /metrics counts them.

The emulator has no flood limit on these calls, so the Bot API here is the emulator behind a
small proxy that answers each of them 429 the first time and passes everything else on."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import ClassVar

import pytest

from .harness import (
    Answer,
    EmulatorServer,
    JsonAnswers,
    StartBot,
    free_port,
    responder,
    wait_until,
)

FLOODED_ONCE = ("getMe", "deleteWebhook", "setWebhook")
RETRY_AFTER = 1


class _FloodsOnce(JsonAnswers):
    """The emulator, but each call in FLOODED_ONCE is answered 429 the first time."""

    upstream: ClassVar[str] = ""
    flooded: ClassVar[set[str]] = set()
    lock: ClassVar[threading.Lock] = threading.Lock()

    def reply(self, method: str, body: bytes) -> Answer:
        with self.lock:
            first = method in FLOODED_ONCE and method not in self.flooded
            self.flooded.add(method)
        if first:
            return 429, {"ok": False, "error_code": 429,
                         "description": f"Too Many Requests: retry after {RETRY_AFTER}",
                         "parameters": {"retry_after": RETRY_AFTER}}
        forwarded = urllib.request.Request(
            self.upstream + self.path, data=body, method="POST",
            headers={"Content-Type": self.headers.get("Content-Type") or "application/json"})
        try:
            with urllib.request.urlopen(forwarded, timeout=70) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


@pytest.fixture
def api(tgemu: EmulatorServer) -> Iterator[EmulatorServer]:
    """The emulator behind the proxy: what the bots of this module (and the test's people)
    reach."""
    handler = type("Handler", (_FloodsOnce,), {"upstream": tgemu.base_url, "flooded": set(),
                                               "lock": threading.Lock()})
    with handler.serving() as port:
        yield EmulatorServer(port, tgemu.log_path, tgemu.pid)


def _counted_429s(port: int) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    [line] = [line for line in text.splitlines()
              if line.startswith("peer_support_telegram_429_total ")]
    return float(line.split()[1])


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_flood_limit_at_start_is_waited_out_and_counted(start_bot: StartBot,
                                                          mode: str) -> None:
    metrics = free_port()
    webhook = {}
    if mode == "webhook":
        port = free_port()
        webhook = {"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
                   "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
                   "WEBHOOK_SECRET": "start-limits-webhook-secret"}
    bot = start_bot(METRICS_PORT=str(metrics), **webhook)
    second, ready = (("setWebhook", "receiving updates by webhook") if mode == "webhook"
                     else ("deleteWebhook", "polling for updates"))
    wait_until(lambda: ready in bot.log_text(), "updates coming in", 20)
    log = bot.log_text()
    for method in ("getMe", second):
        assert f"{method} at start: flood limit, waiting {RETRY_AFTER} s as Telegram asks" in log
    assert "Traceback" not in log
    # It serves people, and /metrics counts both 429s.
    alex = responder(bot.emu)
    alex.command("/start")
    alex.wait_for(r"thank you for reaching out", timeout=20)
    assert _counted_429s(metrics) == 2
