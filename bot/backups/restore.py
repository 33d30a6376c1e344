"""Putting a backup in place of the database, with the bot stopped.

SQLite: run as the user who owns DATABASE_PATH's folder (the bot's user: files made by
another, private, could not be opened by the bot), under the bot's own single-instance lock
(bot/runner.py: a running bot holds it, so restore refuses), the backup is copied into a new
private file beside DATABASE_PATH and checked there (integrity_check, a schema this version
knows, the keys open it) before anything else is touched. Then the database it replaces is
checkpointed and moved aside whole (`<database>.replaced-<time>`, with its -wal, -shm and .id
if there are any: a -wal left beside the restored file would be read into it; a move that
fails puts back those made), the checked copy is renamed into place, and `<database>.id` is
written for it, so the next start accepts it as this folder's database. What fails after the
copy is in place (that id file) is a warning, not "nothing was restored". Where there was no
database (a new machine, a drill), the restored one is a new file, and the command says so.

PostgreSQL: only into an empty database (loading a dump over tables that exist would mix two
databases, and `pg_restore --clean` drops them first, which is a decision for a person).
While it runs it holds the instance lock (storage/postgres/instance.py), whatever the mode, so
that a bot polling for updates refuses or stands by; instances in webhook mode take no lock,
so an instance that said it was alive within storage/instances.py's DEAD_AFTER_SECONDS is a
refusal too. The database must hold no table; the backup is loaded in one transaction; then
the keys are checked on what was loaded, and if that fails in any way (or is interrupted),
what was loaded is dropped again (the database was empty before), and the message says what
was done.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import runner
from bot.backups import files
from bot.backups.copy import keyring
from bot.backups.files import BackupError, PartlyDoneError
from bot.backups.keys import KeysChecked, check_open, verify_file
from bot.platform.settings import Settings
from storage import integrity, upgrades
from storage.backend import Database, open_database
from storage.errors import DatabaseUnusableError, StorageError
from storage.instances import DEAD_AFTER_SECONDS, alive_since
from storage.sqlite import backup as sqlite_backup
from storage.sqlite.files import fsync


@dataclass(frozen=True)
class Restored:
    """What was done, for people: into which database, what was checked, what the next start
    applies, the files that were set aside (SQLite), warnings, and whether there was no
    database there before (SQLite: the restored one is a new file)."""

    into: str
    checked: str
    pending: list[str]
    kept: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new: bool = False


def restore(settings: Settings, backup: Path, now: float) -> Restored:
    """Restore `backup` into the configured database. Raises BackupError (a refusal or a
    failure: nothing was changed), PartlyDoneError (a failure after something was changed that
    could not be undone: it says what), runner.AnotherInstanceError (the bot runs), or
    DatabaseUnusableError (a copy or a tool failed, or PostgreSQL cannot be reached)."""
    if not backup.is_file():
        raise BackupError(f"{backup} is not a file: give the backup file to restore")
    if settings.database_url:
        return asyncio.run(_into_postgres(settings, settings.database_url, backup))
    path = settings.database_path
    if path.exists() and backup.samefile(path):
        raise BackupError(f"{backup} is DATABASE_PATH itself: give a backup file")
    _as_the_owner(path.parent)
    existed = path.exists()  # the lock below makes an empty file where there is none
    with runner.single_instance(path):
        return asyncio.run(_into_sqlite(settings, path, backup, existed=existed, now=now))


def _user(uid: int) -> str:
    """A user's name, or `uid 1234` for a uid with none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _sudo(uid: int) -> str:
    """How to run a command as `uid`: `sudo -u peerbot …` (`sudo -u '#1234' …`)."""
    name = _user(uid)
    return f"sudo -u {name} …" if name != f"uid {uid}" else f"sudo -u '#{uid}' …"


def _as_the_owner(folder: Path) -> None:
    """Refuse to run as another user than the owner of DATABASE_PATH's folder: the files made
    here are private (0600) and would be that other user's, which the bot could not open. A
    folder that does not exist yet is made by this user: refused as root (it would be root's)."""
    me = os.geteuid()
    try:
        owner = folder.stat().st_uid
    except FileNotFoundError:
        if me == 0:
            raise BackupError(
                f"{folder} (the folder of DATABASE_PATH) does not exist, and made by root it "
                "and the restored database would be root's, which the bot cannot open. "
                "Nothing was changed. Make it for the bot's user first (e.g. sudo install -d "
                f"-m 700 -o peerbot -g peerbot {folder}), then run restore as that user (see "
                "README 'Commands by hand')") from None
        return
    except OSError:  # cannot be looked at: the lock, made next, says what is wrong
        return
    if owner != me:
        raise BackupError(
            f"{folder} (the folder of DATABASE_PATH) belongs to {_user(owner)}, and this runs "
            f"as {_user(me)}: the restored files would be {_user(me)}'s and private, and a bot "
            f"running as {_user(owner)} could not open them. Nothing was changed. Run it as "
            f"{_user(owner)}, e.g. {_sudo(owner)} (see README 'Commands by hand')")


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
        keys = await verify_file(incoming, keyring(settings), f"the backup {backup}")
        moves = _set_aside(path, existed=existed, now=now)
        try:
            incoming.rename(path)
        except OSError as exc:
            raise _put_back(moves, f"{backup} could not be put in place at {path} "
                                   f"({exc.strerror})") from None
    finally:
        files.discard(incoming)  # a copy that failed its checks (after the rename: nothing)
    # The restored database is in place: what fails now is said, and is not "nothing".
    warnings = list(keys.warnings)
    try:
        fsync(path.parent)
    except OSError as exc:
        warnings.append(f"{path.parent} could not be flushed to disk ({exc.strerror}): a power "
                        "cut now could undo the restore")
    if copied.database_id is not None:
        try:
            integrity.write_id_file(path, copied.database_id)
        except OSError as exc:
            warnings.append(f"the restored database is in place, but "
                            f"{integrity.id_file(path)} could not be written "
                            f"({exc.strerror}): the next start writes it")
    return Restored(f"DATABASE_PATH={path}", _checked(copied.version, newest, keys),
                    upgrades.pending(copied.version, server=False),
                    [target for _, target in moves], warnings, new=not existed)


