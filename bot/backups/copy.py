"""Taking a backup of the configured database while the bot runs, checked before it is named.

SQLite (DATABASE_PATH): SQLite's online backup into a new private file (storage/sqlite/
backup.py), then its integrity_check and the keys opened on the copy itself (keys.py).
PostgreSQL (DATABASE_URL): `pg_dump --format=custom` (storage/postgres/tools.py, imported only
then, as psycopg is); `pg_restore --list` must read the file,
and the keys are checked against the database it was taken from (pg_restore cannot open a
dump's rows without loading them into a database: `python -m bot restore` checks them there).

Only once it passed is the file given its name (bot/backups/files.py); a backup that fails is
deleted, and nothing is ever written over an existing file. The database holds sealed values
only, so a backup holds no key and no text in the clear.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.backups import files
from bot.backups.files import BackupError
from bot.backups.keys import verify_file
from bot.platform.settings import Settings
from storage import integrity
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError, StorageError
from storage.sqlite import backup as sqlite_backup


@dataclass(frozen=True)
class Taken:
    """A backup written and checked: where, its size, and what was checked (for people)."""

    path: Path
    size: int
    checked: str


def suffix(settings: Settings) -> str:
    return ".dump" if settings.database_url else ".db"


def keyring(settings: Settings) -> Keyring:
    return Keyring(settings.encryption_keys, settings.index_key)


async def take(settings: Settings, target: Path) -> Taken:
    """Back the database up into the new file `target` (its folder made 0700 if missing), and
    check it. Raises BackupError (one line) if it cannot be done or does not pass. Every file
    operation runs in a worker thread, as the copy does."""
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
            checked = await _dump(settings, settings.database_url, written)
        else:
            checked = await _copy(settings, written, target)
        await asyncio.to_thread(files.publish, written, target)
    except DatabaseUnusableError as exc:  # the copy or the tool failed: said in one line
        raise BackupError(str(exc)) from None
    finally:
        await asyncio.to_thread(files.discard, written)  # failed, or published meanwhile
    size = (await asyncio.to_thread(target.stat)).st_size
    return Taken(target, size, checked)


async def _copy(settings: Settings, written: Path, target: Path) -> str:
    source = settings.database_path
    if not await asyncio.to_thread(source.is_file):
        raise BackupError(f"DATABASE_PATH={source} does not exist: there is nothing to back up")
    copied = await asyncio.to_thread(sqlite_backup.copy, source, written)
    if copied.verdict != "ok":
        raise BackupError(f"the copy of DATABASE_PATH={source} is damaged (SQLite's "
                          f"integrity_check: {copied.verdict[:200]}): the database itself may "
                          "be; run `python -m bot check`")
    await verify_file(written, keyring(settings), f"the backup {target}")
    return (f"SQLite's integrity_check says ok; schema version {copied.version}; "
            "ENCRYPTION_KEYS and INDEX_KEY open what it holds")


async def _dump(settings: Settings, url: str, written: Path) -> str:
    from storage.postgres import tools  # noqa: PLC0415 (psycopg: only if used)

    await asyncio.to_thread(tools.dump, url, written)
    count = await asyncio.to_thread(tools.entries, written)
    db = None
    try:
        db = await open_database(settings.database_path, url=url, migrate=False)
        state = await integrity.schema_state(db)
        await integrity.verify(db, keyring(settings), record=False)
        where = db.where
    except (integrity.StoredDataError, DatabaseUnusableError, StorageError) as exc:
        raise BackupError(str(exc)) from None
    finally:
        if db is not None:
            await db.close()
    return (f"pg_restore reads it ({count} entries); schema version {state.version}; "
            f"ENCRYPTION_KEYS and INDEX_KEY open what {where} holds (the database it was "
            "taken from: a dump's rows are read only once restored)")
