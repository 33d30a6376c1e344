"""The PostgreSQL backend itself (storage/postgres/), on a real server: its schema against
SQLite's, migrations, what `open()` says when it cannot, transactions that lose races, errors,
and what `python -m bot migrate-to-postgres` uses. The repositories' tests on both backends
are in test_storage.py, and whole flows on PostgreSQL in test_postgres_flow.py."""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from conftest import postgres

from storage.backend import Database, open_database
from storage.crypto import Keyring
from storage.errors import (
    ConflictError,
    DatabaseClosedError,
    DatabaseUnusableError,
    SchemaError,
    StorageError,
)
from storage.outbox import OutboxRepository
from storage.postgres import PostgresDatabase, masked, migrations
from storage.postgres import database as postgres_database
from storage.postgres.dialect import Row, translate
from storage.postgres.errors import unusable
from storage.sealed import SEALED
from storage.session import Session
from storage.sqlite import SQLiteDatabase

Server = postgres.PostgresServer


@pytest.fixture
async def db(postgres_url: str) -> AsyncIterator[PostgresDatabase]:
    database = PostgresDatabase(postgres_url)
    await database.open()
    yield database
    await database.close()


# --- The dialect (no server) -------------------------------------------------------------

def test_placeholders_become_psycopgs() -> None:
    assert translate("SELECT * FROM t WHERE a = ? AND b = ?") == (
        "SELECT * FROM t WHERE a = %s AND b = %s", None)
    assert translate("UPDATE t SET a = ?1, b = COALESCE(b, ?1) WHERE id = ?2") == (
        "UPDATE t SET a = %s, b = COALESCE(b, %s) WHERE id = %s", (0, 0, 1))


def test_quoted_text_keeps_its_question_marks_and_percent_signs() -> None:
    query, _ = translate("SELECT 'why?' || \"odd?name\" FROM t WHERE k NOT LIKE 'p:%' AND v = ?")
    assert query == "SELECT 'why?' || \"odd?name\" FROM t WHERE k NOT LIKE 'p:%%' AND v = %s"
    assert translate("SELECT 1 -- really?\n, ?")[0] == "SELECT 1 -- really?\n, %s"


def test_both_kinds_of_placeholder_in_one_statement_are_refused() -> None:
    with pytest.raises(ValueError, match="both"):
        translate("SELECT ?, ?1")


def test_a_row_reads_by_name_by_position_and_unpacks() -> None:
    row = Row({"id": 0, "body": 1}, (7, b"x"))
    assert row["id"] == 7 and row[1] == b"x" and row["BODY"] == b"x"
    number, body = row
    assert (number, body) == (7, b"x") and len(row) == 2 and row.keys() == ["id", "body"]
    with pytest.raises(IndexError):
        row["nothing"]


def test_the_password_is_masked() -> None:
    assert masked("postgresql://bot:s3cret@db.example:5432/bot") == (
        "postgresql://bot:***@db.example:5432/bot")
    assert masked("postgresql://bot@db/bot?password=s3cret&sslmode=require") == (
        "postgresql://bot@db/bot?password=***&sslmode=require")
    assert masked("postgresql://db/bot") == "postgresql://db/bot"


def test_a_timeout_is_named_as_one() -> None:
    error = unusable("DATABASE_URL=postgresql://bot:***@10.0.0.9/bot",
                     "postgresql://bot:pw@10.0.0.9/bot",
                     psycopg.OperationalError("connection to server failed: timeout expired"))
    assert str(error) == ("DATABASE_URL=postgresql://bot:***@10.0.0.9/bot cannot be reached "
                          "(the connection timed out): is the server running, and are the host "
                          "and port right?")


# --- Schema and migrations ----------------------------------------------------------------

