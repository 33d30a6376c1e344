"""A standby on PostgreSQL: a second bot with the same settings and the same DATABASE_URL waits
for the active one's instance lock, touching nothing, and takes over within seconds when the
active one dies; what was said around the death is relayed exactly once. Both are the real
process; the death is a real SIGKILL (its connections close, so PostgreSQL lets go of the lock
at once).

Only meaningful on PostgreSQL (E2E_DATABASE=postgres): on SQLite a second instance refuses to
start, as test_faults.py checks."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .harness import (
    WAIT,
    BotProcess,
    StartBot,
    database_kind,
    quiet,
    start_conversation,
    stop_process,
    texts,
    wait_until,
)

pytestmark = pytest.mark.skipif(
    database_kind() != "postgres",
    reason="a standby waits for PostgreSQL's instance lock (E2E_DATABASE=postgres); on SQLite "
           "a second instance refuses to start (test_faults.py)")

_log = logging.getLogger(__name__)
STANDING_BY = "standing by to take over"
TAKING_OVER = "taking over"
TAKEOVER_BOUND = 20.0  # seconds: a liveness check only (it takes about one)


def _log_of(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _stand_by(bot: BotProcess, log_path: Path) -> subprocess.Popen[bytes]:
    """`python -m bot` with `bot`'s environment (token, DATABASE_URL, keys, settings), its log
    appended to `log_path`; returned once it says it stands by."""
    said_before = _log_of(log_path).count(STANDING_BY)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=log_path.parent,
                                   env=bot.env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: _log_of(log_path).count(STANDING_BY) > said_before
                   or process.poll() is not None, "the second instance to stand by", 30)
        assert process.poll() is None, f"it exited ({process.returncode}):\n{_log_of(log_path)}"
    except BaseException:
        stop_process(process)
        raise
    return process


def _problems(text: str) -> list[str]:
    return [line for line in text.splitlines()
            if " ERROR " in line or " CRITICAL " in line or "Traceback" in line]


def test_a_standby_takes_over_when_the_active_bot_is_killed(start_bot: StartBot,
                                                            tmp_path: Path) -> None:
    bot = start_bot()
    c = start_conversation(bot, "First words.")
    avery, marlowe, code = c.peer, c.responder, c.code
    marlowe.say("Said before the kill.")
    avery.private.wait_for(rf"^{code}: Said before the kill\.$", timeout=WAIT)

    standby_log = tmp_path / "standby" / "bot.log"
    standby = _stand_by(bot, standby_log)
    try:
        said = _log_of(standby_log)
        assert re.search(r"another instance is active on DATABASE_URL=postgresql://[^:]+:\*\*\*@",
                         said), said
        quiet()  # it touches nothing while it waits
        said = _log_of(standby_log)
        for not_yet in ("Application started", "polling for updates", TAKING_OVER):
            assert not_yet not in said, said

        bot.kill()
        killed = time.monotonic()
        marlowe.say("Said right after the kill.")
        wait_until(lambda: TAKING_OVER in _log_of(standby_log), "the standby to take over",
                   TAKEOVER_BOUND)
        took_over = time.monotonic() - killed
        avery.private.wait_for(rf"^{code}: Said right after the kill\.$",
                               timeout=TAKEOVER_BOUND)
        relayed = time.monotonic() - killed
        _log.info("takeover: the lock taken %.2f s after the SIGKILL, the first update handled "
                  "(relayed) %.2f s after it", took_over, relayed)  # pytest -rP shows it
        assert relayed < TAKEOVER_BOUND

        # Serving both ways, and nothing relayed twice.
        avery.private.say("I got it.")
        marlowe.wait_for(r"^Avery: I got it\.$", timeout=WAIT)
        quiet()
        assert texts(avery.private).count(f"{code}: Said before the kill.") == 1
        assert texts(avery.private).count(f"{code}: Said right after the kill.") == 1
        assert texts(marlowe).count("Avery: I got it.") == 1

        # The killed one, started again as systemd would: now it is the standby, and SIGTERM
        # while it stands by is a clean stop.
        restarted = _stand_by(bot, bot.log_path)
        bot.process = restarted
        assert stop_process(restarted) == 0
        assert "stopped while standing by" in bot.log_text()
    finally:
        code_at_stop = stop_process(standby)
    assert code_at_stop == 0, _log_of(standby_log)
    assert not _problems(_log_of(standby_log)), _log_of(standby_log)
