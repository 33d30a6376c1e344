"""What storage raises: its own errors, whatever database is underneath.

The core catches these and nothing of a driver: a backend translates its driver's exceptions
at its edge (storage/sqlite/errors.py for SQLite), so a second backend changes no `except`
outside storage/.
"""

from __future__ import annotations


class StorageError(Exception):
    """The database did not do what was asked (disk full, read-only, locked, damaged, closed):
    whatever the call was to keep was not kept."""


class StorageFullError(StorageError):
    """The disk (or the database's quota) is full."""


class ConflictError(StorageError):
    """A uniqueness or reference rule refused the write: the row is there already (a second
    rating of one request), or what it points to is not."""


class DatabaseClosedError(StorageError):
    """The database was used before `open()` or after `close()`."""


class DatabaseUnusableError(Exception):
    """The database cannot be used as it is: one line naming the setting and what to do (the
    command line prints it, the bot logs it and exits with status 2)."""


class SchemaError(StorageError):
    """A table or column this version expects is not there: a database not migrated (what
    `python -m bot check` opens without changing it)."""
