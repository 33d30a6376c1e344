"""The command line: `python -m bot` runs the bot; `setup`, `check` and `keys` help set it
up; `migrate-to-postgres` copies a SQLite database into PostgreSQL; `backup` and `restore`
(bot/backups/cli.py), `setup` (bot/setup.py) and `screen` (bot/safety/screen/cli.py) have
options of their own and live in their own modules."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from bot import runner
from bot.backups import nightly
from bot.platform import logs
from bot.platform.settings import (
    ConfigError,
    Settings,
    exposed,
    keys_defined_in,
    load_environment,
    load_settings,
    near_misses,
    new_key,
    url_passwords,
)
from storage import integrity, retention
from storage.backend import Database, open_database
from storage.crypto import Keyring
from storage.digests import DigestRepository
from storage.errors import DatabaseUnusableError, SchemaError, StorageError
from storage.inbox import InboxRepository
from storage.outbox import OutboxRepository
from storage.requests import RequestRepository
from storage.rotation import RotationReport, rotate
from storage.sqlite import transfer, unusable

_log = logging.getLogger("bot")
EXIT_COUNTS = 1  # migrate-to-postgres: the rows counted on both sides differ
EXIT_CONFIG = 2
EXIT_ANOTHER_INSTANCE = runner.EXIT_ANOTHER_INSTANCE


def _settings_or_exit(env: Mapping[str, str] | None = None) -> Settings:
    try:
        return load_settings(load_environment() if env is None else env)
    except ConfigError as exc:
        print(exc.explained("The bot cannot start: the configuration has problems."),
              file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def _misspelled(env: Mapping[str, str]) -> list[str]:
    return [f"{name} is not a setting; did you mean {setting}?"
            for name, setting in near_misses(env)]


def run() -> None:
    env = load_environment()
    settings = _settings_or_exit(env)
    os.umask(0o077)  # every file the bot creates (database, WAL, SHM) is private
    logs.configure(settings.log_level, settings.bot_token, fmt=settings.log_format)
    if settings.database_url:  # never printed anyway; masked should a library quote it
        token = settings.bot_token  # first: the filter that renders a traceback masks all
        redact = logs.RedactSecrets([*url_passwords(settings.database_url), token,
                                     token.split(":", 1)[-1]])
        for handler in logging.getLogger().handlers:
            handler.filters.insert(0, redact)
    _log.info("starting")
    for warning in _misspelled(env):
        _log.warning("%s (it is ignored)", warning)
    open_env = exposed()
    if open_env:
        _log.warning("%s", open_env)
    code = runner.run(settings)
    _log.info("stopped")
    raise SystemExit(code)


def check() -> None:
    env = load_environment()
    settings = _settings_or_exit(env)
    where, database, warnings = _check_database(settings)
    print("Configuration OK.")
    print(f"  database: {where} ({database})")
    print(f"  encryption keys: {len(settings.encryption_keys)} (the first one encrypts)")
    print(f"  coordinators: {len(settings.coordinator_ids)}")
    print(f"  default language: {settings.default_language}")
    print(f"  Bot API: {'custom server' if settings.telegram_api_base_url else 'Telegram'}")
    resources = settings.resources
    print(f"  resources: {settings.resources_file} ({len(resources.crisis_lines)} crisis lines, "
          f"{len(resources.directory)} directory entries, emergency number "
          f"{resources.emergency_number})")
    print(f"  safety question: {'on' if settings.safety_question else 'off'}")
    print(f"  snippets: {settings.snippets_file} ({len(settings.snippets.entries)} saved replies)")
    print(f"  {nightly.describe(settings)}")
    _check_screen()
    for warning in _misspelled(env):
        print(f"Warning: {warning} It is ignored.")
    for warning in warnings:
        print(f"Warning: {warning}.")
    open_env = exposed()
    if open_env:
        print(f"Warning: {open_env}.")
    if not settings.coordinator_ids:
        print("Warning: COORDINATOR_IDS is empty, so nobody is alerted when no peer is on call, "
              "a request waits unclaimed, or the crisis screen flags a message.")
    examples = sum(entry.example for entry in resources.directory)
    if examples:
        print(f"Warning: {examples} directory entries are the shipped examples; replace them "
              "with clinicians your team has vetted (see RESOURCES_FILE in the README).")


def _check_database(settings: Settings) -> tuple[str, str, list[str]]:
    """What start-up will find in the database, without changing it: a file that vanished,
    a damaged one, a server that cannot be reached or refuses this user, a schema newer than
    this version knows, keys that do not open its values (one line and status 2); what to
    call the database, a description and the warnings otherwise."""
    path = settings.database_path
    keyring = Keyring(settings.encryption_keys, settings.index_key)

    async def verify() -> tuple[str, str, list[str]]:
        db = await open_database(path, url=settings.database_url, migrate=False,
                                 quick_check=True)
        try:
            state = await integrity.schema_state(db)
            if state.version > state.newest:  # PostgreSQL's open refused it already
                raise DatabaseUnusableError(
                    f"{db.where} holds a schema newer than this version of the bot knows "
                    f"(migration {state.version}; this version knows up to {state.newest}): "
                    "upgrade the bot")
            if state.server and state.version == 0:
                return db.where, state.describe(), []  # nothing in it to check
            described = state.describe()
            if state.older:  # named, so that an upgrade says what it will change
                from storage import upgrades  # noqa: PLC0415  (only `check` names them)

                pending = upgrades.pending(state.version, server=state.server)
                described = f"{described}; {upgrades.describe(pending)}"
            try:
                verified = await integrity.verify(db, keyring, record=False)
            except SchemaError:
                if not state.older:
                    raise
                return db.where, f"{described} (then its keys are checked)", []
        except StorageError as exc:  # a server that went away, a table it may not read
            raise DatabaseUnusableError(f"{db.where} cannot be used ({exc})") from None
        finally:
            await db.close()
        return (db.where, f"{described}; the keys open what it holds", verified.warnings)

    try:
        if settings.database_url is None:
            integrity.refuse_a_vanished_database(path)
            if not path.exists():
                return (f"DATABASE_PATH={path}", "not created yet: the first start creates it; "
                        "if the bot has run already, these are not its settings (see README "
                        "'Commands by hand')", [])
        return asyncio.run(verify())
    except (DatabaseUnusableError, integrity.StoredDataError) as exc:
        print(f"The bot cannot start: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def _check_screen() -> None:
    """The crisis screen's phrase files and model load (a broken install says so here)."""
    try:
        from bot.safety.screen import model, rules  # noqa: PLC0415  (parses the phrase files)

        count = len(rules.read_rules(rules.phrase_files()))
        learned = model.shipped()
    except Exception as exc:  # any failure here is the install's; it is named below
        print(f"The crisis screen cannot load: {type(exc).__name__}: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    print(f"  crisis screen: {count} phrase rules, a model of {len(learned.weights)} weights")


def keys(*, force: bool = False) -> None:
    """Fresh secrets, as lines to append to .env. Nothing is stored anywhere. WEBHOOK_SECRET
    is printed too when WEBHOOK_URL is set (only a webhook needs it).

    Refused (status 2, nothing printed) when `.env` here, or the file the output goes to
    (`keys >> .env`), already sets ENCRYPTION_KEYS or INDEX_KEY: appended a second time, the
    new lines would win and nothing stored could be read. `force`: print them anyway."""
    for env_file in _env_files():
        defined = keys_defined_in(env_file)
        if defined and not force:
            print(f"{env_file} already sets {' and '.join(defined)}: new keys appended to it "
                  "would make everything stored unreadable, so none are printed. To change "
                  "keys, follow README 'Rotating keys'; to print new keys anyway, run "
                  "`python -m bot keys --force`.", file=sys.stderr)
            raise SystemExit(EXIT_CONFIG)
        open_env = exposed(env_file)
        if open_env:
            print(f"Warning: {open_env}.", file=sys.stderr)
    print(f"ENCRYPTION_KEYS={new_key()}")
    print(f"INDEX_KEY={new_key()}")
    if load_environment().get("WEBHOOK_URL", "").strip():
        print(f"WEBHOOK_SECRET={secrets.token_urlsafe(32)}")


def _env_files() -> list[Path]:
    """`.env` here, and the file standard output goes to when it is a file (`keys >> x`)."""
    found = [Path(".env")] if Path(".env").is_file() else []
    try:
        if stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode):
            target = Path(f"/proc/self/fd/{sys.stdout.fileno()}").readlink()
            if target.is_file() and not any(target.samefile(f) for f in found):
                found.append(target)
    except (OSError, ValueError):  # no /proc (not Linux), or no real standard output
        pass
    return found


