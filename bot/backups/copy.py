"""Taking a backup of the configured database while the bot runs, checked before it is named.

SQLite (DATABASE_PATH): SQLite's online backup into a new private file (storage/sqlite/
backup.py), then its integrity_check and the keys opened on the copy itself (keys.py).
PostgreSQL (DATABASE_URL): `pg_dump --format=custom` (storage/postgres/tools.py, imported only
then, as psycopg is); `pg_restore --list` must read the file,
and the keys are checked against the database it was taken from (pg_restore cannot open a
dump's rows without loading them into a database: `python -m bot restore` checks them there).

Before anything is copied, the destination must have room for it: the database's size (the
SQLite file and its -wal; on PostgreSQL pg_database_size) and a margin (bot/backups/files.py
`room_needed`), so that a backup never fills the disk the bot writes to.

Only once it passed is the file given its name (bot/backups/files.py); a backup that fails is
deleted, and nothing is ever written over an existing file. The database holds sealed values
only, so a backup holds no key and no text in the clear.

A backup cancelled while it runs (the bot's shutdown cancels the nightly one; Ctrl-C the one
taken by hand) stops its worker: the SQLite copy between two steps, pg_dump terminated, each
within a moment, however large the database; then its partial file is deleted and the
cancellation goes on. Nothing waits for a copy of the whole database that nobody will keep.

Test-only (as bot/platform/faults.py): PEER_SUPPORT_SLOW_BACKUP=<seconds> makes a SQLite copy
take one page a step and wait that long after each, so that a test can stop a copy under way.
Never set in production; unset, it does nothing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.backups import files
from bot.backups.files import BackupError
from bot.backups.keys import KeysChecked, check_open, verify_file
from bot.platform.settings import Settings
from storage import integrity
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError, StorageError
from storage.sqlite import backup as sqlite_backup

T = TypeVar("T")
SLOW = "PEER_SUPPORT_SLOW_BACKUP"  # test-only: see the module's docstring


@dataclass(frozen=True)
class Taken:
    """A backup written and checked: where, its size, what was checked (for people), and the
    warnings the check gave."""

    path: Path
    size: int
    checked: str
    warnings: tuple[str, ...] = ()


def suffix(settings: Settings) -> str:
    return ".dump" if settings.database_url else ".db"


def keyring(settings: Settings) -> Keyring:
    return Keyring(settings.encryption_keys, settings.index_key)


def missing(settings: Settings) -> str | None:
    """Why a command run by hand must not touch DATABASE_PATH, or None: there is no database
    file there (a command run with other settings than the bot's, e.g. not its systemd unit's:
    it must neither make one nor say anything about an empty one), or one vanished. Never on
    PostgreSQL."""
    if settings.database_url is not None:
        return None
    path = settings.database_path
    try:
        integrity.refuse_a_vanished_database(path)
    except integrity.StoredDataError as exc:
        return str(exc)
    if path.is_file():
        return None
    return (f"there is no database at DATABASE_PATH={path}, and none was made: run this with "
            "the bot's own settings (under systemd, those of its unit: see README 'Commands "
            "by hand')")


async def take(settings: Settings, target: Path) -> Taken:
    """Back the database up into the new file `target` (its folder made 0700 if missing), and
    check it. Raises BackupError (one line) if it cannot be done, there is no room for it, or
    it does not pass. Every file operation runs in a worker thread, as the copy does; cancelled,
    it stops the copy within a moment and deletes its partial file (see the module's
    docstring)."""
    refused = await asyncio.to_thread(missing, settings)
    if refused is not None:
        raise BackupError(refused)
    written = files.partial(target)
    try:
        await asyncio.to_thread(files.new_private_file, written)
    except FileExistsError:
        raise BackupError(f"{written} exists: another backup to {target.name} is being "
                          "written") from None
    except OSError as exc:
        raise BackupError(f"{target} cannot be written ({exc.strerror})") from None
    try:
        if settings.database_url:
            checked, keys = await _dump(settings, settings.database_url, written)
        else:
            checked, keys = await _copy(settings, written, target)
        await asyncio.to_thread(files.publish, written, target)
    except DatabaseUnusableError as exc:  # the copy or the tool failed: said in one line
        raise BackupError(str(exc)) from None
    finally:  # failed, stopped, or published meanwhile: gone, even if cancelled again
        await asyncio.wrap_future(_begun(lambda: files.discard(written)))
    size = (await asyncio.to_thread(target.stat)).st_size
    return Taken(target, size, checked, keys.warnings)


def _file_size(source: Path) -> int:
    """The SQLite database's size on disk: its file and its -wal (the copy holds both)."""
    wal = Path(f"{source}-wal")
    return source.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


