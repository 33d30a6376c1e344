"""Logs cannot carry the token, and chatty libraries stay above the level that prints content."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.platform import logs

TOKEN = "123456:SECRET-part_of-token"


@pytest.fixture
def configured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out = io.StringIO()
    logs.configure("DEBUG", TOKEN, out)
    yield out
    root.handlers[:] = handlers
    root.setLevel(level)


def test_token_is_masked_in_messages_and_tracebacks(configured: io.StringIO) -> None:
    log = logging.getLogger("bot.test")
    log.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/getUpdates")
    except RuntimeError:
        log.exception("polling failed")
    err = configured.getvalue()
    assert "SECRET-part_of-token" not in err
    assert err.count("[redacted]") >= 2


def test_libraries_that_print_content_are_held_back(configured: io.StringIO) -> None:
    assert not logging.getLogger("telegram.ext.Application").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("telegram._bot").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert not logging.getLogger("aiosqlite").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("bot.requests.relay").isEnabledFor(logging.DEBUG)


def test_json_lines_carry_the_same_redaction() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out = io.StringIO()
    logs.configure("INFO", TOKEN, out, fmt="json")
    try:
        log = logging.getLogger("bot.test")
        log.info("request %s opened", "R-AB12")
        try:
            raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/getUpdates")
        except RuntimeError:
            log.exception("polling failed")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("INFO", "bot.test", "request R-AB12 opened"), ("ERROR", "bot.test", "polling failed")]
    assert lines[0]["time"].endswith("+00:00") and "exception" not in lines[0]
    assert "RuntimeError" in lines[1]["exception"] and "[redacted]" in lines[1]["exception"]
    assert "SECRET-part_of-token" not in out.getvalue()
