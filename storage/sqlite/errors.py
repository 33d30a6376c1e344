"""SQLite's exceptions as storage's own (storage/errors.py), at this backend's edge: nothing
outside storage/sqlite/ knows which driver is underneath."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from storage.errors import (
    ConflictError,
    DatabaseUnusableError,
    SchemaError,
    StorageError,
    StorageFullError,
)


def storage_error(exc: sqlite3.Error) -> StorageError:
    """What a failed statement or commit raises instead of the driver's exception."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    message = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, sqlite3.IntegrityError):
        return ConflictError(message)
    if name.startswith("SQLITE_FULL"):
        return StorageFullError(message)
    if str(exc).startswith(("no such table", "no such column")):
        return SchemaError(message)
    return StorageError(message)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """SQLite's exceptions raised inside, as storage's own."""
    try:
        yield
    except sqlite3.Error as exc:
        raise storage_error(exc) from exc


def unusable(path: Path, exc: BaseException) -> DatabaseUnusableError:
    """What a failure to open or write the database means, in one line for the operator."""
    where = f"DATABASE_PATH={path}"
    name = getattr(exc, "sqlite_errorname", "") or ""
    code = exc.errno if isinstance(exc, OSError) else None
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return DatabaseUnusableError(
            f"{where} is not a usable database ({reason}): move it away and restore the "
            "latest backup (see README 'Backups')")
    if name.startswith("SQLITE_READONLY") or code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DatabaseUnusableError(
            f"{where} cannot be written ({reason}): is the disk read-only, or the file or its "
            "folder owned by another user?")
    if name.startswith("SQLITE_FULL") or code == errno.ENOSPC:
        return DatabaseUnusableError(f"{where} cannot be written: the disk is full")
    if name.startswith("SQLITE_CANTOPEN"):
        return DatabaseUnusableError(
            f"{where} cannot be opened ({reason}): is the disk read-only, or the file or its "
            "folder owned by another user?")
    return DatabaseUnusableError(f"{where} cannot be used ({type(exc).__name__}: {reason})")
