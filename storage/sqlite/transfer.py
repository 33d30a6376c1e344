"""Copying a SQLite database into an empty PostgreSQL one (`python -m bot migrate-to-postgres`).

The SQLite file is only read: opened read-only (SQLite's `mode=ro`) inside one read
transaction, so the copy is one consistent moment of it, and the file is never written (a
reader may leave an empty `-wal` and `-shm` beside it, as any SQLite reader does). Both must be
at the same schema version, this version's newest: the file is not migrated here (a start of
the bot on SQLite does that), and PostgreSQL is migrated when it is opened.

Every table is copied in an order where the rows a row refers to come first, rows in their
order of insertion, every value as it is: sealed values stay sealed, so the same
ENCRYPTION_KEYS and INDEX_KEY open them on PostgreSQL. The copy is one PostgreSQL transaction
(`Database.run`): the rows of each table are counted on both sides inside it, and a difference
rolls all of it back. Then the identity columns' next values are set past the copied ids, and
the rows are counted once more, as committed.

Each refusal is a `TransferError`: one line saying what to do, and nothing copied.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from storage.backend import Database, open_database
from storage.session import Session, Write
from storage.sqlite.database import migrations as sqlite_migrations

BATCH = 500  # rows read from SQLite and sent to PostgreSQL at once
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_BOOKKEEPING = frozenset({"schema_version"})  # PostgreSQL's record of its migrations


class TransferError(Exception):
    """The copy cannot be made (or was not kept): one line naming what to do."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    order: str  # ORDER BY: the order rows were inserted in


@dataclass(frozen=True)
class Copied:
    table: str
    sqlite: int  # rows in the SQLite file
    postgres: int  # rows in PostgreSQL after the commit


@dataclass(frozen=True)
class Source:
    version: int
    tables: tuple[Table, ...]  # in an order where referenced tables come first


def read_only(path: Path) -> sqlite3.Connection:
    """The SQLite file, opened so that nothing can be written to it."""
    conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True,
                           isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn


