"""The PostgreSQL backend: the database at DATABASE_URL, reached through psycopg 3.

- database.py: `PostgresDatabase`, which implements `storage.backend.Database` (open,
  migrations under an advisory lock, a connection pool worked from threads of its own,
  serializable transactions run again when they lose a race), and what
  `python -m bot migrate-to-postgres` needs (`schema_version`, `copy_rows`,
  `reset_identities`);
- dialect.py: the repositories' SQL on psycopg (placeholders, rows read by name and position,
  flags written as integers), and the `Session` a `Write` gets;
- migrations/: the numbered schema changes (`NNNN_name.sql`): 0017 makes everything SQLite's
  migrations up to 0017 make; each later one has the same number as SQLite's for the same
  change. Applied in order at open, recorded in the table `schema_version`;
- errors.py: psycopg's exceptions translated into storage/errors.py's at this edge, and
  DATABASE_URL shown with its password masked;
- instance.py: one bot instance per database, an advisory lock held on a connection of its
  own (bot/runner.py takes and watches it).

Outside this folder only storage/backend.py's `open_database` (and the commands and tests
that work on PostgreSQL itself) makes a `PostgresDatabase`.
"""

from storage.postgres.database import PostgresDatabase, migrations
from storage.postgres.errors import masked

__all__ = ["PostgresDatabase", "masked", "migrations"]
