"""The database, on each backend (SQLite and PostgreSQL): migrations, atomic claims, nothing
readable at rest; SQLite's private files; and the seam a backend plugs into (only
storage/sqlite/ knows the SQLite driver, only storage/postgres/ PostgreSQL's)."""

from __future__ import annotations

import ast
import asyncio
import secrets
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.backend import Database, open_database
from storage.crypto import Keyring
from storage.messages import MessageRepository
from storage.peers import PeerRepository
from storage.postgres import migrations as postgres_migrations
from storage.requests import RequestRepository, State
from storage.sqlite import SQLiteDatabase, migrations

RESPONDER = 918273645
WORDS = "the words nobody should read"


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[SQLiteDatabase]:
    database = SQLiteDatabase(tmp_path / "data" / "peer_support.db")
    await database.open()
    yield database
    await database.close()


def ring() -> Keyring:
    return Keyring([secrets.token_bytes(32)], secrets.token_bytes(32))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_files_are_private(sqlite_db: SQLiteDatabase) -> None:
    assert mode(sqlite_db.path.parent) == 0o700
    for suffix in ("", "-wal", "-shm"):
        assert mode(Path(f"{sqlite_db.path}{suffix}")) == 0o600


async def test_wider_modes_are_narrowed_at_open(tmp_path: Path) -> None:
    path = tmp_path / "d" / "x.db"
    path.parent.mkdir(mode=0o755)
    path.touch(mode=0o644)
    path.chmod(0o644)
    database = SQLiteDatabase(path)
    await database.open()
    await database.close()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


