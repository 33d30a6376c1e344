"""The seam between storage's repositories and a database: what a backend must offer.

Repositories and the core are typed against `Database` and `Row` here, never against a
backend's class; `open_database` picks the backend: PostgreSQL (storage/postgres/) when
DATABASE_URL is set, else SQLite (storage/sqlite/) at DATABASE_PATH. A backend raises
storage/errors.py's errors, never its driver's.

The SQL the repositories speak (and a backend's `Session` must run, or translate):
- placeholders `?`, and `?1`, `?2`, ... where a value is used twice in one statement (never
  both kinds in one statement); parameters are int, float, str, bytes, bool and None, a bool
  kept as the integer 1 or 0 (flags are integer columns: `high_risk = 1`); a None only where
  the statement gives it a type (`col = ?`, `COALESCE(?, col)`), never alone (`? IS NULL`);
- standard SQL that SQLite and PostgreSQL both run: `INSERT ... ON CONFLICT [(...)] DO
  NOTHING | DO UPDATE SET x = excluded.x [WHERE ...]`, `RETURNING` (a new row's id, never a
  driver's lastrowid), `COALESCE`, `CASE`, `||`, `lower()`, `length()` and `substr()` of
  bytes; an empty sealed value is the parameter b"" (no `X''`), the larger of two values a
  `CASE WHEN a >= b THEN a ELSE b END` (no two-argument `MAX`), a comparison ignoring case
  `lower(a) = lower(?)` (no `COLLATE`), rows named by their key columns (no `rowid`);
- rows read by column name (`row["code"]`) and by position (`row[0]`), and inside a `Write`
  also unpacked like tuples (messages.py); `Cursor.rowcount` after a write;
- what is left of one backend's dialect, and must stay out: SQLite's `INSERT OR IGNORE`,
  `PRAGMA`, `sqlite_master`, `rowid`, `LIMIT -1`, a derived table without an alias, an
  unqualified column of the target table in an upsert's `WHERE` (`digests.sending`);
  PostgreSQL's `::` casts, `ILIKE`, `GREATEST`;
- where the two differ, repositories do not depend on it: the order of text (SQLite compares
  bytes, PostgreSQL follows the database's collation), where NULLs sort, `lower()` past ASCII
  (PostgreSQL folds all of Unicode), and ids (PostgreSQL's come from a sequence: with gaps,
  and not always in the order their rows were committed);
- a write runs inside `run`'s transaction, or alone through `write`, and either must behave as
  SQLite's `BEGIN IMMEDIATE`: of two callers racing a conditional `UPDATE ... WHERE state =
  ?`, one changes the row and the other finds it changed. A backend may run a write again
  from the start when it loses such a race (PostgreSQL does), so a `Write` only reads and
  writes through its session: no other effect, nothing counted outside it until it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

from storage.session import Write
from storage.sqlite import SQLiteDatabase

if TYPE_CHECKING:
    from storage.postgres import PostgresDatabase

T = TypeVar("T")


class Row(Protocol):
    """A row read back: by column name (`row["code"]`) or by position (`row[0]`). The SQLite
    driver's Row is one, and so is storage/postgres/'s."""

    @overload
    def __getitem__(self, key: str, /) -> Any: ...

    @overload
    def __getitem__(self, key: int, /) -> Any: ...


class Database(Protocol):
    """An open database, as repositories and the core use it (see the top of this module): it
    comes open from `open_database`, and `close` ends it."""

    @property
    def where(self) -> str:
        """The setting that names the database, as messages for the operator show it:
        `DATABASE_PATH=/srv/bot/peer_support.db` or `DATABASE_URL=postgresql://bot:***@host/db`
        (never a password)."""
        ...

    @property
    def local_file(self) -> Path | None:
        """The database's file on this machine (SQLite's DATABASE_PATH), beside which the id
        file (storage/integrity.py), the lock files and a copy saved when the file vanishes
        (bot/runner.py) go; None for a database on a server."""
        ...

    async def close(self) -> None: ...

    async def run(self, work: Write[T], *, durable: bool = False) -> T:
        """`work` as one transaction (all of it or none), in one trip to the database; its
        result. `durable`: on disk (through a power cut) before this returns. `work` may be
        called more than once (a backend runs it again after losing a race): only its last
        call's writes are kept."""
        ...

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One statement, committed on its own; the number of rows it changed."""
        ...

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None: ...

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> Sequence[Row]: ...

    async def flush_to_disk(self) -> None:
        """Every commit so far survives a power cut once this returns."""
        ...

    async def checkpoint(self) -> None:
        """Nothing deleted lingers in a log beside the database (SQLite's WAL)."""
        ...

    async def save_copy(self, target: Path) -> None:
        """A consistent copy of the open database in a new private file `target` (SQLite; a
        server database raises StorageError: it is copied with its own tools)."""
        ...

    def file_changed(self) -> str | None:
        """None while the database is still the one opened; otherwise what happened to its
        file ("was deleted", "was replaced by another file"). Always None on a server."""
        ...

    async def schema_version(self) -> int:
        """The number of the newest migration applied (0: none)."""
        ...


async def open_database(path: Path, *, url: str | None = None, migrate: bool = True,
                        quick_check: bool = False) -> Database:
    """The configured database, open: PostgreSQL at `url` (DATABASE_URL) when given, else
    SQLite at `path` (DATABASE_PATH); created and migrated as needed (`migrate=False`: an
    existing one only, nothing created or changed, as `python -m bot check` opens it);
    `quick_check`: a pass over all of it first (SQLite). Raises DatabaseUnusableError (one
    line for the operator) when it cannot be used."""
    db: PostgresDatabase | SQLiteDatabase
    if url:
        from storage.postgres import PostgresDatabase  # noqa: PLC0415 (psycopg: only if used)

        db = PostgresDatabase(url)
    else:
        db = SQLiteDatabase(path)
    await db.open(migrate=migrate, quick_check=quick_check)
    return db
