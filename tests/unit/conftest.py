"""The real application on an offline Bot API and a real SQLite file in a temp directory, or
a database of its own on the session's PostgreSQL server (`database_url`)."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from offline import Call, OfflineRequest, Person, as_update
from telegram import Update

if str(Path(__file__).parents[1]) not in sys.path:  # tests/postgres.py, as tests/e2e does
    sys.path.insert(0, str(Path(__file__).parents[1]))
import postgres  # tests/postgres.py: a real PostgreSQL server for the tests

from bot.app import BotApplication, build_application
from bot.platform.context import BotContext
from bot.platform.services import Services
from bot.platform.settings import Settings
from storage.backend import Database, open_database

GROUP = -1001
PEER_IDS = (2001, 2002, 2003)
START = 1_800_000_000  # where the `clock` fixture starts (January 2027)


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": "123:TEST",
        "peer_group_id": GROUP,
        "encryption_keys": (secrets.token_bytes(32),),
        "index_key": secrets.token_bytes(32),
        "database_path": tmp_path / "data" / "peer_support.db",
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Harness:
    app: BotApplication
    request: OfflineRequest
    errors: list[BaseException] = field(default_factory=list)

    @property
    def services(self) -> Services:
        services = self.app.bot_data.services
        assert services is not None
        return services

    async def send(self, raw: dict[str, Any]) -> None:
        await self.app.process_update(as_update(raw, self.app.bot))

    @contextlib.asynccontextmanager
    async def restarted(self, request: OfflineRequest) -> AsyncIterator[BotApplication]:
        """The bot started again on the same database and keys (a new process, as after a
        crash or a deploy), talking through `request`: this one lets go of the database
        first, and takes it back afterwards for the fixture's own teardown."""
        settings = self.app.bot_data.settings
        assert settings is not None
        app = build_application(settings, request)
        await app.initialize()
        assert app.post_init is not None and app.post_shutdown is not None
        before = self.app
        assert before.post_init is not None and before.post_shutdown is not None
        await before.post_shutdown(before)
        try:
            await app.post_init(app)
            yield app
        finally:
            await app.post_shutdown(app)
            await app.shutdown()
            await before.post_init(before)

    def texts_to(self, chat_id: int) -> list[str]:
        return [c.text for c in self.request.to(chat_id)
                if c.method in ("sendMessage", "copyMessage", "editMessageText")]

    def last_to(self, chat_id: int) -> Call:
        return self.request.to(chat_id)[-1]

    def button(self, chat_id: int, label: str) -> tuple[str, int]:
        """Callback data of the newest button in `chat_id` whose label matches, and its message."""
        for call in reversed(self.request.to(chat_id)):
            for button in call.buttons:
                if re.search(label, button["text"]):
                    message_id = int(call.params.get("message_id") or 0)
                    return button["callback_data"], message_id
        raise AssertionError(f"no button {label!r} in chat {chat_id}")

    async def press(self, person: Person, label: str, in_chat: int | None = None) -> None:
        data, message_id = self.button(in_chat or person.chat_id, label)
        await self.send(person.press(data, message_id))

    async def register_peer(self, peer: Person) -> None:
        await self.send(peer.command("/start"))
        assert "registered as a peer" in self.texts_to(peer.user_id)[-1]

    async def on_call(self, peer: Person, duration: str = "12h") -> None:
        """`peer` registers and goes on call (/oncall DURATION)."""
        await self.register_peer(peer)
        await self.send(peer.command(f"/oncall {duration}"))
        assert "You are on call until" in self.texts_to(peer.user_id)[-1]

    def count(self, chat_id: int, text: str) -> int:
        """How many of the texts sent to `chat_id` contain `text`."""
        return sum(text in t for t in self.texts_to(chat_id))

    async def claimed(self, responder: Person, peer: Person, text: str = "Rough night shift.",
                      ) -> str:
        """`peer` registers and claims a new request of `responder`'s; its code."""
        await self.register_peer(peer)
        code = await self.open_request(responder, text)
        data, message_id = self.button(GROUP, "Claim")
        await self.send(in_group(peer).press(data, message_id))
        assert "is yours" in self.request.answers()[-1]
        return code

    async def open_request(self, responder: Person, text: str = "Rough night shift.") -> str:
        await self.send(responder.command("/start"))
        await self.press(responder, "Talk to a peer")
        await self.send(responder.text(text))
        ack = self.texts_to(responder.user_id)[-1]
        code = re.search(r"R-[2-9A-Z]{4}", ack)
        assert code, ack
        return code.group(0)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Settings a test module changes (override this fixture in the module)."""
    return {}


NO_POSTGRES = "PEER_SUPPORT_NO_POSTGRES"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[postgres.PostgresServer | None]:
    """One PostgreSQL server for the whole session, started when a test first needs it; None
    where this machine has none (or PEER_SUPPORT_NO_POSTGRES=1: none is started)."""
    if os.environ.get(NO_POSTGRES) == "1":
        yield None
        return
    with postgres.running() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: postgres.PostgresServer | None) -> str:
    """DATABASE_URL of a new empty database on the session's server. A test that needs one
    fails where there is no server (CI installs it), unless PEER_SUPPORT_NO_POSTGRES=1 says
    to skip such tests."""
    if os.environ.get(NO_POSTGRES) == "1":
        pytest.skip(f"{NO_POSTGRES}=1: the tests that need PostgreSQL are skipped")
    if postgres_server is None:
        pytest.fail(f"this test needs PostgreSQL, and this machine has none "
                    f"(/usr/lib/postgresql/*/bin/initdb): install it (apt-get install "
                    f"postgresql), or set {NO_POSTGRES}=1 to skip the tests that need it")
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database a test runs on: a test that asks for it runs on each."""
    return str(request.param)


