"""`python -m bot backup [DEST]` and `python -m bot restore FILE` (bot/__main__.py hands them
here): the operator's side of bot/backups/. What each does is in its --help; exit statuses
are those of `python -m bot` (0 done, 2 a setting or a refusal, 3 the bot is running), and
130 for a backup stopped with Ctrl-C (its partial file deleted)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

from bot import runner
from bot.backups import copy, files
from bot.backups.files import BackupError, PartlyDoneError
from bot.backups.restore import restore
from bot.platform.settings import ConfigError, Settings, load_environment, load_settings
from storage import upgrades
from storage.errors import DatabaseUnusableError
from storage.sqlite import unusable

EXIT_OK = 0
EXIT_CONFIG = 2  # as bot/__main__.py's
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports it (and as `setup` exits)
EXIT_ANOTHER_INSTANCE = runner.EXIT_ANOTHER_INSTANCE
KEYS_APART = ("It holds sealed values only: without the keys (ENCRYPTION_KEYS, INDEX_KEY) "
              "nothing in it can be read. Keep .env (or the keys) apart from the backups, "
              "somewhere at least as safe as the server.")
SOME_KEYS_MISSING = ("It holds sealed values only: what the warning above names needs a key "
                     "that is not in ENCRYPTION_KEYS. Keep every key it needs (and .env) apart "
                     "from the backups, somewhere at least as safe as the server.")

BACKUP_HELP = """\
Write a consistent copy of the database while the bot runs, then check it: SQLite's
integrity_check on the copy and the current ENCRYPTION_KEYS and INDEX_KEY opening what it
holds (PostgreSQL: pg_dump --format=custom; pg_restore must read it, and the keys are checked
against the database it was taken from). Refused when there is no database at DATABASE_PATH
(run it with the bot's own settings), or too little room for it. The file is private (0600)
and never replaces an existing one; it holds no key."""

RESTORE_HELP = """\
Put a backup in place of the database, with the bot stopped (refused, status 3, while it
runs). The backup is checked first (integrity, a schema this version knows, the current keys
open it); on SQLite the database it replaces is kept beside it as
<database>.replaced-<time>, and it runs as the owner of DATABASE_PATH's folder only (the bot's
user); on PostgreSQL it is restored only into an empty DATABASE_URL."""


def _say(text: str, *, error: bool = False) -> None:
    print(text, file=sys.stderr if error else sys.stdout, flush=True)


def _settings() -> Settings | None:
    try:
        return load_settings(load_environment())
    except ConfigError as exc:
        _say(exc.explained("The configuration has problems:"), error=True)
        return None


def main(command: str, argv: list[str]) -> int:
    """`backup` or `restore` with its arguments; the exit status."""
    os.umask(0o077)  # every file made here is private
    if command == "backup":
        parser = argparse.ArgumentParser(prog="python -m bot backup", description=BACKUP_HELP)
        parser.add_argument("dest", nargs="?", metavar="DEST",
                            help="a new file, or a folder to write "
                                 "peer_support-<UTC time>.db (.dump on PostgreSQL) into: one "
                                 "that exists, or one ending in / (made 0700); default: "
                                 "BACKUP_DIR")
        args = parser.parse_args(argv)
        return backup(args.dest)
    parser = argparse.ArgumentParser(prog="python -m bot restore", description=RESTORE_HELP)
    parser.add_argument("file", type=Path, metavar="FILE", help="the backup to restore")
    args = parser.parse_args(argv)
    return restore_backup(args.file)


def backup(dest: str | None) -> int:
    """`python -m bot backup [DEST]`: DEST as typed (a trailing "/" says it is a folder)."""
    settings = _settings()
    if settings is None:
        return EXIT_CONFIG
    refused = copy.missing(settings)  # before BACKUP_DIR or DEST is made
    if refused is not None:
        _say(f"No backup was taken: {refused}", error=True)
        return EXIT_CONFIG
    where = Path(dest) if dest is not None else settings.backup_dir
    if where is None:
        _say("No backup was taken: give where to write it (python -m bot backup DEST, a file "
             "or a folder), or set BACKUP_DIR.", error=True)
        return EXIT_CONFIG
    folder = dest is None or dest.endswith(("/", os.sep))
    try:
        target = files.destination(where, copy.suffix(settings), time.time(), folder=folder)
        taken = asyncio.run(copy.take(settings, target))
    except KeyboardInterrupt:  # the copy stopped at once, and its partial file is deleted
        _say("\nStopped: no backup was taken (nothing of it is left).", error=True)
        return EXIT_INTERRUPTED
    except (BackupError, DatabaseUnusableError) as exc:
        _say(f"No backup was taken: {exc}", error=True)
        return EXIT_CONFIG
    except OSError as exc:  # BACKUP_DIR or DEST/ could not be made
        _say(f"No backup was taken: {exc.filename} ({exc.strerror})", error=True)
        return EXIT_CONFIG
    _say(f"Backup written: {taken.path} ({files.size_text(taken.size)}, {taken.size} bytes)")
    _say(f"  checked: {taken.checked}")
    for warning in taken.warnings:
        _say(f"Warning: {warning}.")
    _say(KEYS_APART if not taken.warnings else SOME_KEYS_MISSING)
    return EXIT_OK


def restore_backup(backup_file: Path) -> int:
    settings = _settings()
    if settings is None:
        return EXIT_CONFIG
    try:
        done = restore(settings, backup_file, time.time())
    except runner.AnotherInstanceError as exc:
        _say(f"Nothing was restored: {exc}", error=True)
        return EXIT_ANOTHER_INSTANCE
    except PartlyDoneError as exc:
        _say(f"The restore failed half-way: {exc}", error=True)
        return EXIT_CONFIG
    except (BackupError, DatabaseUnusableError) as exc:
        _say(f"Nothing was restored: {exc}", error=True)
        return EXIT_CONFIG
    except OSError as exc:  # the lock, or the folder of DATABASE_PATH
        _say(f"Nothing was restored: {unusable(settings.database_path, exc)}", error=True)
        return EXIT_CONFIG
    _say(f"Restored {backup_file} into {done.into}.")
    if done.new:
        _say(f"  There was no database at {done.into}: the restored one is a new file there. "
             "If the bot runs with another DATABASE_PATH (e.g. its systemd unit's), it is not "
             "the one it uses (see README 'Commands by hand').")
    _say(f"  checked first: {done.checked}")
    if done.pending:
        _say(f"  {upgrades.describe(done.pending)}")
    for kept in done.kept:
        _say(f"  the file it replaced is kept as {kept}")
    for warning in done.warnings:
        _say(f"Warning: {warning}.")
    if done.kept:
        _say("Delete the replaced files once you trust the restored database (they hold what "
             "it held, sealed).")
    _say("What happened after the backup was taken is not in it. Run `python -m bot check` "
         "with the same settings as this command (as the bot's user, with its unit's "
         "environment: README 'Commands by hand'), then start the bot.")
    return EXIT_OK
