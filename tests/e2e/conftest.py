"""Fixtures for the end-to-end tests: one emulator per session, one fresh bot per test.

Every test gets its own bot token; the emulator keeps its state per token, so tests are
isolated without restarting it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

from .harness import BotProcess, EmulatorServer, generate_keys, running_emulator

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an e2e test, even one whose module forgets to say so."""
    for item in items:
        if E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def tgemu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path_factory.mktemp("tgemu")) as server:
        yield server


@pytest.fixture(scope="session")
def bot_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    keys = generate_keys(tmp_path_factory.mktemp("keys"))
    assert set(keys) == {"ENCRYPTION_KEYS", "INDEX_KEY"}
    return keys


class BotFactory:
    """Starts bots for one test and stops them all when it ends."""

    def __init__(self, server: EmulatorServer, keys: dict[str, str], workdir: Path) -> None:
        self.server, self.keys, self.workdir = server, keys, workdir
        self.bots: list[BotProcess] = []

    def __call__(self, **extra_env: str) -> BotProcess:
        bot = BotProcess(self.server, self.workdir / f"bot{len(self.bots) + 1}", self.keys,
                         extra_env)
        self.bots.append(bot)
        bot.start()
        return bot

    def stop_all(self) -> list[str]:
        """Stop every bot; what went wrong inside them (a crash, a logged error)."""
        problems = []
        for number, bot in enumerate(self.bots, start=1):
            code = bot.stop()
            if code not in (0, None):
                problems.append(f"bot {number} exited with {code}")
            errors = [line for line in bot.log_text().splitlines()
                      if " ERROR " in line or " CRITICAL " in line or "Traceback" in line]
            problems += [f"bot {number} logged: {line}" for line in errors]
        return problems


@pytest.fixture
def start_bot(tgemu: EmulatorServer, bot_keys: dict[str, str],
              tmp_path: Path) -> Iterator[Callable[..., BotProcess]]:
    """Start the real bot (as often as a test needs); each is stopped when the test ends, and
    a bot that crashed or logged an error fails the test."""
    factory = BotFactory(tgemu, bot_keys, tmp_path)
    try:
        yield factory
    finally:
        problems = factory.stop_all()
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture
def bot(start_bot: Callable[..., BotProcess]) -> BotProcess:
    return start_bot()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport,
                                                                         pytest.TestReport]:
    """When a test fails, show the log of every bot it started."""
    report = yield
    if report.failed:
        factory = getattr(item, "funcargs", {}).get("start_bot")
        if isinstance(factory, BotFactory):
            for number, bot in enumerate(factory.bots, start=1):
                report.sections.append((f"bot {number} log", bot.log_text()))
    return report