@pytest.fixture
async def db(backend: str, tmp_path: Path, request: pytest.FixtureRequest,
             ) -> AsyncIterator[Database]:
    """A new database on each backend (a test that asks for it runs on each)."""
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    database = await open_database(tmp_path / "data" / "peer_support.db", url=url)
    yield database
    await database.close()


@pytest.fixture
def database_url() -> str | None:
    """DATABASE_URL for the `harness`; None: SQLite at DATABASE_PATH. A module overrides it
    (with `postgres_url`) to run its harness tests on PostgreSQL."""
    return None


@pytest.fixture
async def harness(tmp_path: Path, settings_overrides: dict[str, Any],
                  database_url: str | None) -> AsyncIterator[Harness]:
    if database_url is not None:
        settings_overrides = {**settings_overrides, "database_url": database_url}
    request = OfflineRequest(members=set(PEER_IDS))
    app = build_application(make_settings(tmp_path, **settings_overrides), request)
    h = Harness(app, request)

    async def record(update: object, context: BotContext) -> None:
        assert context.error is not None
        h.errors.append(context.error)

    app.add_error_handler(record)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    on = "DATABASE_URL" if database_url is not None else "DATABASE_PATH"
    assert h.services.db.where.startswith(on), f"the harness should run on {on}"
    # The offline Bot API has no flood limits; pacing has tests of its own (test_outbox.py).
    outbox = h.services.outbox
    outbox.overall_per_second = outbox.group_per_minute = outbox.busy_per_minute = 1_000_000
    yield h
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    await app.shutdown()
    assert not h.errors, f"a handler raised: {h.errors!r}"


class Clock:
    """A clock that stands still until a test moves it (`clock.now = START + 300`)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(harness: Harness) -> Clock:
    """The bot's clock, stopped at START."""
    fake = Clock()
    harness.services.clock = fake
    return fake


def responder(user_id: int = 918273601, name: str = "Alexandra") -> Person:
    return Person(user_id, name, username="alex_private")


def peer(user_id: int = 2001, name: str = "Sam") -> Person:
    return Person(user_id, name)


def in_group(person: Person) -> Person:
    return Person(person.user_id, person.first_name, chat_id=GROUP)


__all__ = ["GROUP", "START", "Clock", "Harness", "Update", "in_group", "make_settings", "peer",
           "responder"]
