"""Putting a backup in place of the database, with the bot stopped.

SQLite: under the bot's own single-instance lock (bot/runner.py: a running bot holds it, so
restore refuses), the backup is copied into a new private file beside DATABASE_PATH and
checked there (integrity_check, a schema this version knows, the keys open it) before
anything else is touched. Then the database it replaces is checkpointed and moved aside whole
(`<database>.replaced-<time>`, with its -wal, -shm and .id if there are any: a -wal left
beside the restored file would be read into it), the checked copy is renamed into place, and
`<database>.id` is written for it, so the next start accepts it as this folder's database.

PostgreSQL: only into an empty database (loading a dump over tables that exist would mix two
databases, and `pg_restore --clean` drops them first, which is a decision for a person):
under the instance lock the database must hold no table; the backup is loaded in one
transaction; then the keys are checked on what was loaded, and if they do not open it, it is
dropped again (the database was empty before).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from bot import runner
from bot.backups import files
from bot.backups.copy import keyring
from bot.backups.files import BackupError
from bot.backups.keys import verify_file
from bot.platform.settings import Settings
from storage import integrity, upgrades
from storage.backend import Database, open_database
from storage.errors import StorageError
from storage.sqlite import backup as sqlite_backup


@dataclass(frozen=True)
class Restored:
    """What was done, for people: into which database, what was checked, what the next start
    applies, and the files that were set aside (SQLite)."""

    into: str
    checked: str
    pending: list[str]
    kept: list[Path] = field(default_factory=list)


def restore(settings: Settings, backup: Path, now: float) -> Restored:
    """Restore `backup` into the configured database. Raises BackupError (a refusal or a
    failure: nothing was changed), runner.AnotherInstanceError (the bot runs), or
    DatabaseUnusableError (a copy or a tool failed, or PostgreSQL cannot be reached)."""
    if not backup.is_file():
        raise BackupError(f"{backup} is not a file: give the backup file to restore")
    if settings.database_url:
        return asyncio.run(_into_postgres(settings, settings.database_url, backup))
    path = settings.database_path
    if path.exists() and backup.samefile(path):
        raise BackupError(f"{backup} is DATABASE_PATH itself: give a backup file")
    existed = path.exists()  # the lock below makes an empty file where there is none
    with runner.single_instance(path):
        return asyncio.run(_into_sqlite(settings, path, backup, existed=existed, now=now))


def newer_message(backup: Path, version: int, newest: int) -> str:
    return (f"{backup} comes from a newer version of the bot (schema version {version}; this "
            f"version knows up to {newest}): nothing was changed. Upgrade the bot first (see "
            "README 'Upgrading to a new version'), or restore a backup this version made")


async def _into_sqlite(settings: Settings, path: Path, backup: Path, *, existed: bool,
                       now: float) -> Restored:
    incoming = path.with_name(f"{path.name}.restoring-{files.stamp(now)}")
    try:
        files.new_private_file(incoming)
    except OSError as exc:
        raise BackupError(f"{incoming} cannot be written ({exc.strerror}): nothing was "
                          "changed") from None
    try:
        copied = await asyncio.to_thread(sqlite_backup.copy, backup, incoming, live=False)
        if copied.verdict != "ok":
            raise BackupError(f"{backup} is damaged (SQLite's integrity_check: "
                              f"{copied.verdict[:200]}): nothing was changed; restore another "
                              "backup")
        newest = upgrades.shipped(server=False)[-1][0]
        if copied.version > newest:
            raise BackupError(newer_message(backup, copied.version, newest))
        await verify_file(incoming, keyring(settings), f"the backup {backup}")
        kept = _set_aside(path, existed=existed, now=now)
        incoming.rename(path)
        files.fsync(path.parent)
    finally:
        files.discard(incoming)  # a copy that failed its checks (after the rename: nothing)
    if copied.database_id is not None:
        integrity.write_id_file(path, copied.database_id)
    return Restored(f"DATABASE_PATH={path}", _checked(copied.version, newest),
                    upgrades.pending(copied.version, server=False), kept)


def _checked(version: int, newest: int) -> str:
    older = "" if version == newest else f", older than this version's {newest}"
    return (f"SQLite's integrity_check says ok; schema version {version}{older}; "
            "ENCRYPTION_KEYS and INDEX_KEY open what it holds")


def _set_aside(path: Path, *, existed: bool, now: float) -> list[Path]:
    """Move the database being replaced (its -wal, -shm and .id too) to
    `<database>.replaced-<time>`; the files moved, where they are now. A -wal and -shm without
    their database (it vanished) are moved too: they must not meet the restored file."""
    aside = path.with_name(f"{path.name}.replaced-{files.stamp(now)}")
    if existed:
        sqlite_backup.checkpoint(path)
    moves = [(Path(f"{path}{end}"), Path(f"{aside}{end}")) for end in ("-wal", "-shm")]
    moves.append((integrity.id_file(path), integrity.id_file(aside)))
    if existed:
        moves.insert(0, (path, aside))
    moves = [(source, target) for source, target in moves if source.exists()]
    for _, target in moves:
        if target.exists():
            raise BackupError(f"{target} exists already: nothing was changed; try again in "
                              "a second")
    for source, target in moves:
        source.rename(target)
    return [target for _, target in moves]


async def _into_postgres(settings: Settings, url: str, backup: Path) -> Restored:
    from storage.postgres import tools  # noqa: PLC0415 (psycopg: only if used)

    count = await asyncio.to_thread(tools.entries, backup)
    version = await asyncio.to_thread(tools.schema_version, backup)
    newest = upgrades.shipped(server=True)[-1][0]
    if version > newest:
        raise BackupError(newer_message(backup, version, newest))
    async with runner.instance_lock(settings):
        db = await open_database(settings.database_path, url=url, migrate=False)
        try:
            where = db.where
            tables = await _tables(db)
        finally:
            await db.close()
        if tables:
            raise BackupError(_not_empty(where, tools.names(url), tables, backup))
        await asyncio.to_thread(tools.load, url, backup)
        db = await open_database(settings.database_path, url=url, migrate=False)
        try:
            await integrity.verify(db, keyring(settings), record=False)
        except (integrity.StoredDataError, StorageError) as exc:
            await _drop(db, await _tables(db))
            raise BackupError(f"{exc}. The backup was loaded to check it, and has been "
                              f"removed again: {where} is empty, as it was") from None
        finally:
            await db.close()
    return Restored(where, f"pg_restore reads it ({count} entries) and loaded it in one "
                           f"transaction; schema version {version}; ENCRYPTION_KEYS and "
                           "INDEX_KEY open what was loaded",
                    upgrades.pending(version, server=True))


async def _tables(db: Database) -> list[str]:
    rows = await db.fetch_all("SELECT tablename FROM pg_tables "
                              "WHERE schemaname = current_schema() ORDER BY tablename")
    return [str(row[0]) for row in rows]


async def _drop(db: Database, tables: list[str]) -> None:
    """Drop what a restore loaded into a database that was empty before it."""
    if tables:
        names = ", ".join(f'"{table}"' for table in tables)
        await db.write(f"DROP TABLE IF EXISTS {names} CASCADE")


def _not_empty(where: str, names: tuple[str, str], tables: list[str], backup: Path) -> str:
    name, owner = names
    shown = ", ".join(tables[:3]) + (f" and {len(tables) - 3} more" if len(tables) > 3 else "")
    return (f"{where} is not empty ({len(tables)} tables: {shown}): restore loads a backup "
            "into an empty database only, and never deletes what a database holds. Nothing "
            "was changed. To replace it by the backup:\n"
            "  1. Stop every instance of the bot (systemctl stop peer-support-bot).\n"
            "  2. Keep what it holds now: python -m bot backup /var/backups/peer-support/\n"
            "  3. Connected to another database of the server (e.g. postgres) as the "
            "database's owner or a superuser:\n"
            f'       DROP DATABASE "{name}";\n'
            f'       CREATE DATABASE "{name}" OWNER "{owner}";\n'
            "     (or create a new, empty database and point DATABASE_URL at it).\n"
            f"  4. python -m bot restore {backup}")

