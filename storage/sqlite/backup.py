"""A consistent copy of a SQLite database file, checked, for `python -m bot backup` and
`restore` and the nightly backup (bot/backups/).

The copy is SQLite's online backup on a connection of its own, in one step: one read
transaction, so it is the database as it was at one commit, while the bot goes on writing (in
WAL mode a reader never stops a writer). The copy is switched out of WAL mode, so that it is
one self-contained file, then checked: SQLite's full `integrity_check`, its schema version and
the id of the database it came from. Every call blocks: the bot runs them in a worker thread,
so that a large file never holds up the event loop.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from storage.errors import DatabaseUnusableError
from storage.sqlite.files import fsync

BUSY_MILLISECONDS = 30_000  # how long the copy waits for a moment the database is not locked


@dataclass(frozen=True)
class Copied:
    """What a copy holds: SQLite's verdict on it ("ok"), its schema version and the id of the
    database it came from (None before that database's first start)."""

    verdict: str
    version: int
    database_id: str | None


def copy(source: Path, target: Path, *, live: bool = True) -> Copied:
    """Copy the database `source` into the new empty file `target` and check the copy.
    `source` is only read: the live database (`live`: opened as the bot opens it, so that a
    -wal this connection made is removed as it closes), or a backup (opened read-only).
    Raises DatabaseUnusableError (one line) if it cannot be copied."""
    uri = f"file:{quote(str(source.absolute()))}?mode={'rw' if live else 'ro'}"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as reading, \
                contextlib.closing(sqlite3.connect(target, isolation_level=None)) as copied:
            reading.execute(f"PRAGMA busy_timeout = {BUSY_MILLISECONDS}")
            reading.backup(copied)
            copied.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            result = _examine(copied)
    except sqlite3.Error as exc:
        raise DatabaseUnusableError(f"{source} could not be copied (SQLite: {exc})") from None
    fsync(target)
    return result


def _examine(conn: sqlite3.Connection) -> Copied:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    verdict = "; ".join(str(row[0]) for row in rows[:3]) if rows else "no answer"
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    try:
        found = conn.execute("SELECT value FROM identity WHERE name = 'database_id'").fetchone()
    except sqlite3.OperationalError:  # no identity table: before migration 15
        found = None
    return Copied(verdict, version, str(found[0]) if found else None)


def checkpoint(path: Path) -> None:
    """Fold the database's -wal into its file, with the bot stopped (best effort: a damaged
    database is left as it is)."""
    uri = f"file:{quote(str(path.absolute()))}?mode=rw"
    with contextlib.suppress(sqlite3.Error), \
            contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
