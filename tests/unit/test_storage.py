"""The database: private files, migrations, atomic claims, nothing readable at rest; and the
seam a second backend plugs into (only storage/sqlite/ knows the SQLite driver)."""

from __future__ import annotations

import ast
import asyncio
import secrets
import stat
from pathlib import Path

import pytest

from storage.crypto import Keyring
from storage.messages import MessageRepository
from storage.peers import PeerRepository
from storage.requests import RequestRepository, State
from storage.sqlite import SQLiteDatabase, migrations

RESPONDER = 918273645


@pytest.fixture
async def db(tmp_path: Path) -> SQLiteDatabase:
    database = SQLiteDatabase(tmp_path / "data" / "peer_support.db")
    await database.open()
    yield database  # type: ignore[misc]
    await database.close()


def ring() -> Keyring:
    return Keyring([secrets.token_bytes(32)], secrets.token_bytes(32))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_files_are_private(db: SQLiteDatabase) -> None:
    assert mode(db.path.parent) == 0o700
    for suffix in ("", "-wal", "-shm"):
        assert mode(Path(f"{db.path}{suffix}")) == 0o600


async def test_wider_modes_are_narrowed_at_open(tmp_path: Path) -> None:
    path = tmp_path / "d" / "x.db"
    path.parent.mkdir(mode=0o755)
    path.touch(mode=0o644)
    path.chmod(0o644)
    database = SQLiteDatabase(path)
    await database.open()
    await database.close()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


async def test_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    for _ in range(2):
        database = SQLiteDatabase(path)
        await database.open()
        row = await database.fetch_one("PRAGMA user_version")
        await database.close()
        assert row is not None and row[0] == migrations()[-1][0]


async def _open_request(requests: RequestRepository, messages: MessageRepository) -> str:
    request = await requests.start_intake(RESPONDER, RESPONDER, now=1)
    await messages.add_text(request.id, "responder", "the words nobody should read", now=2)
    assert await requests.open(request.id, now=2, first_step_at=302)
    return request.id


async def test_fifty_concurrent_claims_have_one_winner(db: SQLiteDatabase) -> None:
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


async def test_one_live_request_per_responder(db: SQLiteDatabase) -> None:
    requests = RequestRepository(db, ring())
    first = await requests.start_intake(RESPONDER, RESPONDER, now=1)
    second = await requests.start_intake(RESPONDER, RESPONDER, now=2)
    assert first.id == second.id


async def test_nothing_identifying_is_stored_in_the_clear(db: SQLiteDatabase) -> None:
    keys = ring()
    await _open_request(RequestRepository(db, keys), MessageRepository(db, keys))
    await db.close()
    raw = b"".join(p.read_bytes() for p in db.path.parent.iterdir())
    assert b"the words nobody should read" not in raw
    assert str(RESPONDER).encode() not in raw
    await db.open()


async def test_a_message_copied_into_another_row_does_not_open(db: SQLiteDatabase) -> None:
    keys = ring()
    requests, messages = RequestRepository(db, keys), MessageRepository(db, keys)
    request_id = await _open_request(requests, messages)
    await messages.add_text(request_id, "peer", "second", now=3)
    await db.write("UPDATE messages SET body = (SELECT body FROM messages WHERE seq = 1)"
                   " WHERE seq = 2")
    with pytest.raises(Exception, match="authentication failed"):
        await messages.conversation(request_id)


def test_only_the_sqlite_backend_imports_its_driver() -> None:
    """A second backend is a folder beside storage/sqlite/: nothing else may import sqlite3 or
    aiosqlite (and so nothing else can catch their exceptions)."""
    top = Path(__file__).resolve().parents[2]
    drivers = {"sqlite3", "aiosqlite"}
    found = []
    for folder in ("bot", "handlers", "storage"):
        for source in sorted((top / folder).rglob("*.py")):
            if source.is_relative_to(top / "storage" / "sqlite"):
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
