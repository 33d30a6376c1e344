"""Backups and restores on real SQLite files (bot/backups/), and what `check` and a start do
with a database from another version: a backup taken while the bot writes is whole, private,
opens with the keys and with no others, and holds neither a key nor a word in the clear;
restore refuses while the bot runs, checks first and keeps what it replaced; the nightly
backup keeps its own newest files only, runs at 03:00 local time, catches up after a night
missed, once across instances, and tells the coordinators once when it fails; a shutdown or
Ctrl-C stops a copy or a pg_dump under way at once, and leaves no file."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import logging
import os
import secrets
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

import psycopg
import pytest
from conftest import START, Clock, Harness, make_settings

from bot import runner
from bot.backups import cli, copy, files, nightly
from bot.backups import restore as restoring
from bot.backups.files import BackupError
from bot.backups.keys import verify_file
from bot.platform.instances import Instance
from bot.platform.services import Services
from bot.platform.settings import Settings, encode_key
from storage import integrity
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError, SchemaError
from storage.messages import MessageRepository
from storage.postgres import tools as pg
from storage.postgres.instance import INSTANCE_LOCK
from storage.requests import RequestRepository
from storage.sqlite import backup as sqlite_backup
from storage.sqlite import migrations

WORDS = "Marigold ferry at dusk, the one I cannot stop replaying"
RESPONDER = 918273645
COORDINATOR = 7001
NOW = 1_800_000_000
ROOT = Path(__file__).resolve().parents[2]


def keyring_of(settings: Settings) -> Keyring:
    return Keyring(settings.encryption_keys, settings.index_key)


async def started_with_requests(settings: Settings, count: int = 3,
                                first: int = RESPONDER) -> list[str]:
    """A database as a bot that ran leaves it: its first start (id, index key check), then
    `count` open requests (of responders `first`, `first` + 1, ...) written by the real
    repositories, each with WORDS; their ids."""
    await runner.check_storage(settings)
    db = await open_database(settings.database_path)
    keys = keyring_of(settings)
    requests, messages = RequestRepository(db, keys), MessageRepository(db, keys)
    opened = []
    try:
        for number in range(count):
            request = await requests.start_intake(first + number, first + number, now=NOW)
            await messages.add_text(request.id, "responder", f"{WORDS} {number}", now=NOW)
            assert await requests.open(request.id, now=NOW, first_step_at=NOW + 300)
            opened.append(request.id)
    finally:
        await db.close()
    return opened


async def read_back(settings: Settings, path: Path, request_id: str) -> list[str]:
    """The texts of one conversation in the database file `path`, opened with the keys."""
    db = await open_database(path, migrate=False)
    try:
        stored = await MessageRepository(db, keyring_of(settings)).conversation(request_id)
    finally:
        await db.close()
    return [message.text or "" for message in stored]


def count_messages(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM messages").fetchone()[0])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def environment(settings: Settings, **more: str) -> dict[str, str]:
    """The bot's settings as the environment an operator's shell gives `python -m bot`."""
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env.update({
        "BOT_TOKEN": "123456:ABC-def_ghi", "PEER_GROUP_ID": "-1001",
        "ENCRYPTION_KEYS": ",".join(encode_key(k) for k in settings.encryption_keys),
        "INDEX_KEY": encode_key(settings.index_key),
        "DATABASE_PATH": str(settings.database_path),
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # never contacted
        **more,
    })
    return env


def bot_command(settings: Settings, cwd: Path, *args: str,
                **more: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as an operator runs it (no key may appear in what it says)."""
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd,
                          env=environment(settings, **more), capture_output=True, text=True,
                          timeout=120, check=False)
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said
    for key in (*settings.encryption_keys, settings.index_key):
        assert encode_key(key) not in said
    return done


def cli_in_process(settings: Settings, cwd: Path, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str], command: str, *args: str,
                   **more: str) -> tuple[int, str, str]:
    """`python -m bot backup|restore ARGS` in this process (so that a test can make the file
    system fail under it): its exit status, standard output and standard error."""
    for name in ("DATABASE_URL", "BACKUP_DIR", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment(settings, **more).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cwd)
    umask = os.umask(0o077)
    try:
        code = cli.main(command, list(args))
    finally:
        os.umask(umask)
    said = capsys.readouterr()
    return code, said.out, said.err


def free_space(free: int) -> Any:
    """os.statvfs as on a file system with `free` bytes left."""
    real = os.statvfs

    def statvfs(path: Any) -> os.statvfs_result:
        found = real(path)
        return os.statvfs_result((found.f_bsize, 1, found.f_blocks, free, free, found.f_files,
                                  found.f_ffree, found.f_favail, found.f_flag,
                                  found.f_namemax))
    return statvfs


# --- Commands by hand: the bot's own settings, or nothing ----------------------------------


def test_commands_by_hand_never_make_a_database_that_is_not_there(tmp_path: Path) -> None:
    """Under systemd DATABASE_PATH comes from the unit: typed in the bot's folder without it,
    a command finds data/peer_support.db missing, and must say so rather than make one."""
    settings = make_settings(tmp_path)  # never started: no database file
    path = settings.database_path
    said = (f"there is no database at DATABASE_PATH={path}, and none was made: run this with "
            "the bot's own settings (under systemd, those of its unit: see README 'Commands "
            "by hand')")
    for command in ("purge", "rotate-keys"):
        done = bot_command(settings, tmp_path, command)
        assert done.returncode == 2, done
        assert done.stderr == f"Cannot open the database: {said}\n"
        assert "No value needs an older key" not in done.stdout
    folder = tmp_path / "backups"
    done = bot_command(settings, tmp_path, "backup", BACKUP_DIR=str(folder))
    assert done.returncode == 2 and done.stderr == f"No backup was taken: {said}\n"
    done = bot_command(settings, tmp_path, "backup", f"{tmp_path / 'new'}/")
    assert done.returncode == 2 and done.stderr == f"No backup was taken: {said}\n"
    assert not folder.exists() and not (tmp_path / "new").exists()
    checked = bot_command(settings, tmp_path, "check")
    assert checked.returncode == 0, checked
    assert (f"database: DATABASE_PATH={path} (not created yet: the first start creates it; if "
            "the bot has run already, these are not its settings (see README 'Commands by "
            "hand'))") in checked.stdout
    assert not path.exists() and not list(tmp_path.rglob("peer_support.db*"))