def _checked(version: int, newest: int, keys: KeysChecked) -> str:
    older = "" if version == newest else f", older than this version's {newest}"
    return (f"SQLite's integrity_check says ok; schema version {version}{older}; "
            f"{keys.describe()}")


def _set_aside(path: Path, *, existed: bool, now: float) -> list[tuple[Path, Path]]:
    """Move the database being replaced (its -wal, -shm and .id too) to
    `<database>.replaced-<time>`; the moves made (from, to). A -wal and -shm without their
    database (it vanished) are moved too: they must not meet the restored file. A move that
    fails puts back those made before it (BackupError: nothing was changed)."""
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
    done: list[tuple[Path, Path]] = []
    for source, target in moves:
        try:
            source.rename(target)
        except OSError as exc:
            raise _put_back(done, f"{source} could not be moved aside to {target} "
                                  f"({exc.strerror})") from None
        done.append((source, target))
    return done


def _put_back(moves: list[tuple[Path, Path]], reason: str) -> BackupError:
    """Undo the moves made, newest first; the error to raise, saying what is where now."""
    stuck = []
    for source, target in reversed(moves):
        try:
            target.rename(source)
        except OSError:
            stuck.append(f"{source.name} is now {target}")
    if not stuck:
        return BackupError(f"{reason}: nothing was changed (the files moved aside were put "
                           "back)")
    return PartlyDoneError(f"{reason}, and not every file moved aside could be put back: "
                           f"{'; '.join(stuck)}. Move them back by hand before the bot starts")


async def _into_postgres(settings: Settings, url: str, backup: Path) -> Restored:
    from storage.postgres import tools  # noqa: PLC0415 (psycopg: only if used)
    from storage.postgres.instance import InstanceLock  # noqa: PLC0415

    count = await asyncio.to_thread(tools.entries, backup)
    version = await asyncio.to_thread(tools.schema_version, backup)
    newest = upgrades.shipped(server=True)[-1][0]
    if version > newest:
        raise BackupError(newer_message(backup, version, newest))
    lock = InstanceLock(url)  # in webhook mode too: a bot polling must not start meanwhile
    holder = await lock.take()
    try:
        if holder is not None:
            raise runner.AnotherInstanceError(
                f"another Peer Support Bot is already running with {lock.where}"
                f"{holder.describe()}; stop it first (one whose machine went down lets go "
                "within about a minute)")
        db = await open_database(settings.database_path, url=url, migrate=False)
        try:
            where = db.where
            tables = await _tables(db)
            alive = (await tools.instances_alive(db, alive_since(int(time.time())))
                     if "instances" in tables else 0)
        finally:
            await db.close()
        if alive:
            raise runner.AnotherInstanceError(
                f"another Peer Support Bot is already running with {where} ({alive} "
                f"instance(s) in webhook mode said so within the last {DEAD_AFTER_SECONDS} "
                "s); stop every instance first")
        if tables:
            raise BackupError(_not_empty(where, tools.names(url), tables, backup))
        loading = asyncio.ensure_future(asyncio.to_thread(tools.load, url, backup))
        try:
            await asyncio.shield(loading)
            db = await open_database(settings.database_path, url=url, migrate=False)
            try:
                keys = await check_open(db, keyring(settings))
            finally:
                await db.close()
        except BaseException as exc:  # whatever it is (Ctrl-C too): nothing unchecked stays
            if not loading.done():  # interrupted while the tool runs: it ends first
                with contextlib.suppress(BaseException):
                    await loading
            raise await _take_back(settings, url, where, exc) from None
    finally:
        await lock.release()
    return Restored(where, f"pg_restore reads it ({count} entries) and loaded it in one "
                           f"transaction; schema version {version}; "
                           f"{keys.describe('what was loaded')}",
                    upgrades.pending(version, server=True), warnings=list(keys.warnings))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, BackupError | DatabaseUnusableError | integrity.StoredDataError |
                  StorageError):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt | asyncio.CancelledError):
        return "the restore was interrupted"
    return f"the restore failed ({type(exc).__name__})"


async def _take_back(settings: Settings, url: str, where: str,
                     exc: BaseException) -> BackupError:
    """After a restore into the empty database `where` failed once loading began: drop what
    it loaded; the error to raise, saying what was done."""
    reason = _reason(exc)
    try:
        db = await open_database(settings.database_path, url=url, migrate=False)
        try:
            tables = await _tables(db)
            await _drop(db, tables)
        finally:
            await db.close()
    except (StorageError, DatabaseUnusableError) as undo:
        return PartlyDoneError(
            f"{reason}. The backup may have been loaded into {where} (it was empty before), "
            f"and what was loaded could not be removed again ({undo}): do not start the bot "
            "on it; empty it (DROP DATABASE, then CREATE DATABASE … OWNER …, as its owner) "
            "before restoring again")
    if not tables:
        return BackupError(f"{reason}. Nothing of the backup was kept: {where} is empty, as "
                           "it was")
    return BackupError(f"{reason}. The backup was loaded to check it, and has been removed "
                       f"again ({len(tables)} tables dropped): {where} is empty, as it was")


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

