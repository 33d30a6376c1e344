"""The SQLite backend (the default): one file at DATABASE_PATH, reached through aiosqlite.

- database.py: `SQLiteDatabase`, which implements `storage.backend.Database` (open, pragmas,
  migrations, `run`/`write`/`fetch_*`, durability, checkpoint, copy, file watch);
- migrations/: the numbered schema changes (`NNNN_name.sql`), applied in order at open and
  counted in `PRAGMA user_version`;
- errors.py: sqlite3's exceptions translated into storage/errors.py's at this edge;
- files.py: the files created private (0600 in a 0700 folder), and fsync;
- transfer.py: `python -m bot migrate-to-postgres`, this file read and copied into PostgreSQL.

Outside this folder only storage/backend.py's `open_database` makes a `SQLiteDatabase`
(and the tests and benchmarks that exercise SQLite itself); bot/runner.py words the errors
of the lock files beside DATABASE_PATH with `unusable`.
"""

from storage.sqlite.database import SQLiteDatabase, migrations
from storage.sqlite.errors import unusable

__all__ = ["SQLiteDatabase", "migrations", "unusable"]