async def _copy(settings: Settings, written: Path, target: Path) -> tuple[str, KeysChecked]:
    """The SQLite copy, checked: what was checked (for people), and the keys' check."""
    source = settings.database_path
    size = await asyncio.to_thread(_file_size, source)
    await asyncio.to_thread(files.check_room, written.parent, size)
    stop = threading.Event()
    pages, pause = _pace()
    copied = await _stoppable(lambda: sqlite_backup.copy(source, written, stop=stop,
                                                         pages=pages, pause=pause), stop)
    if copied.verdict != "ok":
        raise BackupError(f"the copy of DATABASE_PATH={source} is damaged (SQLite's "
                          f"integrity_check: {copied.verdict[:200]}): the database itself may "
                          "be; run `python -m bot check`")
    keys = await verify_file(written, keyring(settings), f"the backup {target}")
    return (f"SQLite's integrity_check says ok; schema version {copied.version}; "
            f"{keys.describe()}", keys)


async def _dump(settings: Settings, url: str, written: Path) -> tuple[str, KeysChecked]:
    """pg_dump, checked as `_copy` says."""
    from storage.postgres import tools  # noqa: PLC0415 (psycopg: only if used)

    db = await open_database(settings.database_path, url=url, migrate=False)
    try:
        size = await tools.database_size(db)
        if size is not None:  # else PostgreSQL would not say: not looked at
            await asyncio.to_thread(files.check_room, written.parent, size)
        stop = threading.Event()
        await _stoppable(lambda: tools.dump(url, written, stop), stop)
        count = await asyncio.to_thread(tools.entries, written)
        state = await integrity.schema_state(db)
        keys = await check_open(db, keyring(settings))
        where = db.where
    except (integrity.StoredDataError, StorageError) as exc:
        raise BackupError(str(exc)) from None
    finally:
        await db.close()
    return (f"pg_restore reads it ({count} entries); schema version {state.version}; "
            f"{keys.describe(f'what {where} holds')} (the database it was taken from: a "
            "dump's rows are read only once restored)", keys)


async def _stoppable(work: Callable[[], T], stop: threading.Event) -> T:
    """`work` in a thread of its own; if this is cancelled meanwhile, `stop` is set and `work`
    awaited until it notices (a moment), so that no copy goes on behind a shutdown (the
    process could not exit before it ended) nor writes into a file deleted under it."""
    running = _begun(work)
    try:
        return await asyncio.wrap_future(running)
    except asyncio.CancelledError:
        stop.set()
        ended = asyncio.wrap_future(running)
        while not ended.done():
            with contextlib.suppress(asyncio.CancelledError):  # again, as the loop ends
                await asyncio.wait([ended])
        if not ended.cancelled():
            ended.exception()  # StoppedError, most likely: the cancellation is what goes on
        raise


def _begun(work: Callable[[], T]) -> concurrent.futures.Future[T]:
    """`work` begun in a thread of its own. Unlike asyncio.to_thread's, no cancellation can
    drop it before it starts (its future is running from the outset), and the process waits
    for its end at exit: a partial file is always deleted, and never written after that."""
    future: concurrent.futures.Future[T] = concurrent.futures.Future()
    future.set_running_or_notify_cancel()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever awaits it
            future.set_exception(exc)

    threading.Thread(target=run, name="backup").start()
    return future


def _pace() -> tuple[int, float]:
    """Pages a step of a SQLite copy, and the wait after each (test-only: SLOW)."""
    slow = os.environ.get(SLOW)
    return (1, float(slow)) if slow else (sqlite_backup.STEP_PAGES, 0.0)