def test_restore_onto_a_new_machine_says_where_it_put_the_database(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    fresh = dataclasses.replace(settings, database_path=tmp_path / "new" / "peer_support.db")
    fresh.database_path.parent.mkdir(mode=0o700)  # the bot's folder (its unit makes it)
    done = bot_command(fresh, tmp_path, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    into = f"DATABASE_PATH={fresh.database_path}"
    assert f"Restored {backup} into {into}.\n" in done.stdout
    assert (f"  There was no database at {into}: the restored one is a new file there. If the "
            "bot runs with another DATABASE_PATH (e.g. its systemd unit's), it is not the one "
            "it uses (see README 'Commands by hand').\n") in done.stdout
    assert ("Run `python -m bot check` with the same settings as this command (as the bot's "
            "user, with its unit's environment: README 'Commands by hand'), then start the "
            "bot.") in done.stdout
    assert count_messages(fresh.database_path) == 1
    assert asyncio.run(runner.check_storage(fresh)) is not None


def test_the_start_and_check_say_whether_nightly_backups_are_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An empty BACKUP_DIR= in .env wins over the unit's and turns nightly backups off: the
    start's log and `check` say so."""
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    off = bot_command(settings, tmp_path, "check", BACKUP_DIR="")
    assert off.returncode == 0, off
    assert "  nightly backups: off (BACKUP_DIR is empty)\n" in off.stdout
    folder = tmp_path / "nightly"
    on = bot_command(settings, tmp_path, "check", BACKUP_DIR=str(folder), BACKUP_KEEP="5")
    assert f"  nightly backups to {folder}, keeping 5\n" in on.stdout
    caplog.set_level(logging.INFO, logger="bot.backups.nightly")
    assert nightly.start(cast(Services, SimpleNamespace(settings=settings))) is None
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "nightly backups: off (BACKUP_DIR is empty)")]
    with_dir = dataclasses.replace(settings, backup_dir=folder, backup_keep=5)
    assert nightly.describe(with_dir) == f"nightly backups to {folder}, keeping 5"


# --- Taking a backup -------------------------------------------------------------------------