def describe(path: Path) -> Source:
    """The SQLite file's schema version and tables (not its rows). Raises TransferError
    when it is not a usable, current SQLite database."""
    where = f"DATABASE_PATH={path}"
    if not path.is_file():
        raise TransferError(f"{where} does not exist: there is nothing to copy (set "
                            "DATABASE_PATH to the bot's SQLite database file)")
    try:
        conn = read_only(path)
        try:
            verdict = str(conn.execute("PRAGMA quick_check(1)").fetchone()[0])
            if verdict != "ok":
                raise TransferError(f"{where} is damaged (SQLite's quick_check: "
                                    f"{verdict[:120]}): restore the latest backup first")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = _tables(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise TransferError(f"{where} cannot be read as a SQLite database "
                            f"({type(exc).__name__}: {exc})") from None
    newest = sqlite_migrations()[-1][0]
    if version < newest:
        raise TransferError(
            f"{where} is at schema version {version}, older than this version's {newest}: "
            "start the bot once with this version on SQLite (it migrates the file), stop it, "
            "then run this again")
    if version > newest:
        raise TransferError(
            f"{where} holds a schema newer than this version of the bot knows (migration "
            f"{version}; this version knows up to {newest}): use the version that wrote it")
    return Source(version, tables)


def _tables(conn: sqlite3.Connection) -> tuple[Table, ...]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name")]
    found: dict[str, Table] = {}
    refers: dict[str, set[str]] = {}
    for name in names:
        columns = tuple(row[1] for row in conn.execute(f"PRAGMA table_info({name})"))
        for identifier in (name, *columns):
            if not _IDENTIFIER.match(identifier):
                raise TransferError(f"a table or column is named {identifier!r}, which this "
                                    "version never makes: is DATABASE_PATH the bot's database?")
        try:
            conn.execute(f"SELECT rowid FROM {name} LIMIT 0")  # noqa: S608 (a checked name)
            order = "rowid"
        except sqlite3.OperationalError:  # WITHOUT ROWID: its key is its order
            keys = sorted((row[5], row[1]) for row in conn.execute(f"PRAGMA table_info({name})")
                          if row[5])
            order = ", ".join(column for _, column in keys) or columns[0]
        found[name] = Table(name, columns, order)
        refers[name] = {row[2] for row in conn.execute(f"PRAGMA foreign_key_list({name})")
                        if row[2] != name}
    ordered: list[Table] = []
    placed: set[str] = set()
    while len(ordered) < len(found):
        ready = [name for name in names if name not in placed and refers[name] <= placed]
        if not ready:  # a cycle (none is made by this version): keep the remaining order
            ready = [name for name in names if name not in placed]
        for name in ready:
            ordered.append(found[name])
            placed.add(name)
    return tuple(ordered)


async def target_problems(db: Database, source: Source) -> str | None:
    """Why PostgreSQL cannot take the copy (another schema, rows in it already), or None."""
    version = await db.schema_version()
    if version != source.version:
        return (f"{db.where} is at schema version {version}, the SQLite file at "
                f"{source.version}: both must be this version's newest")
    columns: dict[str, set[str]] = {}
    for row in await db.fetch_all(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
            "AND t.table_name = c.table_name WHERE c.table_schema = current_schema() "
            "AND t.table_type = 'BASE TABLE'"):
        columns.setdefault(str(row[0]), set()).add(str(row[1]))
    for table in source.tables:
        missing = set(table.columns) - columns.get(table.name, set())
        if missing:
            return (f"{db.where} lacks {table.name}.{sorted(missing)[0]} although both are at "
                    f"schema version {version}: is it the bot's database?")
    filled = []
    for name in sorted(set(columns) - _BOOKKEEPING):
        if not _IDENTIFIER.match(name):
            continue
        count = _count(await db.fetch_one(f'SELECT count(*) FROM "{name}"'))  # noqa: S608
        if count:
            filled.append(f"{name}: {count}")
    if filled:
        return (f"{db.where} is not empty ({', '.join(filled)} row(s)): migrate-to-postgres "
                "copies into an empty database only; point DATABASE_URL at a new database")
    return None


def copying(path: Path, source: Source,
            progress: Callable[[str, int], None] | None = None) -> Write[dict[str, int]]:
    """The copy, as one write: every table's rows, read from SQLite in one read transaction
    and inserted as they are; each table counted on both sides before the commit (a difference
    raises TransferError, and nothing is kept). The rows of each table in SQLite."""
    def copy(session: Session) -> dict[str, int]:
        counts: dict[str, int] = {}
        conn = read_only(path)
        try:
            conn.execute("BEGIN")  # one moment of the file, even if someone writes meanwhile
            for table in source.tables:
                names = ", ".join(f'"{column}"' for column in table.columns)
                insert = (f'INSERT INTO "{table.name}" ({names}) '  # noqa: S608 (checked names)
                          f"VALUES ({', '.join('?' * len(table.columns))})")
                cursor = conn.execute(
                    f"SELECT {names} FROM {table.name} ORDER BY {table.order}")  # noqa: S608
                copied = 0
                while rows := cursor.fetchmany(BATCH):
                    session.executemany(insert, rows)
                    copied += len(rows)
                counted = _count(session.execute(
                    f'SELECT count(*) FROM "{table.name}"').fetchone())  # noqa: S608
                if counted != copied:
                    raise TransferError(
                        f"{table.name}: {copied} row(s) read from SQLite but {counted} in "
                        "PostgreSQL before the commit; nothing was kept")
                counts[table.name] = copied
                if progress is not None:
                    progress(table.name, copied)
            conn.execute("COMMIT")
        finally:
            conn.close()
        return counts
    return copy


def _count(row: Any) -> int:
    return int(row[0]) if row is not None else 0


async def migrate(path: Path, url: str, source: Source,
                  progress: Callable[[str, int], None] | None = None) -> list[Copied]:
    """Copy the SQLite file at `path` (as `describe` found it) into the empty PostgreSQL
    database at `url` (see the top of this module); the rows of each table on both sides.
    Raises TransferError, DatabaseUnusableError when PostgreSQL cannot be used, StorageError
    when it fails during the copy (rolled back)."""
    from storage.postgres import PostgresDatabase  # noqa: PLC0415 (psycopg: only if used)

    db = await open_database(path, url=url)  # migrated to this version's newest
    try:
        assert isinstance(db, PostgresDatabase)
        problem = await target_problems(db, source)
        if problem is not None:
            raise TransferError(problem)
        counts = await db.run(copying(path, source, progress))
        await db.reset_identities()
        report = []
        for table in source.tables:
            row = await db.fetch_one(f'SELECT count(*) FROM "{table.name}"')  # noqa: S608
            report.append(Copied(table.name, counts[table.name], _count(row)))
        return report
    finally:
        await db.close()
