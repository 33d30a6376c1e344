"""A small HTTP load balancer for webhook tests: what a reverse proxy in front of several bot
instances does (nginx with `proxy_next_upstream error timeout http_502 non_idempotent`).

Each POST it receives (path, body and the X-Telegram-Bot-Api-Secret-Token header) is forwarded
to the instances' own webhook ports in turn (round-robin). If an instance refuses the
connection, drops it, does not answer in time, or answers 5xx, the same POST goes to the next
instance, and so on, for up to `give_up_after` seconds; only then is the caller answered 502.
Sending a POST again is safe: the bot keeps updates by update_id, so a second delivery of one
that was stored is ignored, whichever instance it reaches.

It counts what each instance answered, so a test can check that updates were spread across
them. Standard library only; it runs in a thread of the test process:

    with Balancer([port_a, port_b]) as balancer:
        url = balancer.url("/telegram")     # the bots' WEBHOOK_URL
        ...
        balancer.answered                   # [POSTs answered by A, by B]
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

__all__ = ["SECRET_HEADER", "Balancer", "Forwarded"]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_PASSED_HEADERS = ("Content-Type", SECRET_HEADER)


@dataclass(frozen=True)
class Forwarded:
    """One POST the balancer answered: the update it carried (None if the body named none),
    the instance (its index in `ports`) that answered, the status it answered, and the
    instances that failed it first (refused, dropped, too slow or 5xx), in the order tried."""

    update_id: int | None
    backend: int | None  # None: no instance answered (the caller got 502)
    status: int
    failed_on: tuple[int, ...]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    balancer: Balancer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {name: value for name in _PASSED_HEADERS
                   if (value := self.headers.get(name)) is not None}
        status, answer = self.server.balancer.forward(self.path, body, headers)
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except OSError:  # the caller went away: nothing to tell it
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        """Quiet: the test reads `Balancer.forwarded` instead."""


class Balancer:
    """Forwards POSTs round-robin to 127.0.0.1:`ports`, passing a failed one to the next."""

    def __init__(self, ports: Sequence[int], *, timeout: float = 10.0,
                 give_up_after: float = 20.0, retry_pause: float = 0.1) -> None:
        assert ports, "a balancer needs at least one instance"
        self.ports = tuple(ports)
        self.timeout = timeout  # for one attempt: connecting, sending, the answer
        self.give_up_after = give_up_after  # for one POST, over every attempt
        self.retry_pause = retry_pause  # between two rounds over every instance
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self.forwarded: list[Forwarded] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.balancer = self
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="webhook-balancer", daemon=True)

    # --- Running ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        """The public address the bots register with setWebhook (their WEBHOOK_URL)."""
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> Balancer:
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(10)
        self._server.server_close()

    def __enter__(self) -> Balancer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    # --- What it did ------------------------------------------------------------------------

    def snapshot(self) -> list[Forwarded]:
        """Every POST answered so far, in the order they were answered."""
        with self._lock:
            return list(self.forwarded)

    @property
    def answered(self) -> list[int]:
        """How many POSTs each instance answered (any status below 500)."""
        counts = [0] * len(self.ports)
        for done in self.snapshot():
            if done.backend is not None:
                counts[done.backend] += 1
        return counts

    @property
    def failed_over(self) -> int:
        """How many POSTs went to another instance because the first one tried failed."""
        return sum(1 for done in self.snapshot() if done.failed_on and done.backend is not None)

    @property
    def unanswered(self) -> int:
        """How many POSTs no instance answered (the caller got 502)."""
        return sum(1 for done in self.snapshot() if done.backend is None)

    # --- Forwarding -------------------------------------------------------------------------

    def forward(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """Send one POST to the instances, starting with the next one in turn and moving on
        past each that fails it; the answer (status and body) the caller gets."""
        first = next(self._turn) % len(self.ports)
        order = [(first + step) % len(self.ports) for step in range(len(self.ports))]
        failed: list[int] = []
        deadline = time.monotonic() + self.give_up_after
        answer: tuple[int, bytes] | None = None
        backend: int | None = None
        while answer is None:
            for index in order:
                answer = self._attempt(self.ports[index], path, body, headers)
                if answer is not None:
                    backend = index
                    break
                failed.append(index)
            if answer is None:
                if time.monotonic() > deadline:
                    answer = (502, b"no instance answered")
                    break
                time.sleep(self.retry_pause)
        with self._lock:
            self.forwarded.append(Forwarded(_update_id(body), backend, answer[0], tuple(failed)))
        return answer

    def _attempt(self, port: int, path: str, body: bytes,
                 headers: dict[str, str]) -> tuple[int, bytes] | None:
        """One try on one instance: its answer, or None if it refused the connection, dropped
        it, did not answer within `timeout`, or answered 5xx."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()
        if response.status >= 500:
            return None
        return response.status, data


def _update_id(body: bytes) -> int | None:
    try:
        update = json.loads(body)
    except ValueError:
        return None
    value = update.get("update_id") if isinstance(update, dict) else None
    return value if isinstance(value, int) else None
