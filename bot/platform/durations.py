"""Durations written the way people write them: 90s, 5m, 8h, 1.5h, 1h30m (and 7d, 1d12h where
days are allowed: /oncall, FOLLOWUP_DELAYS)."""

from __future__ import annotations

import re

_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
# One or more parts, largest unit first, each unit at most once: "90m", "1d12h", "1h 30m".
_DURATION = re.compile(
    r"^\s*" + r"\s*".join(rf"(?:(?P<{unit}>\d+(?:\.\d+)?)\s*{unit})?" for unit in _UNIT_SECONDS)
    + r"\s*$", re.IGNORECASE)


def parse_duration(text: str, *, days: bool = False) -> float:
    """Seconds in `text` ("5m", "8h", "30s", "1h30m"; "7d" and "1d12h" too with `days`);
    ValueError if it is not such a duration."""
    match = _DURATION.match(text)
    parts = {unit: value for unit, value in match.groupdict().items()
             if value is not None} if match else {}
    if not parts or (not days and "d" in parts):
        example = "30s, 5m, 8h, 1d or 1d12h" if days else "30s, 5m, 8h or 1h30m"
        raise ValueError(f"{text.strip()!r} is not a duration like {example}")
    seconds = sum(float(value) * _UNIT_SECONDS[unit] for unit, value in parts.items())
    if seconds <= 0:
        raise ValueError(f"{text.strip()!r} is not longer than zero")
    return seconds


def describe(seconds: float) -> str:
    """A short human form: 45s, 15m, 8h, 1h30m, 1d, 2d12h."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{rest:02d}m" if rest else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d" + (f"{hours}h" if hours else "") + (f"{rest:02d}m" if rest else "")
