"""The seam between storage's repositories and a database: what a backend must offer.

Repositories and the core are typed against `Database` and `Row` here, never against a
backend's class; `open_database` picks the backend (storage/sqlite/, from DATABASE_PATH, is
the only one so far). A backend raises storage/errors.py's errors, never its driver's.

The SQL the repositories speak (and a backend's `Session` must run, or translate):
- placeholders `?`, and `?1`, `?2`, ... where a value is used twice in one statement (never
  both kinds in one statement); parameters are int, float, str, bytes, bool and None;
- standard SQL plus `INSERT ... ON CONFLICT [(...)] DO NOTHING | DO UPDATE SET x =
  excluded.x [WHERE ...]`, `RETURNING`, `COALESCE`, `||`, `length()` of bytes;
- rows read by column name (`row["code"]`) and by position (`row[0]`), and inside a `Write`
  also unpacked like tuples (messages.py); `Cursor.rowcount` after a write, and
  `Cursor.lastrowid` after an INSERT into an integer key (outbox.py only);
- SQLite-isms still there, for a second backend to translate (or a repository to rewrite):
  `X''`, an empty blob, which clears a sealed column (inbox.py, requests.py, outbox.py); the
  two-argument scalar `MAX(a, b)` (requests.py, outbox.py); `COLLATE NOCASE` (peers.py:
  aliases compared ignoring ASCII case); `rowid` (requests.py orders requests opened in the
  same second by insertion, and no column of theirs keeps that order; rotation.py names rows
  by it); `sqlite_master` (rotation.py's list of tables); `INSERT OR IGNORE` (outbox.py);
  booleans kept as integers 0 and 1 (`high_risk = 1`); `? IS NULL` on a parameter whose type
  only its value tells (requests.py's `close`);
- a write runs inside `run`'s transaction, or alone through `write`, and either must behave as
  SQLite's `BEGIN IMMEDIATE`: of two callers racing a conditional `UPDATE ... WHERE state =
  ?`, one changes the row and the other finds it changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar, overload

from storage.session import Write
from storage.sqlite import SQLiteDatabase

T = TypeVar("T")


class Row(Protocol):
    """A row read back: by column name (`row["code"]`) or by position (`row[0]`). The SQLite
    driver's Row is one, and so is asyncpg's Record."""

    @overload
    def __getitem__(self, key: str, /) -> Any: ...

    @overload
    def __getitem__(self, key: int, /) -> Any: ...


class Database(Protocol):
    """An open database, as repositories and the core use it (see the top of this module): it
    comes open from `open_database`, and `close` ends it."""

    @property
    def path(self) -> Path:
        """DATABASE_PATH: named in messages for the operator; the id file (storage/integrity.py)
        and a copy saved when the file vanishes (bot/runner.py) go beside it."""
        ...

    async def close(self) -> None: ...

    async def run(self, work: Write[T], *, durable: bool = False) -> T:
        """`work` as one transaction (all of it or none), in one trip to the database; its
        result. `durable`: on disk (through a power cut) before this returns."""
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
        """A consistent copy of the open database in a new private file `target`."""
        ...

    def file_changed(self) -> str | None:
        """None while the database is still the one opened; otherwise what happened to it
        ("was deleted", "was replaced by another file")."""
        ...


async def open_database(path: Path, *, migrate: bool = True,
                        quick_check: bool = False) -> Database:
    """The configured database, open: created and migrated as needed (`migrate=False`: an
    existing one only, nothing created or changed, as `python -m bot check` opens it);
    `quick_check`: a pass over all of it first. Raises DatabaseUnusableError (one line for
    the operator) when it cannot be used."""
    db = SQLiteDatabase(path)
    await db.open(migrate=migrate, quick_check=quick_check)
    return db
