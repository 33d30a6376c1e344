"""Fixtures for the end-to-end tests: one emulator per session, one fresh bot per test.

Every test gets its own bot token; the emulator keeps its state per token, so tests are
isolated without restarting it.

    start_bot(**extra_env)   start the real bot (as often as a test needs), stopped at the end;
                             a bot that crashed or logged an error fails the test (a module
                             may override `logged_errors_fail` to count only crashes)
    bot                      one bot with the default settings (start_bot())
    start_team(coordinator_id, (peer_id, name), ..., on_call=False, **extra_env)
                             a bot with its coordinator and first peers: Team(bot,
                             coordinator, peers)
    api                      the Bot API the bots reach: the session's emulator; a module
                             overrides it for an emulator of its own (flooding, slow) or a
                             proxy in front of it
    tgemu, bot_keys          the session's emulator and keys
    postgres_server          the session's PostgreSQL server (E2E_DATABASE=postgres), or None

E2E_DATABASE picks the database every bot keeps its data in: `sqlite` (the default; the file
DATABASE_PATH in the bot's folder) or `postgres` (DATABASE_URL: one PostgreSQL server for the
session, started here, and a fresh database on it for each bot `start_bot` makes, which the bot
keeps when it is stopped or killed and started again). Tests about the SQLite file itself are
marked `sqlite_only` and skipped under postgres.

The people and what they do (peer, register, responder, open_request, claim, ...) are in
harness.py.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from .harness import (
    BotProcess,
    EmulatorServer,
    StartBot,
    StartTeam,
    Team,
    coordinator_user,
    database_kind,
    generate_keys,
    peer,
    register,
    running_emulator,
)

E2E_DIR = Path(__file__).resolve().parent
if str(E2E_DIR.parent) not in sys.path:  # tests/postgres.py
    sys.path.insert(0, str(E2E_DIR.parent))

import postgres  # noqa: E402  (tests/postgres.py: a real PostgreSQL server for the tests)

DATABASE = database_kind()  # E2E_DATABASE, checked at collection


def pytest_report_header() -> str:
    return f"e2e database: {DATABASE} (E2E_DATABASE)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an e2e test (`-m e2e`, `-m "not e2e"`): marked here, once,
    rather than in each module. Under E2E_DATABASE=postgres, those about the SQLite file
    itself (`sqlite_only`) are skipped."""
    for item in items:
        if E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)
            only = item.get_closest_marker("sqlite_only")
            if DATABASE != "sqlite" and only is not None:
                why = f": {only.args[0]}" if only.args else ""
                item.add_marker(pytest.mark.skip(reason=f"about the SQLite database file "
                                                        f"itself{why} (E2E_DATABASE={DATABASE})"))


@pytest.fixture(scope="session")
def tgemu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path_factory.mktemp("tgemu")) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer | None]:
    """One PostgreSQL server for the session when E2E_DATABASE=postgres (each bot gets a
    database of its own on it); None for SQLite."""
    if DATABASE != "postgres":
        yield None
        return
    with postgres.running() as server:
        if server is None:
            pytest.skip("E2E_DATABASE=postgres, but this machine has no PostgreSQL server "
                        "(/usr/lib/postgresql/*/bin; .ci/run installs it)")
        yield server


@pytest.fixture(scope="session")
def bot_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    keys = generate_keys(tmp_path_factory.mktemp("keys"))
    assert set(keys) == {"ENCRYPTION_KEYS", "INDEX_KEY"}
    return keys


class BotFactory:
    """Starts bots for one test and stops them all when it ends."""

    def __init__(self, server: EmulatorServer, keys: dict[str, str], workdir: Path,
                 logged_errors_fail: bool = True,
                 postgres_server: postgres.PostgresServer | None = None) -> None:
        self.server, self.keys, self.workdir = server, keys, workdir
        self.logged_errors_fail = logged_errors_fail
        self.postgres_server = postgres_server
        self.bots: list[BotProcess] = []

    def __call__(self, **extra_env: str) -> BotProcess:
        """A new bot (a new token, folder and database); `bot.start()` again after a stop or a
        kill brings the same one back, on the same data."""
        database_url = (self.postgres_server.new_database("e2e")
                        if self.postgres_server is not None else None)
        bot = BotProcess(self.server, self.workdir / f"bot{len(self.bots) + 1}", self.keys,
                         extra_env, database_url=database_url)
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
            if not self.logged_errors_fail:
                continue
            errors = [line for line in bot.log_text().splitlines()
                      if " ERROR " in line or " CRITICAL " in line or "Traceback" in line]
            problems += [f"bot {number} logged: {line}" for line in errors]
        return problems


@pytest.fixture
def api(tgemu: EmulatorServer) -> EmulatorServer:
    """The Bot API the test's bots reach (override it in a module for another one)."""
    return tgemu


@pytest.fixture
def logged_errors_fail() -> bool:
    """Whether a bot that logged an error fails the test (override it in a module)."""
    return True


@pytest.fixture
def start_bot(api: EmulatorServer, bot_keys: dict[str, str], tmp_path: Path,
              logged_errors_fail: bool,
              postgres_server: postgres.PostgresServer | None) -> Iterator[StartBot]:
    """Start the real bot (as often as a test needs); each is stopped when the test ends, and
    a bot that crashed (or, unless `logged_errors_fail` says otherwise, logged an error) fails
    the test."""
    factory = BotFactory(api, bot_keys, tmp_path, logged_errors_fail, postgres_server)
    try:
        yield factory
    finally:
        problems = factory.stop_all()
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture
def bot(start_bot: StartBot) -> BotProcess:
    return start_bot()


@pytest.fixture
def start_team(start_bot: StartBot) -> StartTeam:
    """Start the bot with a coordinator (COORDINATOR_IDS) and peers registered (and on call,
    with `on_call`), in that order: start_team(7001, (2101, "Sloane"), on_call=True)."""
    def start(coordinator: int, *peers: tuple[int, str], on_call: bool = False,
              **extra_env: str) -> Team:
        bot = start_bot(COORDINATOR_IDS=str(coordinator), **extra_env)
        return Team(bot, coordinator_user(bot.emu, coordinator),
                    [register(peer(bot.emu, user_id, name), on_call) for user_id, name in peers])
    return start


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
