"""The real bot as a process against the Bot API emulator, for the start-up, throughput, intake
and burst benchmarks, keeping its data in the SQLite file in its folder (DATABASE_PATH) or, when
given a `database_url`, in that PostgreSQL database (DATABASE_URL), as the end-to-end tests
run it. The emulator and its client come from the end-to-end harness (tests/e2e)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from bench.common import GROUP, Keys
from tests.e2e import harness

running_emulator = harness.running_emulator
EmulatorServer = harness.EmulatorServer
Emulator = harness.Emulator
new_token = harness.new_token


class Bot:
    """`python -m bot` in its own folder at LOG_LEVEL=INFO (as deployed: the harness's bot
    runs at DEBUG, which costs more), its log kept in bot.log with UTC times."""

    def __init__(self, server: harness.EmulatorServer, workdir: Path, keys: Keys,
                 extra_env: Mapping[str, str] | None = None,
                 database_url: str | None = None) -> None:
        self.server, self.workdir, self.keys = server, workdir, keys
        self.database_url = database_url
        self.token = new_token()
        self.extra_env = dict(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        workdir.mkdir(parents=True, exist_ok=True)
        self.emu = harness.Emulator(self.token, server.base_url)

    @property
    def db_path(self) -> Path:
        return self.workdir / "data" / "peer_support.db"

    @property
    def log_path(self) -> Path:
        return self.workdir / "bot.log"

    def env(self) -> dict[str, str]:
        database = ({"DATABASE_URL": self.database_url} if self.database_url is not None
                    else {"DATABASE_PATH": str(self.db_path)})
        return harness.minimal_env(
            BOT_TOKEN=self.token, PEER_GROUP_ID=str(GROUP),
            TELEGRAM_API_BASE_URL=self.server.api_url, LOG_LEVEL="INFO", TZ="UTC",
            **database, **self.keys.env(), **self.extra_env)

    def start(self) -> None:
        """Start the process (no waiting); `started_at` is the wall-clock time just before."""
        self.log_path.write_bytes(b"")
        with self.log_path.open("ab") as log:
            self.started_at = time.time()
            self.process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=self.workdir,
                                            env=self.env(), stdout=log,
                                            stderr=subprocess.STDOUT)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def logged_at(self, fragment: str) -> float | None:
        """Wall-clock time of the first log line containing `fragment` (millisecond
        precision, from the line's own timestamp)."""
        for line in self.log_text().splitlines():
            if fragment in line:
                stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
                return stamp.replace(tzinfo=UTC).timestamp()
        return None

    def log_times(self, pattern: re.Pattern[str]) -> dict[str, float]:
        """For each first group of `pattern` in the log, the time of its first line."""
        found: dict[str, float] = {}
        for line in self.log_text().splitlines():
            match = pattern.search(line)
            if match and match.group(1) not in found:
                stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
                found[match.group(1)] = stamp.replace(tzinfo=UTC).timestamp()
        return found

    def wait_for_log(self, fragment: str, timeout: float = 60.0) -> float:
        deadline = time.monotonic() + timeout
        while (at := self.logged_at(fragment)) is None:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the bot stopped before logging {fragment!r}:\n"
                                   f"{self.log_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot did not log {fragment!r} in {timeout:.0f} s")
            time.sleep(0.01)
        return at

    def stop(self) -> int:
        if self.process is None:
            return 0
        return harness.stop_process(self.process)

    def problems(self) -> list[str]:
        """Lines the bot logged at ERROR or above, or tracebacks."""
        return [line for line in self.log_text().splitlines()
                if " ERROR " in line or " CRITICAL " in line or "Traceback" in line]
