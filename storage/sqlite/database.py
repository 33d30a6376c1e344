"""The SQLite backend's `Database`: one aiosqlite connection, pragmas, numbered migrations,
transactions.

One connection serves the whole process. Writes go through `run()` (a `BEGIN IMMEDIATE`
transaction) or `write()` (one statement, which takes SQLite's write lock as it starts), and
`transaction()` for SQLite-specific callers, all under one asyncio lock, so a conditional
`UPDATE ... WHERE state = ?` is atomic even when two handlers race for the same row.

Durability: the WAL runs with `synchronous=NORMAL`, so a commit survives the process dying at
any point, and after a power cut or a kernel crash the database comes back as it was after some
earlier commit, never corrupted (the WAL's checksums cut it at the first frame not on disk).
The one write that must survive a power cut is an update received from Telegram, since
Telegram is told it arrived right after: the inbox commits a batch, then `flush_to_disk()`
fsyncs the WAL file, and with it every commit before it, before Telegram is told
(`run(..., durable=True)` does the same within one commit). Whatever came after is done
again from the stored update (its sends keep their keys), so a power cut can repeat a message
but not lose one.

A database that cannot be used (not a database, damaged, on a read-only disk, unreadable)
raises `DatabaseUnusableError` from `open()`: one line naming DATABASE_PATH and what to do,
never a traceback. `file_changed()` tells whether the file at the path is still the one that
was opened (not deleted, not replaced).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import aiosqlite

from storage.errors import DatabaseClosedError, DatabaseUnusableError
from storage.session import Session, Write
from storage.sqlite.errors import storage_error, translated, unusable
from storage.sqlite.files import discard, fsync, make_private, new_private_file

_log = logging.getLogger(__name__)
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
T = TypeVar("T")


def migrations() -> list[tuple[int, str]]:
    """Numbered migrations shipped in storage/sqlite/migrations, in order."""
    found = []
    for entry in resources.files("storage.sqlite").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


class SQLiteDatabase:
    """The database in the file at `path` (DATABASE_PATH); see the top of this module."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._file: tuple[int, int] | None = None  # (device, inode) of the file opened

    @property
    def where(self) -> str:
        """What messages name: DATABASE_PATH."""
        return f"DATABASE_PATH={self.path}"

    @property
    def local_file(self) -> Path | None:
        """The database file (`path`): the id file, lock files and saved copies go beside it."""
        return self.path

    async def schema_version(self) -> int:
        """The newest migration applied (PRAGMA user_version; 0: none)."""
        async with self._lock:
            with translated():
                rows = await self.conn.execute_fetchall("PRAGMA user_version")
        return int(next(iter(rows))[0]) if rows else 0

    async def open(self, *, migrate: bool = True, quick_check: bool = False) -> None:
        """Open (creating it if needed) and migrate. `migrate=False`: what `python -m bot
        check` does: an existing file only, nothing created or changed. `quick_check`: run
        SQLite's PRAGMA quick_check first (a pass over the whole file). Raises
        DatabaseUnusableError when the file cannot be used."""
        try:
            await self._open(migrate=migrate, quick_check=quick_check)
        except (sqlite3.Error, OSError, DatabaseUnusableError) as exc:
            with contextlib.suppress(sqlite3.Error):
                await self.close()
            if isinstance(exc, DatabaseUnusableError):
                raise
            raise unusable(self.path, exc) from exc

    async def _open(self, *, migrate: bool, quick_check: bool) -> None:
        if migrate:
            make_private(self.path)
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        else:  # mode=rw: an error rather than a new empty file
            conn = await aiosqlite.connect(f"file:{quote(str(self.path.absolute()))}?mode=rw",
                                           isolation_level=None, uri=True)
        self._conn = conn
        conn.row_factory = aiosqlite.Row
        stat_now = self.path.stat()
        self._file = (stat_now.st_dev, stat_now.st_ino)
        pragmas = ["busy_timeout = 5000", "foreign_keys = ON", "secure_delete = ON"]
        if migrate:
            pragmas += ["journal_mode = WAL", "synchronous = NORMAL"]
        for pragma in pragmas:
            await conn.execute(f"PRAGMA {pragma}")
        await conn.execute("SELECT count(*) FROM sqlite_master")  # "file is not a database"
        if quick_check:
            rows = await conn.execute_fetchall("PRAGMA quick_check(1)")
            verdict = str(next(iter(rows))[0]) if rows else "no answer"
            if verdict != "ok":
                raise DatabaseUnusableError(
                    f"DATABASE_PATH={self.path} is damaged (SQLite's quick_check: "
                    f"{verdict[:120]}): move it away and restore the latest backup (see "
                    "README 'Backups')")
        if migrate:
            await self._migrate()
            make_private(self.path)  # the WAL and SHM files exist now

    def file_changed(self) -> str | None:
        """None while DATABASE_PATH is still the file that was opened; otherwise what
        happened to it ("was deleted", "was replaced by another file")."""
        if self._file is None:
            return None
        try:
            now = self.path.stat()
        except FileNotFoundError:
            return "was deleted"
        except OSError:  # cannot tell now (a folder briefly unreadable): look again later
            return None
        if (now.st_dev, now.st_ino) != self._file:
            return "was replaced by another file"
        return None

    async def save_copy(self, target: Path) -> None:
        """A consistent copy of the open database (SQLite's backup), even when its file was
        deleted from the folder: the open connection still reads it."""
        new_private_file(target)
        try:
            with translated():
                async with self._lock, aiosqlite.connect(target) as copy:
                    await self.conn.backup(copy)
        except BaseException:
            discard(target)  # half a copy is no copy
            raise

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        """The aiosqlite connection itself: for this backend and SQLite's own tests only."""
        if self._conn is None:
            raise DatabaseClosedError("the database is not open")
        return self._conn

    async def _migrate(self) -> None:
        async with self.conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        current = int(row[0]) if row else 0
        newest = migrations()[-1][0]
        if current > newest:
            raise DatabaseUnusableError(
                f"{self.where} holds a schema newer than this version of the bot knows "
                f"(migration {current}; this version knows up to {newest}): upgrade the bot")
        for number, script in migrations():
            if number <= current:
                continue
            try:
                await self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
            except Exception:
                await self.conn.execute("ROLLBACK")
                raise
            _log.info("applied database migration %04d", number)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A transaction awaited statement by statement on the aiosqlite connection. Not part
        of `storage.backend.Database` (repositories use `run`, one trip where this takes a
        trip per statement plus two): for SQLite-specific callers only."""
        async with self._lock:
            conn = self.conn
            try:
                # Inside the try: a task cancelled while BEGIN is on its way must still queue
                # the ROLLBACK, or later single statements would run inside its transaction.
                await conn.execute("BEGIN IMMEDIATE")
                yield conn
                await conn.execute("COMMIT")
            except BaseException as exc:
                # A failed COMMIT (disk full) must not leave the shared connection inside a
                # transaction, or every later write would fail too.
                with contextlib.suppress(sqlite3.Error):
                    await conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise storage_error(exc) from exc
                raise

    async def run(self, work: Write[T], *, durable: bool = False,
                  ) -> T:
        """Run `work` as one transaction in a single trip to SQLite's thread, and return its
        result. `durable`: the commit is on disk (fsynced) before this returns.

        Each awaited statement is a trip to aiosqlite's thread, and on a small VM a trip costs
        about as much as handling a whole update (waking a thread is slow there); a
        `transaction()` of two statements takes four. `work` gets the plain sqlite3
        connection, runs on that thread, and must not block on anything but SQLite.
        aiosqlite has no public call for this, so its `_execute` is used here and only here
        (tests/unit/test_db.py fails if it goes away).
        """
        async with self._lock:
            conn = self.conn

            def transaction() -> T:
                raw: Session = conn._conn  # private: see the docstring
                if durable:
                    raw.execute("PRAGMA synchronous = FULL")
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    try:
                        result = work(raw)
                        raw.execute("COMMIT")
                    except BaseException:
                        with contextlib.suppress(sqlite3.Error):
                            raw.execute("ROLLBACK")
                        raise
                finally:
                    if durable:
                        try:
                            raw.execute("PRAGMA synchronous = NORMAL")
                        except sqlite3.Error as exc:  # slower from now on, not less safe
                            _log.warning("synchronous could not go back to NORMAL (%s)",
                                         type(exc).__name__)
                return result

            execute: Callable[[Callable[[], T]], Awaitable[T]] = conn._execute
            with translated():
                return await execute(transaction)

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One statement, committed on its own in one trip; the number of rows it changed."""
        async with self._lock:
            with translated():
                cursor = await self.conn.execute(sql, tuple(params))
            return cursor.rowcount

    async def flush_to_disk(self) -> None:
        """Every commit so far survives a power cut once this returns.

        With `synchronous=NORMAL` a commit is in the WAL file but maybe only in the operating
        system's cache; fsync of that file (any descriptor of it will do) puts it on disk. It
        runs in a worker thread without the lock, so other work goes on meanwhile: the inbox
        handles the updates it just stored while the disk flushes."""
        await asyncio.to_thread(fsync, Path(f"{self.path}-wal"), self.path)

    async def checkpoint(self) -> None:
        """Move everything from the WAL into the database and empty the WAL, so deleted text
        (already zeroed in the pages by secure_delete) is gone from the WAL file too."""
        async with self._lock:
            with translated():
                await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        # One trip to SQLite's thread (a cursor would take three: execute, fetch, close).
        async with self._lock:
            with translated():
                return list(await self.conn.execute_fetchall(sql, tuple(params)))