async def test_a_backup_taken_while_the_bot_writes_is_whole_private_and_opens_with_the_keys(
        tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    opened = await started_with_requests(settings)
    before = count_messages(settings.database_path)
    writer_db = await open_database(settings.database_path)
    messages = MessageRepository(writer_db, keyring_of(settings))
    writing = asyncio.Event()

    async def write_meanwhile() -> int:
        written = 0
        while not writing.is_set() or written < 50:
            await messages.add_text(opened[0], "peer", f"line {written}", now=NOW + 1)
            written += 1
            if written == 5:
                writing.set()
        return written

    writer = asyncio.create_task(write_meanwhile())
    await writing.wait()  # the copy starts in the middle of the writes
    target = tmp_path / "backups" / "night.db"
    taken = await copy.take(settings, target)
    written = await writer
    await writer_db.close()

    assert taken.path == target and taken.size == target.stat().st_size > 0
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    assert not list(target.parent.glob(".*partial")), "the partial file is gone"
    with contextlib.closing(sqlite3.connect(target)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copied = count_messages(target)
    assert before < copied <= before + written  # one commit's state, taken mid-burst
    assert "integrity_check says ok" in taken.checked
    # Every open request is in it, readable with the keys, each line whole.
    for number, request_id in enumerate(opened):
        texts = await read_back(settings, target, request_id)
        assert texts[0] == f"{WORDS} {number}"
    lines = (await read_back(settings, target, opened[0]))[1:]
    assert lines == [f"line {n}" for n in range(len(lines))]
    # Neither a key nor a word in the clear, in any form.
    raw = target.read_bytes()
    for key in (*settings.encryption_keys, settings.index_key):
        assert key not in raw and encode_key(key).encode() not in raw
        assert key.hex().encode() not in raw
    assert WORDS.encode() not in raw and b"Marigold" not in raw
    assert str(RESPONDER).encode() not in raw


async def test_a_backup_does_not_open_with_other_keys(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await started_with_requests(settings)
    target = tmp_path / "b.db"
    await copy.take(settings, target)
    other_key = Keyring((secrets.token_bytes(32),), settings.index_key)
    with pytest.raises(BackupError) as refused:
        await verify_file(target, other_key, f"the backup {target}")
    assert str(refused.value).startswith(
        f"ENCRYPTION_KEYS cannot open the values stored in the backup {target}: were the keys "
        "replaced?")
    other_index = Keyring(settings.encryption_keys, secrets.token_bytes(32))
    with pytest.raises(BackupError, match=f"^INDEX_KEY is not the one the backup {target} "
                                          "was used with"):
        await verify_file(target, other_index, f"the backup {target}")
    # Taken with other keys, a backup is refused and not written.
    wrong = dataclasses.replace(settings, encryption_keys=(secrets.token_bytes(32),))
    with pytest.raises(BackupError, match="ENCRYPTION_KEYS cannot open"):
        await copy.take(wrong, tmp_path / "c.db")
    assert not (tmp_path / "c.db").exists() and not list(tmp_path.glob(".c.db*"))


async def test_a_backup_never_replaces_a_file_and_names_itself_in_a_folder(
        tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    await started_with_requests(settings, count=1)
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"someone's file")
    with pytest.raises(BackupError, match="exists already: a backup never replaces a file"):
        files.destination(taken, ".db", NOW)
    folder = tmp_path / "folder"
    folder.mkdir()
    target = files.destination(folder, ".db", 1_796_526_000)  # 2026-12-06 03:00 UTC
    assert target == folder / "peer_support-2026-12-06T030000Z.db"
    await copy.take(settings, target)
    assert taken.read_bytes() == b"someone's file"
    with pytest.raises(BackupError, match="appeared while the backup was written"):
        await copy.take(settings, target)  # the same name again: refused, nothing replaced
    assert count_messages(target) == 1


def test_the_command_writes_into_backup_dir_and_says_where(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    refused = bot_command(settings, tmp_path, "backup")
    assert refused.returncode == 2
    assert "give where to write it (python -m bot backup DEST" in refused.stderr
    assert "or set BACKUP_DIR" in refused.stderr
    folder = tmp_path / "nightly"
    done = bot_command(settings, tmp_path, "backup", BACKUP_DIR=str(folder))
    assert done.returncode == 0, done.stderr
    [written] = list(folder.iterdir())
    assert written.name.startswith("peer_support-") and written.suffix == ".db"
    assert f"Backup written: {written} (" in done.stdout
    assert f"{written.stat().st_size} bytes)" in done.stdout
    assert "ENCRYPTION_KEYS and INDEX_KEY open what it holds" in done.stdout
    assert mode(written) == 0o600
    helped = bot_command(settings, tmp_path, "backup", "--help")
    assert helped.returncode == 0 and "usage: python -m bot backup [-h] [DEST]" in helped.stdout


def test_a_backup_needs_room_for_the_database_and_a_margin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    path = settings.database_path
    size = path.stat().st_size + (Path(f"{path}-wal").stat().st_size
                                  if Path(f"{path}-wal").exists() else 0)
    assert files.room_needed(1_000) == 1_000 + 50_000_000  # at least 50 MB to spare
    assert files.room_needed(2_000_000_000) == 2_200_000_000  # or a tenth
    folder = tmp_path / "backups"
    monkeypatch.setattr(os, "statvfs", free_space(files.room_needed(size) - 1))
    with pytest.raises(BackupError, match=rf"^{folder} has .* free and a backup of the "
                                          r"database \(.*\) needs .* with a margin, so none "
                                          r"was taken"):
        asyncio.run(copy.take(settings, folder / "b.db"))
    assert list(folder.iterdir()) == []  # not even the partial file
    code, out, err = cli_in_process(settings, tmp_path, monkeypatch, capsys, "backup",
                                    f"{folder}/")
    assert code == 2 and out == "" and err.startswith(f"No backup was taken: {folder} has ")
    assert list(folder.iterdir()) == []
    monkeypatch.setattr(os, "statvfs", free_space(files.room_needed(size)))
    assert asyncio.run(copy.take(settings, folder / "b.db")).size > 0


def test_a_dest_ending_in_a_slash_is_a_folder_made_for_the_backup(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    dest = tmp_path / "new" / "deeper"
    done = bot_command(settings, tmp_path, "backup", f"{dest}/")
    assert done.returncode == 0, done.stderr
    [written] = list(dest.iterdir())
    assert written.name.startswith("peer_support-") and written.suffix == ".db"
    assert mode(dest) == 0o700 and mode(written) == 0o600
    assert f"Backup written: {written} (" in done.stdout
    taken = tmp_path / "a-file"
    taken.write_text("someone's file")
    done = bot_command(settings, tmp_path, "backup", f"{taken}/")
    assert done.returncode == 2
    assert done.stderr == (f"No backup was taken: {taken} is not a folder: give a folder, or a "
                           "new file name\n")
    assert taken.read_text() == "someone's file"


async def test_a_backup_says_which_values_no_listed_key_opens(tmp_path: Path) -> None:
    """Values sealed under a key no longer listed: the backup is kept, with the warning the
    start logs, and it does not claim the keys open what it holds."""
    old_key, new_key = secrets.token_bytes(32), secrets.token_bytes(32)
    first = make_settings(tmp_path, encryption_keys=(old_key,))
    await started_with_requests(first, count=1)
    rotating = dataclasses.replace(first, encryption_keys=(new_key, old_key))
    await started_with_requests(rotating, count=1, first=RESPONDER + 50)
    only_new = dataclasses.replace(first, encryption_keys=(new_key,))
    target = tmp_path / "b.db"
    taken = await copy.take(only_new, target)
    assert "ENCRYPTION_KEYS and INDEX_KEY open what it holds" not in taken.checked
    assert taken.checked.endswith("INDEX_KEY fits, and ENCRYPTION_KEYS opens only part of what "
                                  "it holds (see the warning below)")
    [warning] = taken.warnings
    assert warning.startswith(f"3 value(s) in the backup {target} (")  # the first request's
    assert "are sealed under a key that is not in ENCRYPTION_KEYS" in warning
    done = await asyncio.to_thread(bot_command, only_new, tmp_path, "backup",
                                   str(tmp_path / "c.db"))
    assert done.returncode == 0, done.stderr
    assert "open what it holds" not in done.stdout
    assert f"Warning: 3 value(s) in the backup {tmp_path / 'c.db'} (" in done.stdout
    assert cli.SOME_KEYS_MISSING in done.stdout and cli.KEYS_APART not in done.stdout
    restored = await asyncio.to_thread(bot_command, only_new, tmp_path, "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    assert "open what it holds" not in restored.stdout
    assert "ENCRYPTION_KEYS opens only part of what it holds" in restored.stdout
    assert f"Warning: 3 value(s) in the backup {target} (" in restored.stdout


async def test_a_key_check_an_older_schema_cut_short_is_said_to_be_partial(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path)
    await started_with_requests(settings, count=1)
    target = tmp_path / "b.db"
    await copy.take(settings, target)
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.execute(f"PRAGMA user_version = {migrations()[-1][0] - 1}")

    async def cut_short(*_: Any, **__: Any) -> integrity.Verified:
        raise SchemaError("no such column: a newer one")

    monkeypatch.setattr(integrity, "verify", cut_short)
    checked = await verify_file(target, keyring_of(settings), f"the backup {target}")
    assert not checked.complete and not checked.warnings
    assert checked.describe() == ("the keys were checked only in part: its schema is older than "
                                  "this version's and lacks what the check reads (the start "
                                  "that migrates it checks them all)")


def test_pg_dump_gets_the_password_in_its_environment_never_on_its_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in pg_dump on PATH records how it was called (ps shows a command line to every
    user of the machine; a process's environment only to its own)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    record = tmp_path / "called"
    fake = tools / "pg_dump"
    fake.write_text(f"""#!/bin/sh
printf '%s\\n' "$@" > {record}
printf 'PGPASSWORD=%s\\n' "$PGPASSWORD" >> {record}
""")
    fake.chmod(0o700)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    url = "postgresql://bot:s3cr%2Fet@db.example.org:5433/peer_support?sslmode=require"
    pg.dump(url, tmp_path / "x.dump")
    *arguments, environment_line = record.read_text().splitlines()
    assert environment_line == "PGPASSWORD=s3cr/et"
    assert not any("s3cr" in argument for argument in arguments), arguments
    assert "--format=custom" in arguments and f"--file={tmp_path / 'x.dump'}" in arguments
    [dbname] = [a for a in arguments if a.startswith("--dbname=")]
    for part in ("user=bot", "host=db.example.org", "port=5433", "dbname=peer_support",
                 "sslmode=require"):
        assert part in dbname
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: password s3cr/et refused' >&2\nexit 1\n")
    with pytest.raises(DatabaseUnusableError) as failed:
        pg.dump(url, tmp_path / "y.dump")
    assert "s3cr" not in str(failed.value) and "***" in str(failed.value)


def test_the_postgresql_tools_see_none_of_the_bot_s_secrets(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pg_dump and pg_restore get PATH, HOME, the locale, TZ and libpq's PG* variables; never
    BOT_TOKEN, the keys or WEBHOOK_SECRET. A PGPASSWORD set for the bot is kept when
    DATABASE_URL has no password of its own."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("pg_dump", "pg_restore"):
        fake = tools / name
        fake.write_text(f"#!/bin/sh\nenv > {tmp_path / name}.env\necho '1; 0 0 TABLE x'\n")
        fake.chmod(0o700)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    secrets_of_the_bot = {"BOT_TOKEN": "123456:token-of-the-bot",
                          "ENCRYPTION_KEYS": "encryption-key-value",
                          "INDEX_KEY": "index-key-value",
                          "WEBHOOK_SECRET": "webhook-secret-value",
                          "DATABASE_URL": "postgresql://bot:url-password@db/x"}
    passed = {"PGSSLROOTCERT": "/etc/ssl/our-root.crt", "PGPASSWORD": "inherited-password",
              "LANG": "C.UTF-8", "LC_MESSAGES": "C", "TZ": "UTC", "HOME": str(tmp_path)}
    for name, value in {**secrets_of_the_bot, **passed}.items():
        monkeypatch.setenv(name, value)

    def seen(tool: str) -> dict[str, str]:
        lines = (tmp_path / f"{tool}.env").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    pg.dump("postgresql://bot@db.example.org/peer_support", tmp_path / "x.dump")
    assert pg.entries(tmp_path / "x.dump") == 1
    for tool in ("pg_dump", "pg_restore"):
        env = seen(tool)
        for name, value in secrets_of_the_bot.items():
            assert name not in env and value not in "\n".join(env.values()), (tool, name)
        for name, value in passed.items():
            assert env.get(name) == value, (tool, name)
        assert env["PATH"].startswith(str(tools))
    pg.dump("postgresql://bot:from-the-url@db.example.org/peer_support", tmp_path / "y.dump")
    assert seen("pg_dump")["PGPASSWORD"] == "from-the-url"


# --- Restoring -------------------------------------------------------------------------------


def test_restore_refuses_while_the_bot_runs(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    before = settings.database_path.read_bytes()
    with runner.single_instance(settings.database_path):  # what a running bot holds
        done = bot_command(settings, tmp_path, "restore", str(backup))
    assert done.returncode == runner.EXIT_ANOTHER_INSTANCE == 3, done
    assert done.stderr.startswith("Nothing was restored: another Peer Support Bot is already "
                                  "running with DATABASE_PATH=")
    assert settings.database_path.read_bytes() == before
    assert sorted(p.name for p in settings.database_path.parent.iterdir()
                  if ".restoring" in p.name or ".replaced" in p.name) == []


def test_restore_puts_the_backup_in_place_and_keeps_what_it_replaced(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    opened = asyncio.run(started_with_requests(settings, count=2))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    later = asyncio.run(started_with_requests(settings, count=1, first=RESPONDER + 100))
    path = settings.database_path
    with contextlib.closing(sqlite3.connect(path)) as live:  # a -wal beside it, as a bot leaves
        live.execute("PRAGMA journal_mode = WAL")
        live.execute("PRAGMA wal_autocheckpoint = 0")
        live.execute("UPDATE requests SET state = state")
        live.commit()
        assert Path(f"{path}-wal").exists()
        done = bot_command(settings, tmp_path, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert f"Restored {backup} into DATABASE_PATH={path}." in done.stdout
    assert "SQLite's integrity_check says ok; schema version" in done.stdout
    [replaced] = [p for p in path.parent.iterdir() if p.name.startswith(f"{path.name}.replaced-")
                  and p.suffix != ".id" and not p.name.endswith(("-wal", "-shm"))]
    assert f"the file it replaced is kept as {replaced}\n" in done.stdout
    assert mode(path) == 0o600 and mode(replaced) == 0o600
    # In place: what the backup held, and no -wal of the replaced database beside it.
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert count_messages(path) == 2 and count_messages(replaced) == 3
    assert asyncio.run(read_back(settings, path, opened[1]))[0] == f"{WORDS} 1"
    assert asyncio.run(read_back(settings, replaced, later[0]))[0] == f"{WORDS} 0"
    assert Path(f"{replaced}.id").read_text() == Path(f"{path}.id").read_text()
    # And the bot starts on it.
    assert asyncio.run(runner.check_storage(settings)) is not None
    assert not list(path.parent.glob("*.restoring-*"))


def test_restore_into_a_folder_whose_database_vanished(tmp_path: Path) -> None:
    """What start-up's refusal of a vanished database tells the operator to do works."""
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    settings.database_path.unlink()
    with pytest.raises(integrity.StoredDataError, match="restore the latest backup"):
        integrity.refuse_a_vanished_database(settings.database_path)  # what a start says
    done = bot_command(settings, tmp_path, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    [kept] = [p for p in settings.database_path.parent.iterdir() if ".replaced-" in p.name]
    assert kept.name.endswith(".id")  # it named the database that vanished
    assert f"the file it replaced is kept as {kept}\n" in done.stdout
    assert asyncio.run(runner.check_storage(settings)) is not None
    assert count_messages(settings.database_path) == 1


def test_restore_checks_the_backup_first(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    before = settings.database_path.read_bytes()

    other = dataclasses.replace(settings, encryption_keys=(secrets.token_bytes(32),))
    done = bot_command(other, tmp_path, "restore", str(backup))
    assert done.returncode == 2
    assert done.stderr.startswith(f"Nothing was restored: ENCRYPTION_KEYS cannot open the "
                                  f"values stored in the backup {backup}: were the keys "
                                  "replaced?")

    newer = tmp_path / "newer.db"
    newer.write_bytes(backup.read_bytes())
    with contextlib.closing(sqlite3.connect(newer)) as conn:
        conn.execute("PRAGMA user_version = 9999")
    done = bot_command(settings, tmp_path, "restore", str(newer))
    assert done.returncode == 2
    newest = migrations()[-1][0]
    assert (f"{newer} comes from a newer version of the bot (schema version 9999; this "
            f"version knows up to {newest}): nothing was changed. Upgrade the bot first"
            in done.stderr)

    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 100)
    done = bot_command(settings, tmp_path, "restore", str(damaged))
    assert done.returncode == 2
    assert "file is not a database" in done.stderr

    done = bot_command(settings, tmp_path, "restore", str(tmp_path / "missing.db"))
    assert done.returncode == 2 and "is not a file" in done.stderr
    assert settings.database_path.read_bytes() == before
    leftovers = [p.name for p in settings.database_path.parent.iterdir()
                 if ".restoring" in p.name or ".replaced" in p.name]
    assert leftovers == []


@pytest.mark.skipif(os.geteuid() != 0,
                    reason="giving a folder to another user (os.chown) needs root")
def test_restore_runs_only_as_the_owner_of_the_database_folder(tmp_path: Path) -> None:
    """Run as root (or anyone else), restore would leave private files the bot's user cannot
    open: it refuses, and says as whom to run it."""
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    folder = settings.database_path.parent
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    os.chown(folder, 54321, 54321)
    done = bot_command(settings, tmp_path, "restore", str(backup))
    assert done.returncode == 2, done
    assert done.stderr == (
        f"Nothing was restored: {folder} (the folder of DATABASE_PATH) belongs to uid 54321, "
        "and this runs as root: the restored files would be root's and private, and a bot "
        "running as uid 54321 could not open them. Nothing was changed. Run it as uid 54321, "
        "e.g. sudo -u '#54321' … (see README 'Commands by hand')\n")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    fresh = dataclasses.replace(settings, database_path=tmp_path / "fresh" / "peer_support.db")
    done = bot_command(fresh, tmp_path, "restore", str(backup))
    assert done.returncode == 2 and "does not exist, and made by root it" in done.stderr
    assert not (tmp_path / "fresh").exists()
    os.chown(folder, os.geteuid(), os.getegid())  # root's own folder: root may
    done = bot_command(settings, tmp_path, "restore", str(backup))
    assert done.returncode == 0, done.stderr


def test_a_restore_that_could_not_write_the_id_file_says_it_restored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=2))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    asyncio.run(started_with_requests(settings, count=1, first=RESPONDER + 100))
    path = settings.database_path
    written = integrity.write_id_file

    def refused(database_path: Path, database_id: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied",
                              str(integrity.id_file(database_path)))

    monkeypatch.setattr(integrity, "write_id_file", refused)
    code, out, err = cli_in_process(settings, tmp_path, monkeypatch, capsys, "restore",
                                    str(backup))
    assert code == 0 and err == "", err
    assert f"Restored {backup} into DATABASE_PATH={path}.\n" in out
    assert (f"Warning: the restored database is in place, but {path}.id could not be written "
            "(Permission denied): the next start writes it.\n") in out
    assert count_messages(path) == 2 and not integrity.id_file(path).exists()
    monkeypatch.setattr(integrity, "write_id_file", written)
    assert asyncio.run(runner.check_storage(settings)) is not None  # and it does
    assert integrity.id_file(path).exists()


def test_a_restore_that_cannot_set_the_old_database_aside_puts_back_what_it_moved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    backup = tmp_path / "b.db"
    asyncio.run(copy.take(settings, backup))
    folder = settings.database_path.parent
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    moving = Path.rename

    def rename(self: Path, target: Any) -> Path:
        if self.name.endswith(".id") and ".replaced-" in str(target):
            raise PermissionError(errno.EACCES, "Permission denied")
        return moving(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(BackupError, match=r"\.id could not be moved aside to .*\(Permission "
                                          r"denied\): nothing was changed \(the files moved "
                                          r"aside were put back\)$"):
        restoring.restore(settings, backup, time.time())
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == {**before, f"{settings.database_path.name}.lock": b""}


def _on_postgres(tmp_path: Path, url: str, **more: Any) -> Settings:
    return make_settings(tmp_path, database_url=url, **more)


def _postgres_backup(tmp_path: Path, url: str) -> tuple[Settings, Path]:
    """A PostgreSQL database as a bot's first start leaves it, and a backup of it."""
    settings = _on_postgres(tmp_path, url, webhook_url="https://bot.example.org/hook",
                            webhook_secret="s" * 32)
    asyncio.run(runner.check_storage(settings))
    backup = tmp_path / "b.dump"
    asyncio.run(copy.take(settings, backup))
    return settings, backup


def _tables(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_tables "
                           "WHERE schemaname = current_schema()").fetchone()
    assert row is not None
    return int(row[0])


def test_restore_on_postgres_refuses_while_an_instance_in_webhook_mode_runs(
        tmp_path: Path, postgres_url: str) -> None:
    """Instances in webhook mode take no lock: one that beat within DEAD_AFTER_SECONDS is a
    running bot (status 3), not merely a database that is not empty."""
    settings, backup = _postgres_backup(tmp_path, postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        now = int(time.time())
        conn.execute("INSERT INTO instances (id, started_at, seen_at) VALUES (%s, %s, %s)",
                     ("web-1", now - 60, now - 1))
    with pytest.raises(runner.AnotherInstanceError,
                       match=r"^another Peer Support Bot is already running with DATABASE_URL="
                             r".*\(1 instance\(s\) in webhook mode said so within the last 10 "
                             r"s\); stop every instance first$"):
        restoring.restore(settings, backup, time.time())


def test_restore_on_postgres_takes_the_instance_lock_in_webhook_mode_too(
        tmp_path: Path, postgres_url: str, postgres_server: Any) -> None:
    settings, backup = _postgres_backup(tmp_path, postgres_url)
    empty = postgres_server.new_database()
    into = dataclasses.replace(settings, database_url=empty)
    with psycopg.connect(empty, autocommit=True) as holder:  # a bot polling on it
        holder.execute("SELECT pg_advisory_lock(%s)", (INSTANCE_LOCK,))
        with pytest.raises(runner.AnotherInstanceError, match=r"^another Peer Support Bot is "
                                                               r"already running with "):
            restoring.restore(into, backup, time.time())
    assert _tables(empty) == 0
    done = restoring.restore(into, backup, time.time())  # let go: restored
    assert "ENCRYPTION_KEYS and INDEX_KEY open what was loaded" in done.checked
    assert _tables(empty) > 0


@pytest.mark.parametrize(("failure", "reason"), [
    (RuntimeError("unexpected"), "the restore failed (RuntimeError)"),
    (KeyboardInterrupt(), "the restore was interrupted"),
    (asyncio.CancelledError(), "the restore was interrupted"),
])
def test_restore_on_postgres_removes_what_it_loaded_whatever_stops_the_check(
        tmp_path: Path, postgres_url: str, postgres_server: Any,
        monkeypatch: pytest.MonkeyPatch, failure: BaseException, reason: str) -> None:
    settings, backup = _postgres_backup(tmp_path, postgres_url)
    empty = postgres_server.new_database()
    into = dataclasses.replace(settings, database_url=empty)

    async def fails(*_: Any, **__: Any) -> None:
        raise failure

    monkeypatch.setattr(integrity, "verify", fails)  # the keys' check on what was loaded
    with pytest.raises(BackupError) as failed:
        restoring.restore(into, backup, time.time())
    said = str(failed.value)
    assert said.startswith(f"{reason}. The backup was loaded to check it, and has been "
                           "removed again (")
    assert " tables dropped): DATABASE_URL=" in said and said.endswith("is empty, as it was")
    assert _tables(empty) == 0


def test_where_hard_links_are_not_supported_a_backup_still_never_replaces_a_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    written, target = tmp_path / ".b.db.partial", tmp_path / "b.db"
    written.write_bytes(b"checked")
    files.publish(written, target)
    assert target.read_bytes() == b"checked" and not written.exists()
    # A file that appears at the name after any look at it is never replaced.
    written.write_bytes(b"another")
    looking = Path.exists
    monkeypatch.setattr(Path, "exists",
                        lambda self, *a, **k: False if self == target else looking(self, *a, **k))
    with pytest.raises(BackupError, match="appeared while the backup was written"):
        files.publish(written, target)
    assert target.read_bytes() == b"checked"


# --- Upgrades: check names what the next start applies; a newer database is refused --------


def test_check_names_the_migrations_the_next_start_applies(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    numbers = [number for number, _ in migrations()]
    with contextlib.closing(sqlite3.connect(settings.database_path)) as conn:
        conn.execute(f"PRAGMA user_version = {numbers[-3]}")
    done = bot_command(settings, tmp_path, "check")
    assert done.returncode == 0, done.stderr
    names = sorted(p.stem for p in (ROOT / "storage/sqlite/migrations").glob("*.sql"))[-2:]
    assert f"2 migrations to apply at the next start: {names[0]}, {names[1]}" in done.stdout


def test_a_newer_database_is_refused_by_check_and_by_a_start_and_left_as_it_was(
        tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    with contextlib.closing(sqlite3.connect(settings.database_path)) as conn:
        conn.execute("PRAGMA user_version = 9999")
    before = settings.database_path.read_bytes()
    newest = migrations()[-1][0]
    said = (f"holds a schema newer than this version of the bot knows (migration 9999; this "
            f"version knows up to {newest}): upgrade the bot")
    done = bot_command(settings, tmp_path, "check")
    assert done.returncode == 2 and said in done.stderr, done
    with pytest.raises(DatabaseUnusableError, match=r"newer than this version"):
        asyncio.run(runner.check_storage(settings))
    assert runner.run(settings) == runner.EXIT_STORAGE  # the start itself: status 2
    assert settings.database_path.read_bytes() == before  # nothing applied, nothing changed


# --- The nightly backup ----------------------------------------------------------------------


TAG = "1f0c9a2b"  # a database's tag in its nightly backups' names
OTHER_TAG = "0badcafe"  # another deployment's, sharing the folder


def _stamp_name(taken_at: int, suffix: str = ".db", tag: str = TAG) -> str:
    return files.name(suffix, taken_at, nightly=tag)


def test_pruning_keeps_the_newest_of_its_own_and_nothing_else_is_touched(
        tmp_path: Path) -> None:
    """Another deployment's nightly backups in the same folder (its own tag) are neither
    deleted nor counted; nor is one dated ahead of the clock (it would stay the "newest"
    forever)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    nightlies = [_stamp_name(NOW - day * 86_400) for day in range(20)]
    theirs = [_stamp_name(NOW - day * 86_400 - 60, tag=OTHER_TAG) for day in range(20)]
    ahead = _stamp_name(NOW + 30 * 86_400)
    foreign = ["peer_support-2026-12-06T030000Z.db",  # taken by hand: kept
               "notes.txt", "peer_support-nightly-latest.db", "other-nightly-2026.db",
               f"{_stamp_name(NOW - 90 * 86_400)}.bak",
               "peer_support-nightly-2020-01-01T030000Z.db",  # no tag: not the bot's name
               f"peer_support-nightly-{TAG.upper()}-2020-01-01T030000Z.db"]
    for name in (*nightlies, *theirs, ahead, *foreign):
        (folder / name).write_bytes(b"x")
    old_partial = folder / f".{_stamp_name(NOW - 3 * 86_400)}.partial"
    new_partial = folder / f".{_stamp_name(NOW)}.partial"
    their_partial = folder / f".{_stamp_name(NOW - 3 * 86_400, tag=OTHER_TAG)}.partial"
    for partial in (old_partial, new_partial, their_partial):
        partial.write_bytes(b"x")
    os.utime(old_partial, (NOW - 3 * 86_400, NOW - 3 * 86_400))
    os.utime(their_partial, (NOW - 3 * 86_400, NOW - 3 * 86_400))
    os.utime(new_partial, (NOW, NOW))

    gone = files.prune(folder, 14, NOW + 60, TAG)
    left = {p.name for p in folder.iterdir()}
    assert left == {*nightlies[:14], *theirs, ahead, *foreign, new_partial.name,
                    their_partial.name}
    assert sorted(gone) == sorted([*nightlies[14:], old_partial.name])
    assert files.prune(folder, 14, NOW + 60, TAG) == []
    assert [b.taken_at for b in files.nightly_backups(folder, TAG)][-1] == NOW + 30 * 86_400
    assert len(files.nightly_backups(folder, OTHER_TAG)) == 20
    assert files.prune(folder, 3, NOW + 60, OTHER_TAG) == [*theirs[3:][::-1],
                                                           their_partial.name]
    assert len(files.nightly_backups(folder, TAG)) == 15  # theirs pruned, ours untouched


def test_a_database_s_tag_is_the_start_of_its_id() -> None:
    assert files.tag("1F0C9A2B77d0e4c1aa00bb11cc22dd33", "x") == "1f0c9a2b"
    assert files.tag(" 1f0c9a2b77d0e4c1\n", "x") == "1f0c9a2b"
    assert files.tag(None, "DATABASE_PATH=/a") == files.tag(None, "DATABASE_PATH=/a")
    assert files.tag(None, "DATABASE_PATH=/a") != files.tag(None, "DATABASE_PATH=/b")
    assert files.name(".dump", 1_796_526_000, nightly=TAG) == (
        f"peer_support-nightly-{TAG}-2026-12-06T030000Z.dump")


@pytest.mark.parametrize(("zone", "now", "expected"), [
    ("UTC", "2026-12-06 02:59:59", "2026-12-06 03:00:00"),
    ("UTC", "2026-12-06 03:00:00", "2026-12-07 03:00:00"),
    ("Europe/Paris", "2026-12-06 12:00:00", "2026-12-07 03:00:00"),
    ("America/Toronto", "2026-12-06 23:30:00", "2026-12-07 03:00:00"),
    ("Pacific/Kiritimati", "2026-12-06 01:00:00", "2026-12-06 03:00:00"),  # UTC+14
    ("Europe/Paris", "2027-03-28 01:30:00", "2027-03-28 03:00:00"),  # the night clocks go on
    ("America/Toronto", "2026-11-01 01:30:00", "2026-11-01 03:00:00"),  # ... and back
])
def test_the_nightly_backup_is_at_3_local_time(zone: str, now: str, expected: str) -> None:
    tz = ZoneInfo(zone)
    at = datetime.fromisoformat(now).replace(tzinfo=tz).timestamp()
    due = nightly.next_run(at, tz)
    assert datetime.fromtimestamp(due, tz).strftime("%Y-%m-%d %H:%M:%S") == expected
    assert 0 < due - at <= 25 * 3600


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    return {"backup_dir": tmp_path / "backups", "backup_keep": 3,
            "coordinator_ids": frozenset({COORDINATOR}), "timezone": "Europe/Paris"}


async def _until(check: Any, what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def _settled(harness: Harness, tmp_path: Path) -> None:
    """The start's own catch-up backup (into BACKUP_DIR) is done and the 03:00 timer set: a
    test that drives a Nightly of its own does not race it."""
    await _until(lambda: len(files.nightly_backups(tmp_path / "backups")) == 1,
                 "the start's catch-up backup")
    await _until(lambda: (harness.services.timers.scheduled(nightly.TIMER) or
                          datetime.fromtimestamp(0, ZoneInfo("UTC"))).timestamp() > time.time(),
                 "the 03:00 timer")


async def test_a_start_catches_up_a_missed_night_then_waits_for_3(
        harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """No backup in BACKUP_DIR yet (or one more than a day old): the start takes one at once,
    in the background, and sets the timer for the next 03:00 in TIMEZONE."""
    caplog.set_level(logging.INFO)
    folder = tmp_path / "backups"
    await _until(lambda: len(files.nightly_backups(folder)) == 1, "the catch-up backup")
    settings = harness.services.settings
    [taken] = files.nightly_backups(folder)
    assert mode(taken.path) == 0o600
    scheduled = None

    def timer_set() -> bool:
        nonlocal scheduled
        scheduled = harness.services.timers.scheduled(nightly.TIMER)
        return scheduled is not None and scheduled.timestamp() > time.time()

    await _until(timer_set, "the 03:00 timer")
    assert scheduled is not None
    local = scheduled.astimezone(settings.tz)
    assert (local.hour, local.minute) == (3, 0)
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.backups.nightly"]
    assert any(line.startswith(f"nightly backup {taken.path.name} written (")
               for line in logged), logged


async def test_a_recent_backup_is_not_taken_again(harness: Harness, clock: Clock,
                                                  tmp_path: Path) -> None:
    await _settled(harness, tmp_path)
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    night = nightly.Nightly(harness.services, folder)
    tag = await night.tag()
    (folder / _stamp_name(START - 3600, tag=tag)).write_bytes(b"x")  # tonight's, an hour ago
    (folder / _stamp_name(START - 7200, tag=OTHER_TAG)).write_bytes(b"x")  # not ours
    await night.run(nightly.CATCH_UP_SECONDS)
    assert len(files.nightly_backups(folder, tag)) == 1
    clock.now = START + 22 * 3600  # the next night's 03:00 run
    await night.run(nightly.RECENT_SECONDS)
    assert len(files.nightly_backups(folder, tag)) == 2
    assert len(files.nightly_backups(folder)) == 3


async def test_a_backup_of_another_deployment_does_not_make_one_due_later(
        harness: Harness, clock: Clock, tmp_path: Path) -> None:
    """Another deployment's recent nightly backup in a shared folder is not this one's."""
    await _settled(harness, tmp_path)
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / _stamp_name(START - 3600, tag=OTHER_TAG)).write_bytes(b"x")
    night = nightly.Nightly(harness.services, folder)
    assert await night.due(nightly.CATCH_UP_SECONDS)


async def test_a_name_dated_ahead_of_the_clock_does_not_stop_nightly_backups(
        harness: Harness, clock: Clock, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    await _settled(harness, tmp_path)
    folder = tmp_path / "ahead"
    folder.mkdir()
    night = nightly.Nightly(harness.services, folder)
    tag = await night.tag()
    ahead = _stamp_name(START + 2 * 86_400, tag=tag)  # a clock that was two days ahead
    (folder / ahead).write_bytes(b"x")
    (folder / _stamp_name(START + 1800, tag=tag)).write_bytes(b"x")  # within the hour
    assert not await night.due(nightly.CATCH_UP_SECONDS)
    (folder / _stamp_name(START + 1800, tag=tag)).unlink()
    caplog.clear()
    assert await night.due(nightly.CATCH_UP_SECONDS)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
              and r.name == "bot.backups.nightly"]
    assert len(warned) == 1 and ahead in warned[0] and "ahead of this machine's clock" in (
        warned[0])
    await night.run(nightly.CATCH_UP_SECONDS)
    assert len(files.nightly_backups(folder, tag)) == 2  # taken; the one ahead left alone


async def test_retention_keeps_backup_keep_of_the_nightly_ones(harness: Harness, clock: Clock,
                                                               tmp_path: Path) -> None:
    await _settled(harness, tmp_path)
    folder = tmp_path / "kept"
    night = nightly.Nightly(harness.services, folder)
    for day in range(5):
        clock.now = START + day * 86_400
        assert await night.take() is not None
    assert [b.taken_at for b in files.nightly_backups(folder)] == [
        START + day * 86_400 for day in (2, 3, 4)]


async def test_one_instance_takes_the_night_s_backup(harness: Harness, clock: Clock,
                                                     tmp_path: Path) -> None:
    """Two instances on one database (webhook mode on PostgreSQL), each with its own
    BACKUP_DIR: whichever comes first takes it, the other skips the night."""
    await _settled(harness, tmp_path)
    services = harness.services
    first, second = tmp_path / "machine1", tmp_path / "machine2"
    services.instance = Instance(shared=True, id="first")
    await nightly.Nightly(services, first).run(nightly.RECENT_SECONDS)
    services.instance = Instance(shared=True, id="second")
    await nightly.Nightly(services, second).run(nightly.RECENT_SECONDS)
    assert len(files.nightly_backups(first)) == 1
    assert not second.exists() or not files.nightly_backups(second)
    clock.now = START + 86_400  # the next night, the lease has run out
    await nightly.Nightly(services, second).run(nightly.RECENT_SECONDS)
    assert len(files.nightly_backups(second)) == 1


async def test_a_nightly_backup_without_room_is_skipped_logged_and_told(
        harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    await _settled(harness, tmp_path)
    caplog.set_level(logging.INFO)
    folder = tmp_path / "full"
    monkeypatch.setattr(os, "statvfs", free_space(10_000_000))
    night = nightly.Nightly(harness.services, folder)
    assert await night.take() is None
    await _until(lambda: harness.count(COORDINATOR, "The bot could not back up its "
                                                    "database") == 1, "the alert")
    [error] = [r.getMessage() for r in caplog.records
               if r.levelno == logging.ERROR and r.name == "bot.backups.nightly"]
    assert f": {folder} has 10.0 MB free and a backup of the database (" in error
    assert list(folder.iterdir()) == []


async def test_a_failure_is_logged_and_told_once(harness: Harness, clock: Clock,
                                                 tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await _settled(harness, tmp_path)
    gate = tmp_path / "gate"
    gate.write_text("a file where a folder should be")
    night = nightly.Nightly(harness.services, gate / "backups")
    told = "The bot could not back up its database"
    assert await night.take() is None
    clock.now += 86_400
    assert await night.take() is None
    await _until(lambda: harness.count(COORDINATOR, told) == 1, "the coordinator's alert")
    errors = [r.getMessage() for r in caplog.records
              if r.levelno == logging.ERROR and r.name == "bot.backups.nightly"]
    assert len(errors) == 2
    assert errors[0].startswith(
        f"nightly backup {_stamp_name(START, tag=await night.tag())} failed: ")
    for record in caplog.records:
        assert str(RESPONDER) not in record.getMessage()
        assert str(COORDINATOR) not in record.getMessage()
    # Backups work again; the next failure is told again.
    gate.unlink()
    clock.now += 86_400
    assert await night.take() is not None
    shutil.rmtree(gate)
    gate.write_text("a file again")
    clock.now += 86_400
    assert await night.take() is None
    await _until(lambda: harness.count(COORDINATOR, told) == 2, "the second alert")
    await asyncio.sleep(0.3)
    assert harness.count(COORDINATOR, told) == 2


# --- Stopping a backup: a shutdown or Ctrl-C never waits for a whole copy ------------------


def _large_database(path: Path, megabytes: int = 40) -> None:
    """A SQLite database in WAL mode, as the bot's, of about `megabytes` MB."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE filler (data BLOB)")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO filler VALUES (randomblob(1000))",
                         [()] * (megabytes * 1000))
        conn.execute("COMMIT")


def _nobody_reads(path: Path) -> bool:
    """No connection holds a read transaction on the database (a copy under way does): a
    TRUNCATE checkpoint, which must wait for every reader, empties its -wal at once."""
    with contextlib.closing(sqlite3.connect(path, timeout=0)) as conn:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return int(busy) == 0


def test_a_copy_of_a_large_database_asked_to_stop_ends_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy runs in a worker thread, and a process cannot exit before its threads end: a
    copy that ran to its end after SIGTERM could outlast systemd's TimeoutStopSec on a large
    database. Asked to stop mid-copy, or while its copy is checked, it ends within a moment,
    and nothing reads the database any more."""
    source = tmp_path / "large.db"
    _large_database(source)
    target = tmp_path / "copy.db"
    target.touch()
    stop = threading.Event()
    outcome: list[BaseException | float] = []

    def copying() -> None:
        try:  # small steps, a little apart: a copy of several seconds
            sqlite_backup.copy(source, target, stop=stop, pages=64, pause=0.005)
        except BaseException as exc:
            outcome.extend([exc, time.monotonic()])

    worker = threading.Thread(target=copying)
    worker.start()
    deadline = time.monotonic() + 10
    while target.stat().st_size < 1_000_000 and worker.is_alive():
        assert time.monotonic() < deadline, "the copy never got under way"
        time.sleep(0.005)
    asked = time.monotonic()
    stop.set()
    worker.join(10)
    assert not worker.is_alive()
    [stopped, ended] = outcome
    assert isinstance(stopped, sqlite_backup.StoppedError)
    assert isinstance(ended, float) and ended - asked < 0.5
    assert target.stat().st_size < source.stat().st_size  # it was stopped, not finished
    assert _nobody_reads(source)

    # While the copy is checked (a full integrity_check of a large file takes a while too).
    checking = threading.Event()
    examine = sqlite_backup._examine

    def stop_as_the_check_begins(conn: sqlite3.Connection) -> sqlite_backup.Copied:
        checking.set()
        return examine(conn)

    monkeypatch.setattr(sqlite_backup, "_examine", stop_as_the_check_begins)
    checked = tmp_path / "checked.db"
    checked.touch()
    with pytest.raises(sqlite_backup.StoppedError):
        sqlite_backup.copy(source, checked, stop=checking)
    assert _nobody_reads(source)


async def test_a_shutdown_stops_a_nightly_backup_at_once_and_leaves_no_file(
        harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM during the nightly backup: the timers' shutdown cancels it, and the copy's
    thread stops within a moment instead of copying on; the partial file is deleted, a
    WARNING says what happens next, and no coordinator is alerted (nothing failed)."""
    await _settled(harness, tmp_path)
    caplog.set_level(logging.INFO)
    monkeypatch.setenv(copy.SLOW, "0.05")  # a page every 50 ms: a copy of several seconds
    folder = tmp_path / "stopped"
    night = nightly.Nightly(harness.services, folder)
    taking = asyncio.create_task(night.take())
    await _until(lambda: folder.is_dir() and any(folder.iterdir()), "the copy under way")
    await asyncio.sleep(0.3)
    [partial] = folder.glob("*.partial")  # and SQLite's -journal of it, while it is written
    assert not taking.done()
    taking.cancel()  # as Timers.shutdown does to a job still running past its grace
    asked = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await taking
    assert time.monotonic() - asked < 1.0
    assert list(folder.iterdir()) == []
    path = harness.services.settings.database_path
    await _until(lambda: _nobody_reads(path), "the copy's thread to let go", seconds=1.0)
    logged = [(r.levelno, r.getMessage()) for r in caplog.records
              if r.name == "bot.backups.nightly" and r.levelno >= logging.WARNING]
    assert logged == [(logging.WARNING, f"nightly backup {partial.name[1:-8]} interrupted by "
                       "the shutdown, and its partial file deleted; the next start takes one "
                       "if the newest is 23 hours old, else the next night's run")]
    await asyncio.sleep(0.2)
    assert harness.count(COORDINATOR, "The bot could not back up its database") == 0


def test_ctrl_c_stops_a_backup_by_hand_at_once_and_leaves_no_file(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    asyncio.run(started_with_requests(settings, count=1))
    folder = tmp_path / "by-hand"
    command = subprocess.Popen(  # a page every half second: a copy of a minute or more
        [sys.executable, "-m", "bot", "backup", f"{folder}/"], cwd=tmp_path,
        env=environment(settings, **{copy.SLOW: "0.5"}), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (folder.is_dir() and any(folder.iterdir())):
            assert command.poll() is None and time.monotonic() < deadline, command.poll()
            time.sleep(0.05)
        time.sleep(0.5)
        command.send_signal(signal.SIGINT)
        asked = time.monotonic()
        out, err = command.communicate(timeout=30)
    finally:
        command.kill()
    assert time.monotonic() - asked < 3.0
    assert command.returncode == cli.EXIT_INTERRUPTED, err
    assert err == "\nStopped: no backup was taken (nothing of it is left).\n" and out == ""
    assert list(folder.iterdir()) == []
    assert _nobody_reads(settings.database_path)


async def test_a_shutdown_ends_pg_dump_at_once_and_leaves_no_file(
        tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pg_dump that takes its time (a large database, or one waiting for a lock): the
    shutdown's cancellation terminates it within a moment, and its partial file is deleted."""
    settings = _on_postgres(tmp_path, postgres_url)
    await runner.check_storage(settings)
    tools = tmp_path / "bin"
    tools.mkdir()
    started = tmp_path / "pg_dump.pid"
    fake = tools / "pg_dump"
    fake.write_text("#!/bin/sh\nfor a; do case $a in --file=*) echo part > \"${a#--file=}\";; "
                    f"esac; done\necho $$ > {started}\nexec sleep 120\n")
    fake.chmod(0o700)
    monkeypatch.setenv("PATH", f"{tools}:{os.environ['PATH']}")
    target = tmp_path / "backups" / "b.dump"
    taking = asyncio.create_task(copy.take(settings, target))
    await _until(lambda: started.exists() and started.read_text().strip() != "", "pg_dump")
    pid = int(started.read_text())
    assert files.partial(target).read_text() == "part\n"
    # In a session of its own: systemd's SIGTERM to the unit's processes, or a terminal's
    # Ctrl-C, reaches the bot only, which ends pg_dump itself (not as a failed backup).
    assert os.getsid(pid) == pid != os.getsid(0)
    taking.cancel()
    asked = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await taking
    assert time.monotonic() - asked < 2.0
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended, and waited for
    assert list(target.parent.iterdir()) == []
