"""Send scopes: the keys that make doing a piece of work again send nothing twice.

While one piece of work runs (handling an update, taking a ladder step), its sends get keys
<label>.<chat>.<method>.<n>, the n-th call of that method to that chat: doing the same work
again after a crash finds the rows made the first time instead of sending twice, and a replay
that takes another path (the state moved on) does not borrow the key of a different message.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import replace

from storage.outbox import Purpose


class SendScope:
    """The keys of one piece of work. `request_id`: the work is for that request (a ladder
    step, whose label names it), so every row made in it names the request in its purpose and
    goes with it (/forget, the retention purge)."""

    def __init__(self, label: str, request_id: str | None = None) -> None:
        self.label = label
        self.request_id = request_id
        self._sends: collections.Counter[tuple[str, str]] = collections.Counter()

    def next_key(self, chat_key: str, method: str) -> str:
        self._sends[chat_key, method] += 1
        return f"{self.label}.{chat_key[:16]}.{method}.{self._sends[chat_key, method]}"

    def purpose_of(self, purpose: Purpose | None) -> Purpose | None:
        """The purpose a row made in this scope is stored with: one that names the scope's
        request, if it has one."""
        if self.request_id is None or (purpose is not None and purpose.request_id):
            return purpose
        if purpose is None:
            return Purpose.request(self.request_id)
        return replace(purpose, request_id=self.request_id)  # a digest page sent for it


current_scope: contextvars.ContextVar[SendScope | None] = contextvars.ContextVar(
    "current_scope", default=None)


@contextlib.contextmanager
def send_scope(label: str | SendScope | None, *, request_id: str | None = None,
               ) -> Iterator[None]:
    """Sends made inside get keys of this scope (a new one for a label, for `request_id` if
    given; an existing one to carry on its count, as work that follows an update's answer
    does)."""
    scope = SendScope(label, request_id) if isinstance(label, str) else label
    token = current_scope.set(scope)
    try:
        yield
    finally:
        current_scope.reset(token)
