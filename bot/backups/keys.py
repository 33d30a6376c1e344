"""The current keys against a database that is not the bot's own (a backup, the copy a restore
is about to put in place, what a restore loaded): storage/integrity.py's `verify`, as at
start, without writing anything, its refusals worded for that database, and what it found
said as it is: values under a key that is not listed are a warning, and a check an older
schema cut short is said to be one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.backups.files import BackupError
from storage import integrity
from storage.backend import Database, open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError, SchemaError, StorageError


@dataclass(frozen=True)
class KeysChecked:
    """What checking the keys found: warnings (values no listed key opens), and whether the
    check went all the way (an older schema may lack what it reads)."""

    warnings: tuple[str, ...] = ()
    complete: bool = True

    def describe(self, holds: str = "what it holds") -> str:
        """For people: "ENCRYPTION_KEYS and INDEX_KEY open what it holds", or what is true."""
        if not self.complete:
            return ("the keys were checked only in part: its schema is older than this "
                    "version's and lacks what the check reads (the start that migrates it "
                    "checks them all)")
        if self.warnings:
            return (f"INDEX_KEY fits, and ENCRYPTION_KEYS opens only part of {holds} (see "
                    "the warning below)")
        return f"ENCRYPTION_KEYS and INDEX_KEY open {holds}"


async def check_open(db: Database, keyring: Keyring) -> KeysChecked:
    """The keys against the open database `db` (StoredDataError, StorageError: refused)."""
    state = await integrity.schema_state(db)
    try:
        verified = await integrity.verify(db, keyring, record=False)
    except SchemaError:  # an older schema lacking a table or a column the check reads
        if not state.older:
            raise
        return KeysChecked(complete=False)
    return KeysChecked(tuple(verified.warnings))


async def verify_file(path: Path, keyring: Keyring, shown: str) -> KeysChecked:
    """ENCRYPTION_KEYS and INDEX_KEY open what the SQLite file `path` holds. Raises
    BackupError naming it as `shown` ("the backup /x/y.db"); its warnings name it so too."""
    db = None
    try:
        db = await open_database(path, migrate=False)
        checked = await check_open(db, keyring)
    except (integrity.StoredDataError, DatabaseUnusableError, StorageError) as exc:
        text = str(exc).replace(f"DATABASE_PATH={path}", shown)
        raise BackupError(text[0].upper() + text[1:]) from None
    finally:
        if db is not None:
            await db.close()
    return KeysChecked(tuple(warning.replace(f"DATABASE_PATH={path}", shown)
                             for warning in checked.warnings), checked.complete)
