"""Durations written the way people write them: 90s, 5m, 8h, 1.5h (and 7d where days are
allowed: FOLLOWUP_DELAYS)."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, *, days: bool = False) -> float:
    """Seconds in `text` ("5m", "8h", "30s"; "7d" too with `days`); ValueError if it is not
    such a duration."""
    match = _DURATION.match(text)
    if not match or (not days and match.group(2).lower() == "d"):
        example = "30s, 5m, 8h or 7d" if days else "30s, 5m or 8h"
        raise ValueError(f"{text.strip()!r} is not a duration like {example}")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"{text.strip()!r} is not longer than zero")
    return seconds


def describe(seconds: float) -> str:
    """A short human form: 45s, 15m, 8h, 1h30m."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if rest else f"{hours}h"
