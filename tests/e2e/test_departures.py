"""A peer removed from the peer group in Telegram (not with /removepeer) while holding a
conversation: found when they next write, or by the timer after a restart. The conversation
goes back to the queue, the responder is told kindly, and nothing more passes between them.

The emulator's list of non-members is fixed when it starts, and Telegram's answer changes when
an admin removes someone: so these bots reach the emulator through a small proxy whose
getChatMember says "left" for the users a test puts in `MembershipProxy.gone`. Everything else
passes through unchanged.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.team import departures

from .harness import (
    CODE,
    GROUP_ID,
    WAIT,
    EmulatorServer,
    Peer,
    StartBot,
    User,
    claim,
    coordinator_user,
    count_matching,
    open_request,
    peer,
    quiet,
    register,
    responder,
    sent_to,
    texts,
)

COORDINATOR = 4001
PEER_LEFT = r"can no longer continue this conversation"
YOU_LEFT = r"no longer in the peer group"


class MembershipProxy:
    """The emulator behind a proxy whose getChatMember answers "left" for `gone` users."""

    def __init__(self, upstream_port: int) -> None:
        self.gone: set[int] = set()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return  # quiet: the emulator keeps its own journal

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.endswith("/getChatMember"):
                    user_id = _user_id(body, self.headers.get("Content-Type") or "")
                    if user_id in proxy.gone:
                        self._answer(200, json.dumps({"ok": True, "result": {
                            "status": "left", "user": {"id": user_id, "is_bot": False,
                                                       "first_name": "Someone"}}}).encode())
                        return
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
                try:
                    headers = {name: value for name, value in self.headers.items()
                               if name.lower() in ("content-type", "user-agent")}
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    self._answer(response.status, response.read(),
                                 response.getheader("Content-Type") or "application/json")
                finally:
                    upstream.close()

            def _answer(self, status: int, data: bytes,
                        content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> MembershipProxy:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _user_id(body: bytes, content_type: str) -> int | None:
    if "json" in content_type:
        value = json.loads(body or b"{}").get("user_id")
    else:
        value = (urllib.parse.parse_qs(body.decode()).get("user_id") or [None])[0]
    return int(value) if value is not None else None


@pytest.fixture
def proxy(tgemu: EmulatorServer) -> Iterator[MembershipProxy]:
    with MembershipProxy(tgemu.port) as running:
        yield running


@pytest.fixture
def api(proxy: MembershipProxy, tgemu: EmulatorServer) -> EmulatorServer:
    """The bots (and the people) reach the emulator through the proxy."""
    return EmulatorServer(proxy.port, tgemu.log_path, tgemu.pid)


def _talking(bot_emu: Any, avery: Peer) -> tuple[User, str]:
    """Avery has claimed Marlowe's request, and both have written once."""
    marlowe = responder(bot_emu)
    code = open_request(marlowe, "The call last night keeps replaying.")
    claim(avery, code)
    avery.private.say("Hi, I'm Avery. I'm here.")
    marlowe.wait_for(r"Avery: Hi, I'm Avery", timeout=WAIT)
    marlowe.say("Thank you. It was a bad one.")
    avery.private.wait_for(r"It was a bad one", timeout=WAIT)
    return marlowe, code


def _to(emu: Any, chat_id: int, since: float) -> list[str]:
    """What the bot sent to one chat after `since` (ms, emulator clock)."""
    return [c.get("text") or "" for c in sent_to(emu, chat_id) if c["time"] > since]


def _assert_handed_back(emu: Any, marlowe: User, avery: Peer, code: str) -> float:
    """Marlowe was told kindly, once; the coordinator heard why; the card is back. When Avery
    was told (ms)."""
    told = marlowe.wait_for(PEER_LEFT, timeout=WAIT)
    assert "Avery can no longer continue" in told["text"] and "988" in told["text"]
    avery.private.wait_for(YOU_LEFT, timeout=WAIT)
    coordinator_user(emu, COORDINATOR).wait_for(
        rf"Request {code} is back in the queue.*no longer in the peer group", timeout=WAIT)
    avery.group.wait_for(rf"Request {code}", timeout=WAIT)
    told_avery = [c for c in sent_to(emu, avery.id, "sendMessage")
                  if YOU_LEFT in (c.get("text") or "")]
    assert len(told_avery) == 1
    assert code not in told_avery[0]["text"]
    quiet()
    assert count_matching(marlowe, "can no longer continue") == 1
    return float(told_avery[0]["time"])


def _nothing_more_reaches(emu: Any, avery: Peer, marlowe: User, since: float) -> None:
    """Marlowe's next words wait for a new peer and never reach Avery, nor does anything else."""
    at = len(marlowe.inbox())
    marlowe.say("Hello? Is anyone there?")
    marlowe.wait_for(r"Saved for your peer", timeout=WAIT, after=at)
    quiet()
    assert _to(emu, avery.id, since) == []


def test_a_removed_peer_who_writes_passes_nothing_on(start_bot: StartBot,
                                                     proxy: MembershipProxy) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"), on_call=True)
    marlowe, code = _talking(emu, avery)

    proxy.gone.add(avery.id)  # an admin removes Avery from the group in Telegram
    time.sleep(departures.RELAY_RECHECK_SECONDS + 1)  # the claim's answer is no longer recent
    avery.private.say("One more thing about your case...")
    told_at = _assert_handed_back(emu, marlowe, avery, code)
    assert not any("One more thing" in t for t in texts(marlowe))
    _nothing_more_reaches(emu, avery, marlowe, told_at)

    # A peer still in the group takes it over; Avery hears of nothing.
    kim = register(peer(emu, 2002, "Kim"))
    claim(kim, code)
    marlowe.say("Thanks for picking this up.")
    kim.private.wait_for(rf"{CODE}: Thanks for picking this up", timeout=WAIT)
    quiet()
    assert _to(emu, avery.id, told_at) == []


def test_a_peer_removed_while_the_bot_was_down_is_found_by_the_timer(
        start_bot: StartBot, proxy: MembershipProxy) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"), on_call=True)
    marlowe, code = _talking(emu, avery)
    cards_before = len(sent_to(emu, GROUP_ID, "sendMessage"))

    bot.stop()
    proxy.gone.add(avery.id)
    bot.start()  # nobody writes: the membership timer finds it on its own
    told_at = _assert_handed_back(emu, marlowe, avery, code)
    assert len(sent_to(emu, GROUP_ID, "sendMessage")) == cards_before + 1
    _nothing_more_reaches(emu, avery, marlowe, told_at)
    assert "a peer who left the peer group: 1 conversation(s) back in the queue" in (
        bot.log_text())
