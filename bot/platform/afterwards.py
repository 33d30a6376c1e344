"""Work that follows an update's answer instead of holding it up.

A relayed message is on its way to the peer before the crisis screen reads it: the screen
only adds attention, it never holds a message back, so it need not sit between a person and
their peer. A handler hands such work to `later`; the inbox runs it right after the update's
handlers, in the update's own send scope (so doing it again after a crash sends nothing
twice), one lane's follow-ups in order, and marks the update done only once it has run.
Outside the inbox (a test driving `Application.process_update`) it runs at once.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Coroutine, Iterator
from typing import Any

Work = Coroutine[Any, Any, None]
_collected: contextvars.ContextVar[list[Work] | None] = contextvars.ContextVar(
    "afterwards", default=None)


async def later(work: Work) -> None:
    """Run `work` once the current update has been answered (at once outside the inbox)."""
    collected = _collected.get()
    if collected is None:
        await work
    else:
        collected.append(work)


@contextlib.contextmanager
def collecting() -> Iterator[list[Work]]:
    """While handlers run, gather what they hand to `later`."""
    collected: list[Work] = []
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)