async def test_migrations_run_once(backend: str, tmp_path: Path,
                                   request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    newest = (postgres_migrations() if url else migrations())[-1][0]
    for _ in range(2):
        database = await open_database(tmp_path / "x.db", url=url)
        version = await database.schema_version()
        await database.close()
        assert version == newest


def test_both_backends_ship_migrations_up_to_the_same_number() -> None:
    """A PostgreSQL database and a SQLite one at the same number have the same schema: the
    PostgreSQL baseline stands for SQLite's migrations up to its number, and every later
    migration is in both folders."""
    sqlite_numbers = [number for number, _ in migrations()]
    postgres_numbers = [number for number, _ in postgres_migrations()]
    assert postgres_numbers[-1] == sqlite_numbers[-1]
    assert postgres_numbers == [n for n in sqlite_numbers if n >= postgres_numbers[0]]


async def _open_request(requests: RequestRepository, messages: MessageRepository) -> str:
    request = await requests.start_intake(RESPONDER, RESPONDER, now=1)
    await messages.add_text(request.id, "responder", WORDS, now=2)
    assert await requests.open(request.id, now=2, first_step_at=302)
    return request.id


async def test_fifty_concurrent_claims_have_one_winner(db: Database) -> None:
    keys = ring()
    requests, messages, peers = (RequestRepository(db, keys), MessageRepository(db, keys),
                                 PeerRepository(db))
    request_id = await _open_request(requests, messages)
    for peer_id in range(1, 51):
        await peers.register(peer_id, f"Peer{peer_id}", now=3)
    results = await asyncio.gather(*(requests.claim(request_id, p, now=4) for p in range(1, 51)))
    assert results.count(True) == 1
    claimed = await requests.get(request_id)
    assert claimed is not None and claimed.state is State.CLAIMED
    assert claimed.peer_id == results.index(True) + 1


async def test_messages_written_at_once_each_get_their_own_place(db: Database) -> None:
    """Each message reads the conversation's last place and takes the next, in one
    transaction: twenty at once take twenty places, none lost, none twice."""
    keys = ring()
    requests, messages = RequestRepository(db, keys), MessageRepository(db, keys)
    request_id = await _open_request(requests, messages)
    places = await asyncio.gather(*(messages.add_text(request_id, "peer", f"line {n}", now=3)
                                    for n in range(20)))
    assert sorted(places) == list(range(2, 22))
    stored = await messages.conversation(request_id)
    assert sorted(m.text or "" for m in stored[1:]) == sorted(f"line {n}" for n in range(20))


async def test_one_live_request_per_responder(db: Database) -> None:
    requests = RequestRepository(db, ring())
    first = await requests.start_intake(RESPONDER, RESPONDER, now=1)
    second = await requests.start_intake(RESPONDER, RESPONDER, now=2)
    assert first.id == second.id


async def test_nothing_identifying_is_stored_in_the_clear_in_the_files(
        sqlite_db: SQLiteDatabase) -> None:
    keys = ring()
    await _open_request(RequestRepository(sqlite_db, keys), MessageRepository(sqlite_db, keys))
    await sqlite_db.close()
    raw = b"".join(p.read_bytes() for p in sqlite_db.path.parent.iterdir())
    assert WORDS.encode() not in raw
    assert str(RESPONDER).encode() not in raw
    await sqlite_db.open()


async def test_nothing_identifying_is_stored_in_the_clear_in_any_column(db: Database) -> None:
    """Every text and bytes value of every table, read back through the backend: the words
    and the responder's id are nowhere (PostgreSQL's files are the server's, so its columns
    are what can be read)."""
    keys = ring()
    await _open_request(RequestRepository(db, keys), MessageRepository(db, keys))
    found = await every_value(db)
    assert found, "nothing was read"
    assert not [value for value in found if WORDS.encode() in value]
    assert not [value for value in found if str(RESPONDER).encode() in value]


async def every_value(db: Database) -> list[bytes]:
    """Every value of every table of the bot's, as bytes."""
    if db.local_file is not None:
        tables = [row[0] for row in await db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    else:
        tables = [row[0] for row in await db.fetch_all(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()")]
    values = []
    for table in tables:
        for row in await db.fetch_all(f"SELECT * FROM {table}"):
            for value in row:
                if isinstance(value, bytes | memoryview):
                    values.append(bytes(value))
                elif value is not None:
                    values.append(str(value).encode())
    return values


async def test_a_message_copied_into_another_row_does_not_open(db: Database) -> None:
    keys = ring()
    requests, messages = RequestRepository(db, keys), MessageRepository(db, keys)
    request_id = await _open_request(requests, messages)
    await messages.add_text(request_id, "peer", "second", now=3)
    await db.write("UPDATE messages SET body = (SELECT body FROM messages WHERE seq = 1)"
                   " WHERE seq = 2")
    with pytest.raises(Exception, match="authentication failed"):
        await messages.conversation(request_id)


@pytest.mark.parametrize(("folder", "drivers"), [
    ("sqlite", {"sqlite3", "aiosqlite"}), ("postgres", {"psycopg", "psycopg_pool"})])
def test_only_its_backend_imports_a_driver(folder: str, drivers: set[str]) -> None:
    """A backend is a folder of storage/: nothing else may import its driver (and so nothing
    else can catch its exceptions)."""
    top = Path(__file__).resolve().parents[2]
    found = []
    for package in ("bot", "handlers", "storage"):
        for source in sorted((top / package).rglob("*.py")):
            if source.is_relative_to(top / "storage" / folder):
                continue
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                found += [f"{source.relative_to(top)}: {name}" for name in names
                          if name.split(".")[0] in drivers]
    assert found == []


def test_values_are_sealed_and_opened_only_through_the_registry() -> None:
    """storage/sealed.py names every encrypted column; a repository that called the keyring
    with an associated-data string of its own would seal a column rotation cannot find."""
    top = Path(__file__).resolve().parents[2]
    allowed = {top / "storage" / "crypto.py", top / "storage" / "sealed.py"}
    found = []
    for folder in ("bot", "handlers", "storage"):
        for source in sorted((top / folder).rglob("*.py")):
            if source in allowed:
                continue
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                # Keyring.seal(text, aad) and open_sealed(value, aad) take the associated data
                # as a string; a registry entry's seal/open take the keyring and the row.
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and (node.func.attr == "open_sealed"
                             or (node.func.attr == "seal" and len(node.args) == 2))):
                    found.append(f"{source.relative_to(top)}:{node.lineno}")
    assert found == []