async def _sqlite_schema(db: Database) -> tuple[dict[str, list[str]], set[str]]:
    tables = [row[0] for row in await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    columns = {table: [c["name"] for c in await db.fetch_all(f"PRAGMA table_info({table})")]
               for table in tables}
    indexes = {row[0] for row in await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    return columns, indexes


async def _postgres_schema(db: Database) -> tuple[dict[str, list[str]], set[str]]:
    columns: dict[str, list[str]] = {}
    for row in await db.fetch_all(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name != 'schema_version' "
            "ORDER BY table_name, ordinal_position"):
        columns.setdefault(row[0], []).append(row[1])
    # Indexes made by CREATE INDEX, not those behind a PRIMARY KEY or UNIQUE constraint.
    indexes = {row[0] for row in await db.fetch_all(
        "SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema() "
        "AND i.tablename != 'schema_version' AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conname = i.indexname)")}
    return columns, indexes


async def test_both_schemas_have_the_same_tables_columns_and_indexes(
        tmp_path: Path, db: PostgresDatabase) -> None:
    """At the same migration, a SQLite database and a PostgreSQL one have the same tables,
    the same columns in the same order, and the same named indexes, so that rows copy across
    as they are."""
    lite = SQLiteDatabase(tmp_path / "x.db")
    await lite.open()
    try:
        assert await lite.schema_version() == await db.schema_version()
        sqlite_columns, sqlite_indexes = await _sqlite_schema(lite)
    finally:
        await lite.close()
    postgres_columns, postgres_indexes = await _postgres_schema(db)
    assert postgres_columns == sqlite_columns
    assert postgres_indexes == sqlite_indexes


async def test_sealed_values_are_bytes_and_blind_indexes_text(db: PostgresDatabase) -> None:
    types = {(row[0], row[1]): row[2] for row in await db.fetch_all(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema()")}
    for column in SEALED:
        assert types[(column.table, column.column)] == "bytea", column.name
    for blind in (("requests", "responder_index"), ("outbox", "chat_key"),
                  ("languages", "person_key"), ("messages", "source")):
        assert types[blind] == "text", blind


async def test_two_instances_starting_at_once_migrate_once(postgres_url: str) -> None:
    first, second = PostgresDatabase(postgres_url), PostgresDatabase(postgres_url)
    await asyncio.gather(first.open(), second.open())
    try:
        applied = await first.fetch_all("SELECT version FROM schema_version ORDER BY version")
        assert [row[0] for row in applied] == [number for number, _ in migrations()]
        assert await second.schema_version() == migrations()[-1][0]
    finally:
        await first.close()
        await second.close()


async def test_a_schema_newer_than_this_version_is_refused(
        postgres_url: str, db: PostgresDatabase) -> None:
    await db.write("INSERT INTO schema_version (version) VALUES (9999)")
    for migrate in (True, False):
        later = PostgresDatabase(postgres_url)
        with pytest.raises(DatabaseUnusableError, match="upgrade the bot") as refused:
            await later.open(migrate=migrate)
        assert "migration 9999" in str(refused.value)


async def test_check_opens_a_database_without_creating_anything(postgres_url: str) -> None:
    database = PostgresDatabase(postgres_url)
    await database.open(migrate=False)
    try:
        assert await database.schema_version() == 0
        with pytest.raises(SchemaError):
            await database.fetch_all("SELECT * FROM requests")
    finally:
        await database.close()


# --- What open() says when it cannot ------------------------------------------------------

def _parts(url: str) -> tuple[str, str, str, int]:
    parts = urlsplit(url)
    assert parts.username and parts.password and parts.port
    return parts.username, parts.password, parts.path.lstrip("/"), parts.port


async def _refusal(url: str) -> str:
    database = PostgresDatabase(url)
    with pytest.raises(DatabaseUnusableError) as refused:
        await database.open()
    message = str(refused.value)
    assert "\n" not in message and "Traceback" not in message
    password = urlsplit(url).password
    assert password and password not in message
    assert message.startswith(f"DATABASE_URL={masked(url)}") or "not a PostgreSQL URL" in message
    return message


async def test_open_says_in_one_line_why_the_database_cannot_be_used(
        postgres_server: Server | None, postgres_url: str) -> None:
    assert postgres_server is not None
    user, password, name, port = _parts(postgres_url)
    with socket_nobody_listens_on() as free:
        assert "cannot be reached (the connection was refused)" in await _refusal(
            f"postgresql://{user}:{password}@127.0.0.1:{free}/{name}")
    assert "cannot be reached (the host name is unknown)" in await _refusal(
        f"postgresql://{user}:{password}@no-such-host.invalid:{port}/{name}")
    assert "the user name or password is wrong" in await _refusal(
        f"postgresql://{user}:not-{password}@127.0.0.1:{port}/{name}")
    assert "the database does not exist" in await _refusal(
        f"postgresql://{user}:{password}@127.0.0.1:{port}/{name}_missing")
    assert "not a PostgreSQL URL" in await _refusal(
        f"postgresql://{user}:{password} x@127.0.0.1:{port}/{name}")

    outsider = f"o_{secrets.token_hex(4)}"
    postgres_server.sql(f"CREATE ROLE {outsider} LOGIN PASSWORD 'outsider-pw'")
    outsider_url = f"postgresql://{outsider}:outsider-pw@127.0.0.1:{port}/{name}"
    # It may connect, but not create the tables (PostgreSQL 15: only the owner creates in
    # the public schema).
    assert "no permission (permission denied for schema public)" in await _refusal(outsider_url)
    postgres_server.sql(f"REVOKE CONNECT ON DATABASE {name} FROM PUBLIC")
    assert "no permission (permission denied for database" in await _refusal(outsider_url)


class socket_nobody_listens_on:  # noqa: N801 (a context manager read as a phrase)
    """A loopback port with nothing listening on it, while inside."""

    def __enter__(self) -> int:
        import socket

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))  # bound, never listening: connections refused
        return int(self._socket.getsockname()[1])

    def __exit__(self, *_: object) -> None:
        self._socket.close()


# --- Transactions, errors -----------------------------------------------------------------

async def test_run_keeps_every_write_of_its_work_or_none(db: PostgresDatabase) -> None:
    await db.write("CREATE TABLE probe (n INTEGER)")

    def two_then_fail(session: Session) -> None:
        session.execute("INSERT INTO probe VALUES (1)")
        session.execute("INSERT INTO probe VALUES (2)")
        raise RuntimeError("something went wrong half-way")

    with pytest.raises(RuntimeError):
        await db.run(two_then_fail)
    assert await db.run(lambda s: s.execute("INSERT INTO probe VALUES (3)").rowcount) == 1
    assert await db.write("UPDATE probe SET n = 4") == 1
    rows = await db.fetch_all("SELECT n FROM probe")
    assert [row[0] for row in rows] == [4]


async def test_a_write_that_loses_a_race_is_run_again(db: PostgresDatabase) -> None:
    """Two read-then-write transactions (as messages.py reads the last place, then writes the
    next) that both read before either writes: serializable, so one fails, is run again from
    the start, and both increments are kept; and twenty at once keep all twenty."""
    await db.write("CREATE TABLE counter (n INTEGER NOT NULL)")
    await db.write("INSERT INTO counter VALUES (0)")
    both_read = threading.Barrier(2)
    calls = 0

    def increment(session: Session) -> None:
        nonlocal calls
        calls += 1
        (n,) = session.execute("SELECT n FROM counter").fetchone()
        if calls <= 2:  # the first two meet here, each having read 0
            both_read.wait(timeout=10)
        session.execute("UPDATE counter SET n = ?", (n + 1,))

    await asyncio.gather(db.run(increment), db.run(increment))
    assert calls == 3
    await asyncio.gather(*(db.run(increment) for _ in range(20)))
    row = await db.fetch_one("SELECT n FROM counter")
    assert row is not None and row[0] == 22


async def test_a_write_that_keeps_losing_gives_up(
        db: PostgresDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres_database, "_pause", lambda attempt: 0.0)
    calls = 0

    def always_loses(session: Session) -> None:
        nonlocal calls
        calls += 1
        raise psycopg.errors.SerializationFailure("could not serialize access")

    with pytest.raises(StorageError, match="SerializationFailure"):
        await db.run(always_loses)
    assert calls == postgres_database.ATTEMPTS


async def test_driver_errors_arrive_as_storages(db: PostgresDatabase) -> None:
    await db.write("INSERT INTO identity (name, value) VALUES ('a', 'b')")
    with pytest.raises(ConflictError):
        await db.write("INSERT INTO identity (name, value) VALUES ('a', 'c')")
    with pytest.raises(ConflictError):
        await db.write("INSERT INTO feedback (request_id, rating, created_at) "
                       "VALUES ('none', 5, 1)")
    with pytest.raises(SchemaError):
        await db.fetch_one("SELECT * FROM no_such_table")
    with pytest.raises(SchemaError):
        await db.run(lambda s: s.execute("SELECT no_such_column FROM identity").fetchall())
    with pytest.raises(StorageError):
        await db.fetch_all("SELEKT 1")
    assert not isinstance(ConflictError("x"), SchemaError)  # distinct kinds


async def test_values_go_in_and_come_back_as_on_sqlite(db: PostgresDatabase) -> None:
    row = await db.fetch_one("SELECT '100% sure?' AS t, ? AS b, ? AS flag",
                             (b"\x00\x01", True))
    assert row is not None
    assert row["t"] == "100% sure?" and row["b"] == b"\x00\x01" and row["flag"] == 1
    with pytest.raises(ValueError, match="both"):
        await db.fetch_one("SELECT ?, ?1", (1,))


async def test_a_server_database_has_no_file(db: PostgresDatabase, postgres_url: str) -> None:
    _, password, _, _ = _parts(postgres_url)
    assert db.where.startswith("DATABASE_URL=postgresql://") and password not in db.where
    assert db.local_file is None and db.file_changed() is None
    await db.flush_to_disk()
    await db.checkpoint()
    with pytest.raises(StorageError, match="pg_dump"):
        await db.save_copy(Path("/nonexistent/copy.db"))


async def test_a_closed_database_says_so(postgres_url: str) -> None:
    database = await open_database(Path("unused"), url=postgres_url)
    assert isinstance(database, PostgresDatabase)
    await database.close()
    with pytest.raises(DatabaseClosedError):
        await database.fetch_one("SELECT 1")
    with pytest.raises(DatabaseClosedError):
        await database.run(lambda s: None)


# --- For migrate-to-postgres ----------------------------------------------------------------

async def test_rows_are_copied_as_they_are_and_new_ids_follow_them(
        db: PostgresDatabase) -> None:
    keys = Keyring([secrets.token_bytes(32)], secrets.token_bytes(32))
    sealed = b"\x01sealed\x00bytes"
    columns = ("id", "row_key", "chat_key", "chat", "method", "payload", "created_at")
    await db.copy_rows("outbox", columns, [
        (n, f"k{n}", "c", sealed, "sendMessage", sealed, n) for n in (3, 7, 41)])
    await db.copy_rows("audit", ("id", "at", "actor", "action"), [(12, 1, "system", "x")])
    await db.reset_identities()
    rows = await db.fetch_all("SELECT id, chat FROM outbox ORDER BY id")
    assert [(row[0], row[1]) for row in rows] == [(3, sealed), (7, sealed), (41, sealed)]
    made, _ = await OutboxRepository(db, keys).add(5, "sendMessage", {"text": "hi"},
                                                  purpose=None, relayed=False, now=9)
    assert made.id == 42
    await db.write("INSERT INTO audit (at, actor, action) VALUES (2, 'system', 'y')")
    newest = await db.fetch_one("SELECT MAX(id) FROM audit")
    assert newest is not None and newest[0] == 13
    with pytest.raises(ValueError, match="not a table or column name"):
        await db.copy_rows("outbox; DROP TABLE outbox", ("id",), [])