async def _storage(settings: Settings) -> tuple[Database, Keyring]:
    """The database for a command run by hand: none is ever created (a missing DATABASE_PATH
    means settings other than the bot's, e.g. not its systemd unit's, or a database that
    vanished), and one that cannot be used is one line and status 2."""
    from bot.backups import copy  # noqa: PLC0415 (only the commands that need a database)

    refused = copy.missing(settings)
    if refused is not None:
        print(f"Cannot open the database: {refused}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG)
    try:
        db = await open_database(settings.database_path, url=settings.database_url)
    except (DatabaseUnusableError, integrity.StoredDataError) as exc:
        print(f"Cannot open the database: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    return db, Keyring(settings.encryption_keys, settings.index_key)


def purge() -> None:
    """Retention by hand: what the hourly job does."""
    settings = _settings_or_exit()
    os.umask(0o077)

    async def work() -> int:
        db, keyring = await _storage(settings)
        try:
            return await retention.purge(
                db, RequestRepository(db, keyring), InboxRepository(db, keyring),
                OutboxRepository(db, keyring), DigestRepository(db), now=int(time.time()),
                retention_days=settings.retention_days)
        finally:
            await db.close()

    count = asyncio.run(work())
    print(f"Purged the content of {count} conversation(s) closed more than "
          f"{settings.retention_days:g} days ago.")


def rotate_keys() -> None:
    """Re-seal everything under the first key of ENCRYPTION_KEYS (the bot may keep running)."""
    settings = _settings_or_exit()
    os.umask(0o077)  # a -wal or -shm made here is private, as the bot's are

    async def work() -> RotationReport:
        db, keyring = await _storage(settings)
        try:
            if await integrity.record_index_key(db, keyring):
                print("INDEX_KEY differs from the one this database was used with: it is "
                      "recorded as its index key now.")
            return await rotate(db, keyring)
        finally:
            await db.checkpoint()
            await db.close()

    report = asyncio.run(work())
    print(f"Re-encrypted {report.resealed} value(s) under key 1 of ENCRYPTION_KEYS.")
    for position in range(1, len(settings.encryption_keys) + 1):
        print(f"  key {position}: {report.by_key.get(position, 0)} value(s) now "
              f"(before: {report.before.get(position, 0)})")
    if report.before.get(0):
        print(f"  under no listed key: {report.before[0]} value(s)")
    for column, count in sorted(report.unreadable.items()):
        print(f"  NOT READABLE with any listed key: {count} value(s) in {column}")
    if report.old_keys_unused:
        print("No value needs an older key now: they can be removed from ENCRYPTION_KEYS.")
    else:
        print("Keep every key until the values above are dealt with.")
        raise SystemExit(1)


def migrate_to_postgres() -> None:
    """Copy the SQLite database at DATABASE_PATH into the empty PostgreSQL database at
    DATABASE_URL (storage/sqlite/transfer.py): the file is only read, the copy is all or nothing,
    and the rows of every table are counted on both sides."""
    settings = _settings_or_exit()
    source, url = settings.database_path, settings.database_url
    if url is None:
        print(f"Nothing was copied: DATABASE_URL is not set: set it to the empty PostgreSQL "
              f"database to copy DATABASE_PATH={source} into (see README 'PostgreSQL')",
              file=sys.stderr)
        raise SystemExit(EXIT_CONFIG)

    def copied(table: str, rows: int) -> None:
        print(f"  {table}: {rows} row(s) copied", flush=True)  # a big table takes a while

    async def work(described: transfer.Source) -> list[transfer.Copied]:
        async with runner.instance_lock(settings):  # no bot starts on PostgreSQL meanwhile
            return await transfer.migrate(source, url, described, copied)

    print(f"Copying DATABASE_PATH={source} into PostgreSQL (one transaction: all or nothing).")
    try:
        described = transfer.describe(source)  # before a lock file is made beside it
        with runner.single_instance(source):  # no bot runs on the SQLite file meanwhile
            report = asyncio.run(work(described))
    except runner.AnotherInstanceError as exc:
        print(f"Nothing was copied: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_ANOTHER_INSTANCE) from None
    except (transfer.TransferError, DatabaseUnusableError) as exc:
        print(f"Nothing was copied: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    except StorageError as exc:  # PostgreSQL refused a row, or went away: rolled back
        print(f"Nothing was copied: PostgreSQL refused the copy and it was rolled back "
              f"({exc})", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    except OSError as exc:  # the lock beside the file: a folder this user cannot write
        print(f"Nothing was copied: {unusable(source, exc)}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    print("Rows per table, SQLite → PostgreSQL (committed):")
    width = max(len(entry.table) for entry in report)
    differ = [entry for entry in report if entry.sqlite != entry.postgres]
    for entry in report:
        mark = "  DIFFERENT" if entry.sqlite != entry.postgres else ""
        print(f"  {entry.table:<{width}}  {entry.sqlite:>8} → {entry.postgres}{mark}")
    if differ:
        print(f"The counts differ in {', '.join(entry.table for entry in differ)}: do not use "
              "this copy; empty the PostgreSQL database and run this again.", file=sys.stderr)
        raise SystemExit(EXIT_COUNTS)
    total = sum(entry.sqlite for entry in report)
    print(f"Copied {total} row(s) in {len(report)} tables; the counts match. DATABASE_PATH was "
          "only read. Keep ENCRYPTION_KEYS and INDEX_KEY as they are (the values are still "
          "sealed under them), run `python -m bot check`, then start the bot.")


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["screen"]:  # it has options of its own
        from bot.safety.screen import cli  # noqa: PLC0415  (loads the screen only when asked)

        raise SystemExit(cli.main(arguments[1:]))
    if arguments[:1] in (["backup"], ["restore"]):
        from bot.backups import cli as backups  # noqa: PLC0415

        raise SystemExit(backups.main(arguments[0], arguments[1:]))
    if arguments[:1] == ["setup"]:
        from bot import setup  # noqa: PLC0415

        raise SystemExit(setup.main(arguments[1:]))
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Peer Support Bot: a confidential first contact with the Peer Support Team.")
    commands = {"run": run, "check": check, "keys": keys, "purge": purge,
                "rotate-keys": rotate_keys, "migrate-to-postgres": migrate_to_postgres}
    parser.add_argument("command", nargs="?", default="run",
                        choices=(*commands, "setup", "backup", "restore", "screen"),
                        help="run the bot (default), check the configuration and the "
                             "database, print new keys, purge old conversations now, "
                             "re-encrypt under the first key, copy the SQLite database at "
                             "DATABASE_PATH into the empty PostgreSQL one at DATABASE_URL, "
                             "set up a new team (setup --help), back up or restore the "
                             "database (backup --help, restore --help), or screen messages "
                             "for risk (screen --help)")
    parser.add_argument("--force", action="store_true",
                        help="keys: print new keys even though .env already has some (only "
                             "to replace them on purpose: see README 'Rotating keys')")
    args = parser.parse_args(arguments)
    if args.command == "keys":
        keys(force=args.force)
    else:
        commands[args.command]()


if __name__ == "__main__":
    main()
