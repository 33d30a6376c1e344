"""What start-up and `python -m bot check` verify before the bot uses the database.

- It is the database this folder held (SQLite only: `db.local_file`): a random id is stored
  inside it and in `<database>.id` beside it, written at its first start. A database file
  missing while its folder shows it existed (that file, its WAL, its lock file) is refused, and
  so is a file whose id differs; a first start on an empty folder creates it. On PostgreSQL
  the id is stored inside the database only (there is no folder to keep a second copy in).
- ENCRYPTION_KEYS opens what it holds (`storage.rotation.survey`).
- INDEX_KEY is the one it was used with: an HMAC of a fixed text under INDEX_KEY is stored at
  the first start and compared at every later one (`rotate-keys` records a new one).
- Its schema (`schema_state`, for `check`): the version, and on PostgreSQL whether the user
  may make the tables a start would make, or read and write the tables there are.

Each failure is a `StoredDataError` (`DatabaseUnusableError` for a user's missing rights): one
line naming the variable or the file to fix, and the database as `db.where` says it
(`DATABASE_PATH=...`, or `DATABASE_URL=...` without its password).
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from storage.backend import Database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError, SchemaError
from storage.rotation import survey
from storage.sqlite import migrations

_INDEX_CHECK = ("index-key-check", "peer-support")  # the fixed text, as a blind index


class StoredDataError(Exception):
    """The database or the keys do not fit together: one line naming what to fix."""


@dataclass
class Verified:
    database_id: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SchemaState:
    """A database's schema version against the newest this version of the bot makes."""

    version: int
    newest: int
    server: bool  # PostgreSQL's (it answers), not a file (it is intact)

    @property
    def older(self) -> bool:
        return self.version < self.newest

    def describe(self) -> str:
        found = "it answers" if self.server else "intact"
        if self.version == 0:
            return f"{found}; empty: the first start creates its tables"
        if self.older:
            return (f"{found}; schema version {self.version}, older than this version's "
                    f"{self.newest}: the next start migrates it")
        return f"{found}; schema version {self.version}, this version's newest"


