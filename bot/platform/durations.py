"""Durations written the way people write them: 90s, 5m, 8h, 1.5h, 1h30m (and 7d, 1d12h where
days are allowed: /oncall, FOLLOWUP_DELAYS)."""

from __future__ import annotations

import math
import re

_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
# One or more parts, largest unit first, each unit at most once: "90m", "1d12h", "1h 30m".
# Matched against the stripped text, with space allowed only between a number and its unit
# and after a unit: each run of spaces has one place to go, so a long one costs linear time
# (five adjacent `\s*` over optional parts once took seconds for 160 spaces).
_DURATION = re.compile(
    "".join(rf"(?:(?P<{unit}>\d+(?:\.\d+)?)\s*{unit}\s*)?" for unit in _UNIT_SECONDS),
    re.IGNORECASE)
# Longer than anything a duration here is for (the longest allowed is FOLLOWUP_DELAYS' 90
# days): past this a number is a typo or a probe, refused like any unreadable duration, and
# never infinite (310 nines make float() infinite, and round() of that raises).
MAX_SECONDS = 10 * 365 * 86400


def parse_duration(text: str, *, days: bool = False) -> float:
    """Seconds in `text` ("5m", "8h", "30s", "1h30m"; "7d" and "1d12h" too with `days`);
    ValueError if it is not such a duration, or is longer than MAX_SECONDS (ten years)."""
    stripped = text.strip()
    shown = repr(stripped) if len(stripped) <= 24 else f"{stripped[:20]!r}..."  # one short line
    match = _DURATION.fullmatch(stripped)
    parts = {unit: value for unit, value in match.groupdict().items()
             if value is not None} if match else {}
    if not parts or (not days and "d" in parts):
        example = "30s, 5m, 8h, 1d or 1d12h" if days else "30s, 5m, 8h or 1h30m"
        raise ValueError(f"{shown} is not a duration like {example}")
    seconds = sum(float(value) * _UNIT_SECONDS[unit] for unit, value in parts.items())
    if not math.isfinite(seconds) or seconds > MAX_SECONDS:
        raise ValueError(f"{shown} is longer than any duration allowed (ten years at most)")
    if seconds <= 0:
        raise ValueError(f"{shown} is not longer than zero")
    return seconds


def describe(seconds: float) -> str:
    """A short human form: 45s, 15m, 8h, 1h05m, 1h30m, 1d, 2d12h, 1d2m, 1d2h05m. Minutes
    take two digits only right after hours, as on a clock."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    described = (f"{days}d" if days else "") + (f"{hours}h" if hours else "")
    if rest:
        described += f"{rest:02d}m" if hours else f"{rest}m"
    return described
