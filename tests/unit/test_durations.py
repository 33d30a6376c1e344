"""Durations as people write them (bot/platform/durations.py): what parses, what is refused in
one line (never a traceback or an infinite number), how long a hostile one takes, and the
short forms the bot writes back."""

from __future__ import annotations

import time

import pytest

from bot.platform.durations import MAX_SECONDS, describe, parse_duration
from bot.platform.settings import ConfigError, encode_key, load_settings

NINES = "9" * 310  # float() of this is infinite
GOOD = {"BOT_TOKEN": "123456:ABC-def_ghi", "PEER_GROUP_ID": "-1001234567890",
        "ENCRYPTION_KEYS": encode_key(b"k" * 32), "INDEX_KEY": encode_key(b"i" * 32)}


@pytest.mark.parametrize(("text", "seconds"), [
    ("90m", 5400), ("1h30m", 5400), ("1h 30m", 5400), ("  1h30m  ", 5400), ("1 h", 3600),
    ("1.5h", 5400), ("8H", 28800), ("1d12h", 129600), ("1d 2h 3m 4s", 93784), ("30s", 30),
])
def test_what_parses(text: str, seconds: int) -> None:
    assert parse_duration(text, days=True) == seconds


@pytest.mark.parametrize("text", [
    "", "x", "1h1h", "30", "h", "1m1h", f"{NINES}d", f"{NINES}h", f"1{'0' * 400}s",
    "3651d", f"{MAX_SECONDS + 1}s",
])
def test_what_is_refused_with_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"^'") as refused:
        parse_duration(text, days=True)
    assert len(str(refused.value)) < 100  # one short line, even for 310 nines


def test_ten_years_is_the_most() -> None:
    assert parse_duration(f"{MAX_SECONDS}s") == MAX_SECONDS
    with pytest.raises(ValueError, match="longer than any duration allowed"):
        parse_duration(f"{NINES}d", days=True)


@pytest.mark.parametrize("text", [
    " " * 160 + "x", "1" + " " * 5000 + "x", "1d" + " " * 5000 + "1" * 5000 + "x",
    "1 " * 3000 + "x",
])
def test_a_long_hostile_text_takes_no_time(text: str) -> None:
    """Five adjacent optional whitespace runs once took 6.5 s for 160 spaces and an x."""
    began = time.perf_counter()
    with pytest.raises(ValueError):
        parse_duration(text, days=True)
    assert time.perf_counter() - began < 0.5


@pytest.mark.parametrize(("seconds", "shown"), [
    (45, "45s"), (900, "15m"), (3600, "1h"), (3900, "1h05m"), (5400, "1h30m"),
    (86400, "1d"), (86520, "1d2m"), (86400 + 3600, "1d1h"), (93900, "1d2h05m"),
    (216000, "2d12h"), (14 * 86400, "14d"), (3599, "1h"),
])
def test_describe_writes_natural_forms(seconds: float, shown: str) -> None:
    """Minutes take two digits only right after hours ("1h05m"): never "1d02m"."""
    assert describe(seconds) == shown
    assert parse_duration(shown, days=True) == pytest.approx(round(seconds / 60) * 60
                                                              if seconds >= 60 else seconds)


@pytest.mark.parametrize(("name", "value"), [
    ("FOLLOWUP_DELAYS", f"24h,{NINES}d"),
    ("ESCALATION_SCHEDULE", f"5m,15m,{NINES}h"),
])
def test_an_infinite_setting_is_refused_in_one_line(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({**GOOD, name: value})
    [problem] = refused.value.problems
    assert problem.startswith(f"{name} ") and "longer than any duration allowed" in problem
    assert "\n" not in problem and len(problem) < 200