async def schema_state(db: Database) -> SchemaState:
    """The schema of an open database (`open_database` already refused a newer one). On
    PostgreSQL, a user who may not do what the bot will do is refused here rather than at
    start: DatabaseUnusableError, one line."""
    if db.local_file is not None:
        return SchemaState(await db.schema_version(), migrations()[-1][0], server=False)
    from storage.postgres import migrations as server_migrations  # noqa: PLC0415 (psycopg)

    state = SchemaState(await db.schema_version(), server_migrations()[-1][0], server=True)
    if state.older:
        row = await db.fetch_one("SELECT current_schema(), "
                                 "has_schema_privilege(current_schema(), 'CREATE')")
        if row is None or row[0] is None or not row[1]:
            schema = row[0] if row is not None and row[0] is not None else "public"
            raise DatabaseUnusableError(
                f"{db.where}: the user has no permission to create the bot's tables in schema "
                f"{schema}: make it the database's owner, or GRANT CREATE ON SCHEMA {schema} "
                "TO it")
        return state
    rows = await db.fetch_all(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND NOT ("
        "has_table_privilege(format('%I.%I', schemaname, tablename), 'SELECT') AND "
        "has_table_privilege(format('%I.%I', schemaname, tablename), 'INSERT') AND "
        "has_table_privilege(format('%I.%I', schemaname, tablename), 'UPDATE') AND "
        "has_table_privilege(format('%I.%I', schemaname, tablename), 'DELETE')) "
        "ORDER BY tablename")
    if rows:
        raise DatabaseUnusableError(
            f"{db.where}: the user has no permission to read and write the table "
            f"{rows[0][0]}{f' and {len(rows) - 1} more' if len(rows) > 1 else ''}: make it "
            "the tables' owner, or GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN "
            "SCHEMA (and USAGE ON ALL SEQUENCES) TO it")
    return state


def id_file(database_path: Path) -> Path:
    return Path(f"{database_path}.id")


def traces(database_path: Path) -> list[Path]:
    """Files that show a database existed at this path."""
    candidates = (id_file(database_path), Path(f"{database_path}-wal"),
                  Path(f"{database_path}-shm"), Path(f"{database_path}.lock"))
    return [path for path in candidates if path.exists()]


def saved_copies(database_path: Path) -> list[Path]:
    """Copies the bot saved when its database vanished under it (newest last)."""
    return sorted(database_path.parent.glob(f"{database_path.name}.saved-*"))


def refuse_a_vanished_database(database_path: Path) -> None:
    """A missing DATABASE_PATH is created only in a folder that never held it."""
    if database_path.exists():
        return
    found = traces(database_path)
    if not found:
        return
    names = " and ".join([", ".join(path.name for path in found[:-1]), found[-1].name]
                         if len(found) > 1 else [found[0].name])
    copies = saved_copies(database_path)
    put_back = (f"move the copy the bot saved ({copies[-1].name}) to DATABASE_PATH" if copies
                else "put it back or restore the latest backup (see README 'Backups')")
    raise StoredDataError(
        f"DATABASE_PATH={database_path} does not exist, but its folder held it ({names}): was "
        f"it deleted or moved? {put_back[0].upper()}{put_back[1:]}; to start over with an "
        f"empty database instead, delete {names}")


async def verify(db: Database, keyring: Keyring, *, record: bool) -> Verified:
    """Check the open database against its id file and the keys. `record`: write what is
    missing (the id, the index key's check value): at start, not in `check`."""
    result = Verified(database_id=await _same_database(db, record=record))
    found = await survey(db, keyring)
    where = db.where
    if found.stored and not found.readable:
        raise StoredDataError(
            f"ENCRYPTION_KEYS cannot open the values stored in {where}: were the keys "
            "replaced? Put the previous key back (after the new one when rotating; see README "
            "'Rotating keys')")
    unreadable = sum(found.unreadable.values())
    if unreadable:
        columns = ", ".join(sorted(found.unreadable))
        result.warnings.append(
            f"{unreadable} value(s) in {where} ({columns}) are sealed under a key that is not in "
            "ENCRYPTION_KEYS and cannot be read: put that key back after the first (see README "
            "'Rotating keys')")
    await _same_index_key(db, keyring, record=record)
    return result


async def record_index_key(db: Database, keyring: Keyring) -> bool:
    """INDEX_KEY was changed on purpose: remember the new one (`python -m bot rotate-keys`).
    True if one was recorded before and it differed."""
    expected = keyring.blind_index(*_INDEX_CHECK)
    stored = await _fact(db, "index_check")
    if stored is not None and hmac.compare_digest(stored, expected):
        return False
    await _set(db, "index_check", expected)
    return stored is not None


async def _same_index_key(db: Database, keyring: Keyring, *, record: bool) -> None:
    expected = keyring.blind_index(*_INDEX_CHECK)
    stored = await _fact(db, "index_check")
    if stored is None:
        if record:
            await _set(db, "index_check", expected)
    elif not hmac.compare_digest(stored, expected):
        raise StoredDataError(
            f"INDEX_KEY is not the one {db.where} was used with: was it replaced? "
            "Put the previous one back; to change it on purpose, see README 'Rotating keys' "
            "(`python -m bot rotate-keys` then records the new one)")


async def _same_database(db: Database, *, record: bool) -> str | None:
    """The database's id (made at its first start); for a SQLite file, checked against the id
    file beside it (written there when missing)."""
    stored = await _fact(db, "database_id")
    path = db.local_file
    marker = id_file(path) if path is not None else None
    on_disk = (marker.read_text(encoding="ascii").strip()
               if marker is not None and marker.exists() else None)
    if on_disk is not None and (stored is None or not hmac.compare_digest(on_disk, stored)):
        assert marker is not None
        raise StoredDataError(
            f"{db.where} is not the database this folder held (its id does not match "
            f"{marker.name}): was it replaced? Put the right one back; to use this one anyway, "
            f"delete {marker.name}")
    if stored is None:
        if not record:
            return None
        stored = secrets.token_hex(16)
        await _set(db, "database_id", stored)
    if path is not None and on_disk is None and record:
        write_id_file(path, stored)
    return stored


def write_id_file(database_path: Path, database_id: str) -> None:
    """`<database>.id`, 0600, replaced atomically."""
    marker = id_file(database_path)
    marker.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = marker.with_name(f"{marker.name}.tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        os.write(fd, f"{database_id}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    temporary.replace(marker)


async def _fact(db: Database, name: str) -> str | None:
    """A row of the identity table; None if it is missing (or the table is, before 0015)."""
    try:
        row = await db.fetch_one("SELECT value FROM identity WHERE name = ?", (name,))
    except SchemaError:  # no such table: a database `check` did not migrate
        return None
    return str(row["value"]) if row is not None else None


async def _set(db: Database, name: str, value: str) -> None:
    await db.write("INSERT INTO identity (name, value) VALUES (?, ?) ON CONFLICT (name) "
                   "DO UPDATE SET value = excluded.value", (name, value))
