"""A consistent copy of a SQLite database file, checked, for `python -m bot backup` and
`restore` and the nightly backup (bot/backups/).

The copy is SQLite's online backup on a connection of its own, STEP_PAGES pages at a time,
all in one read transaction held from the first step to the last: it is the database as it
was at one commit, while the bot goes on writing (in WAL mode a reader never stops a writer;
without that transaction, every commit in between would start the copy over). The copy is
switched out of WAL mode, so that it is one self-contained file, then checked: SQLite's full
`integrity_check`, its schema version and the id of the database it came from. Every call
blocks: the bot runs them in a worker thread, so that a large file never holds up the event
loop. Between two steps, and every so often while the copy is checked, `copy` asks whether to
stop (the bot is shutting down, Ctrl-C): a stop takes effect within a moment, however large
the database, and leaves the target to be deleted by the caller.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from storage.errors import DatabaseUnusableError
from storage.sqlite.files import fsync

BUSY_SECONDS = 30  # how long the copy waits for a moment the database is not locked
STEP_PAGES = 1024  # pages copied between two looks at whether to stop (4 MB of 4 kB pages)
CHECK_STEPS = 100_000  # SQLite instructions run between two such looks while checking


class StoppedError(Exception):
    """The copy was asked to stop before it ended: the target holds nothing usable."""


@dataclass(frozen=True)
class Copied:
    """What a copy holds: SQLite's verdict on it ("ok"), its schema version and the id of the
    database it came from (None before that database's first start)."""

    verdict: str
    version: int
    database_id: str | None


def copy(source: Path, target: Path, *, live: bool = True, stop: threading.Event | None = None,
         pages: int = STEP_PAGES, pause: float = 0.0) -> Copied:
    """Copy the database `source` into the new empty file `target`, `pages` pages a step, and
    check the copy. `source` is only read: the live database (`live`: opened as the bot opens
    it, so that a -wal this connection made is removed as it closes), or a backup (opened
    read-only). `stop` set makes it raise StoppedError within a moment; `pause` waits that long
    after each step (a test's slow copy; a stop cuts it short). Raises DatabaseUnusableError
    (one line) if it cannot be copied."""
    stop = stop if stop is not None else threading.Event()

    def stepped(*_: int) -> None:  # raised here, StoppedError ends SQLite's backup at once
        _stop_if(stop.wait(pause) if pause else stop.is_set())

    uri = f"file:{quote(str(source.absolute()))}?mode={'rw' if live else 'ro'}"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=1)) as reading, \
                contextlib.closing(sqlite3.connect(target, isolation_level=None)) as copied:
            _begin_reading(reading, stop)
            reading.backup(copied, pages=pages, progress=stepped)
            copied.set_progress_handler(stop.is_set, CHECK_STEPS)  # True interrupts a check
            copied.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            result = _examine(copied)
    except sqlite3.Error as exc:
        _stop_if(stop.is_set())  # "interrupted": the check was stopped
        raise DatabaseUnusableError(f"{source} could not be copied (SQLite: {exc})") from None
    fsync(target)
    return result


def _stop_if(stopped: bool) -> None:
    if stopped:
        raise StoppedError


def _begin_reading(conn: sqlite3.Connection, stop: threading.Event) -> None:
    """Open the read transaction every step of the copy reads: tried every second (the
    connection's timeout) while the database is locked, up to BUSY_SECONDS, unless a stop
    comes in between."""
    for attempt in range(1, BUSY_SECONDS + 1):
        _stop_if(stop.is_set())
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read begins
        except sqlite3.OperationalError as exc:
            conn.rollback()
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # SQLITE_BUSY_RECOVERY too
            if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and attempt < BUSY_SECONDS:
                continue
            raise
        return


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
