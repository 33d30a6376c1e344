"""Test-only fault injection: `PEER_SUPPORT_FAULT=<point>` makes the process die abruptly
(as SIGKILL would) when it reaches that point, so tests can prove nothing is lost or repeated.
Never set in production; unset, this does nothing."""

from __future__ import annotations

import os

POINTS = ("after-fetch", "after-store", "after-done", "after-risk-mark", "after-send")
_EXIT_CODE = 70


def crash_at(point: str) -> None:
    if os.environ.get("PEER_SUPPORT_FAULT") == point:
        os._exit(_EXIT_CODE)
