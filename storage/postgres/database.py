"""The PostgreSQL backend's `Database`: a pool of psycopg connections, worked from a few
threads of its own; numbered migrations under an advisory lock; serializable transactions.

Each `run`, `write` and `fetch_*` takes a connection from the pool (at least one open, at
most `max_connections`) in a thread of this database's own executor, one thread per
connection, so a call never waits for a thread once it has one. A `Write` is synchronous
(storage/session.py): it runs on that thread from start to commit, as on SQLite's.

Transactions mean what they mean on SQLite, where every write is serialized: several bot
processes may share one database, so each `run(write)` and `write(sql)` is a SERIALIZABLE
transaction, and one that loses a race (serialization failure 40001, deadlock 40P01) is
rolled back and run again from the start, the write function called anew (writes are
re-runnable: they only read and write through their session), up to `ATTEMPTS` times with a
short jittered pause. Of two callers racing a conditional `UPDATE ... WHERE state = ?`, one
changes the row and the other, run again, finds it changed. Reads (`fetch_*`) run alone in
autocommit and see what was committed when they started.

`open()` raises `DatabaseUnusableError` with one line naming DATABASE_URL (the password
masked) and what is wrong: unreachable, wrong password, no such database, no permission, or a
schema newer than this version of the bot knows.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from storage.errors import DatabaseClosedError, DatabaseUnusableError, StorageError
from storage.postgres.dialect import BoolAsInteger, PostgresSession, Row, bind, row_factory
from storage.postgres.errors import RETRYABLE, masked, translated, unusable
from storage.session import Write

_log = logging.getLogger(__name__)
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
T = TypeVar("T")

ATTEMPTS = 10  # runs of a write that keeps losing races before it gives up
CONNECT_SECONDS = 10  # to reach the server, at open and for each new pooled connection
POOL_SECONDS = 30.0  # to wait for a free connection when all are busy
_BEGIN = "BEGIN ISOLATION LEVEL SERIALIZABLE"
# pg_advisory_xact_lock's key while migrating: one instance migrates, others wait and see it
# done. ("peersupp" in ASCII.)
_MIGRATION_LOCK = 0x7065657273757070
_random = secrets.SystemRandom()

Connection = psycopg.Connection[Row]


def migrations() -> list[tuple[int, str]]:
    """Numbered migrations shipped in storage/postgres/migrations, in order. The first is the
    baseline (the schema SQLite's migrations up to the same number make); later ones carry
    the same number as SQLite's migration for the same change."""
    found = []
    for entry in resources.files("storage.postgres").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _pause(attempt: int) -> float:
    """How long to wait before running a write again: 2 ms doubling to 200 ms, jittered so
    that racers do not meet again."""
    return min(0.2, 0.002 * 2.0 ** attempt) * _random.uniform(0.5, 1.5)


def _configure(conn: Connection) -> None:
    conn.adapters.register_dumper(bool, BoolAsInteger)


def _version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return 0
    found = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
    return int(found[0]) if found else 0


class PostgresDatabase:
    """The database at `url` (DATABASE_URL); see the top of this module."""

    def __init__(self, url: str, *, max_connections: int = 10) -> None:
        self._url = url
        self._max = max_connections
        self._pool: ConnectionPool[Connection] | None = None
        self._executor: ThreadPoolExecutor | None = None

    @property
    def where(self) -> str:
        """What messages name: DATABASE_URL, its password masked."""
        return f"DATABASE_URL={masked(self._url)}"

    @property
    def local_file(self) -> Path | None:
        """None: the database is on a server, not in a file of this machine."""
        return None

    # --- Opening, migrating, closing -----------------------------------------------------

    async def open(self, *, migrate: bool = True, quick_check: bool = False) -> None:
        """Connect, migrate (`migrate=False`: what `python -m bot check` does: nothing is
        created or changed) and open the pool. `quick_check` asks nothing more of PostgreSQL,
        which checks pages as it reads them. Raises DatabaseUnusableError."""
        del quick_check
        if self._executor is not None:
            raise StorageError("the database is open already")
        executor = ThreadPoolExecutor(max_workers=self._max, thread_name_prefix="postgres")
        try:
            self._pool = await asyncio.get_running_loop().run_in_executor(
                executor, self._connect, migrate)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        self._executor = executor

    def _connect(self, migrate: bool) -> ConnectionPool[Connection]:
        try:
            with psycopg.connect(self._url, autocommit=True,
                                 connect_timeout=CONNECT_SECONDS) as conn:
                if migrate:
                    self._migrate(conn)
                else:
                    self._refuse_newer(_version(conn))
            pool: ConnectionPool[Connection] = ConnectionPool(
                self._url, min_size=1, max_size=self._max, open=False, name="database",
                timeout=POOL_SECONDS, configure=_configure,
                kwargs={"autocommit": True, "row_factory": row_factory,
                        "connect_timeout": CONNECT_SECONDS},
                connection_class=cast(type[Connection], psycopg.Connection))
            try:
                pool.open(wait=True, timeout=CONNECT_SECONDS)
            except BaseException:
                pool.close()
                raise
        except DatabaseUnusableError:
            raise
        except (psycopg.Error, OSError) as exc:
            raise unusable(self.where, self._url, exc) from None
        return pool

    def _refuse_newer(self, version: int) -> None:
        newest = migrations()[-1][0]
        if version > newest:
            raise DatabaseUnusableError(
                f"{self.where} holds a schema newer than this version of the bot knows "
                f"(migration {version}; this version knows up to {newest}): upgrade the bot")

    def _migrate(self, conn: psycopg.Connection[Any]) -> None:
        """Every migration not yet applied, in one transaction, under an advisory lock: a
        second instance starting at the same time waits, then finds nothing to do."""
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            current = _version(conn)
            self._refuse_newer(current)
            pending = [(number, script) for number, script in migrations() if number > current]
            if not pending:
                return
            if current == 0:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                             "version integer PRIMARY KEY, "
                             "applied_at timestamptz NOT NULL DEFAULT now())")
            for number, script in pending:
                conn.execute(script.encode())  # no parameters: run as a script
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
        for number, _ in pending:
            _log.info("applied database migration %04d", number)

    async def close(self) -> None:
        """No new call is taken; those under way finish; then the connections close."""
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True)
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.close)

    async def schema_version(self) -> int:
        """The newest migration applied (0: none)."""
        return await self._call(lambda: self._with_connection(_version))

    # --- Work ----------------------------------------------------------------------------

    async def _call(self, job: Callable[[], T]) -> T:
        """`job` on this database's threads; psycopg's errors raised as storage's."""
        executor = self._executor
        if executor is None:
            raise DatabaseClosedError("the database is not open")
        with translated():
            return await asyncio.get_running_loop().run_in_executor(executor, job)

    def _with_connection(self, job: Callable[[Connection], T]) -> T:
        pool = self._pool
        if pool is None:
            raise DatabaseClosedError("the database is not open")
        with pool.connection() as conn:
            return job(conn)

    def _serializable(self, work: Write[T]) -> T:
        """`work` in a SERIALIZABLE transaction, run again while it loses races."""
        for attempt in range(ATTEMPTS):
            try:
                return self._with_connection(functools.partial(_transaction, work))
            except psycopg.Error as exc:
                if exc.sqlstate not in RETRYABLE or attempt == ATTEMPTS - 1:
                    raise
            time.sleep(_pause(attempt))
        raise AssertionError("unreachable")

    async def run(self, work: Write[T], *, durable: bool = False) -> T:
        """`work` as one SERIALIZABLE transaction (run again from the start if it loses a
        race), on one connection; its result. `durable`: every PostgreSQL commit is on disk
        before it returns (synchronous_commit, on by default), so nothing more is done."""
        del durable
        return await self._call(functools.partial(self._serializable, work))

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One statement in a SERIALIZABLE transaction of its own; the rows it changed."""
        values = tuple(params)
        return await self._call(functools.partial(
            self._serializable, lambda session: session.execute(sql, values).rowcount))

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        query, values = bind(sql, params)
        return await self._call(lambda: self._with_connection(
            lambda conn: conn.execute(query, values).fetchall()))

    async def flush_to_disk(self) -> None:
        """Nothing to do: PostgreSQL has every commit on disk before it answers the commit
        (synchronous_commit, on by default; a server run with it off has chosen otherwise)."""

    async def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL's write-ahead log and dead row versions are the server's
        own (recycled after its checkpoints, reclaimed by autovacuum), out of the bot's reach
        without superuser rights; and the values that matter were sealed before they got
        there."""

    async def save_copy(self, target: Path) -> None:
        """Refused: a server database is copied with pg_dump (README 'Backups'), and it has
        no file here to vanish."""
        raise StorageError(f"{self.where} is a server database: copy it with pg_dump")

    def file_changed(self) -> str | None:
        """None: there is no file to watch."""
        return None

    # --- For `python -m bot migrate-to-postgres` ----------------------------------------

    async def copy_rows(self, table: str, columns: Sequence[str],
                        rows: Sequence[Sequence[Any]]) -> None:
        """Insert `rows` (values in the order of `columns`) into `table` in one transaction,
        as they are: sealed values (bytes) become bytea unchanged, ids are kept."""
        for name in (table, *columns):
            if not _IDENTIFIER.match(name):
                raise ValueError(f"not a table or column name: {name!r}")
        statement = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(sql.Placeholder() * len(columns)))
        values = [tuple(row) for row in rows]

        def copy(conn: Connection) -> None:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(statement, values)

        await self._call(lambda: self._with_connection(copy))

    async def reset_identities(self) -> None:
        """Every identity column's next value set past the largest id in its table (after
        rows were copied with their ids), so that new rows do not collide with them."""
        def reset(conn: Connection) -> None:
            found = conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND is_identity = 'YES'").fetchall()
            with conn.transaction():
                for table, column in found:
                    conn.execute(sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({}, {}), "
                        "COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)").format(
                            sql.Literal(sql.Identifier(table).as_string(conn)),
                            sql.Literal(column), sql.Identifier(column),
                            sql.Identifier(table)))

        await self._call(lambda: self._with_connection(reset))


def _transaction(work: Write[T], conn: Connection) -> T:
    """One run of `work` between BEGIN and COMMIT, rolled back if anything fails."""
    conn.execute(_BEGIN)
    try:
        result = work(PostgresSession(conn))
        committed = conn.execute("COMMIT").statusmessage
    except BaseException:
        if not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):
                conn.execute("ROLLBACK")
        raise
    if committed != "COMMIT":  # a failed statement whose error was swallowed: rolled back
        raise StorageError("the transaction failed and was rolled back")
    return result
