"""The current keys against a database file that is not DATABASE_PATH (a backup, or the copy a
restore is about to put in place): storage/integrity.py's `verify`, as at start, without
writing anything, and its refusals worded for that file."""

from __future__ import annotations

from pathlib import Path

from bot.backups.files import BackupError
from storage import integrity
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError, SchemaError, StorageError


async def verify_file(path: Path, keyring: Keyring, shown: str) -> None:
    """ENCRYPTION_KEYS and INDEX_KEY open what the SQLite file `path` holds. Raises
    BackupError naming it as `shown` ("the backup /x/y.db")."""
    db = None
    try:
        db = await open_database(path, migrate=False)
        state = await integrity.schema_state(db)
        try:
            await integrity.verify(db, keyring, record=False)
        except SchemaError:  # an older schema lacking a table: what it has was checked
            if not state.older:
                raise
    except (integrity.StoredDataError, DatabaseUnusableError, StorageError) as exc:
        text = str(exc).replace(f"DATABASE_PATH={path}", shown)
        raise BackupError(text[0].upper() + text[1:]) from None
    finally:
        if db is not None:
            await db.close()
