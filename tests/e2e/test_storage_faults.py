"""Broken keys and disks, as an operator meets them (issue 15, items 3, 4 and 6): fresh keys
against an old database, a corrupted or read-only database file, the database deleted under a
running bot, the lock file deleted before a second instance, and `keys >> .env` run twice.
Each ends in one line naming what to fix and a documented exit status, never a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .harness import (
    RESPONDER_IDS,
    WAIT,
    BotProcess,
    EmulatorServer,
    generate_keys,
    minimal_env,
    responder,
)

COORDINATOR = 4242
WATCH = 15.0  # bot/runner.py WATCH_SECONDS


def _run(bot: BotProcess, *args: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in the bot's folder, with its settings but `overrides`."""
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=bot.workdir,
                          env={**bot.env, **overrides}, capture_output=True, text=True,
                          timeout=60, check=False)


def _problem_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What the bot said was wrong: its ERROR lines (start) or its stderr (check)."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return [line for line in output.splitlines()
              if " ERROR " in line or line.startswith("The bot cannot start")]


def _used_bot(bot: BotProcess) -> None:
    """Sealed values in its database: a responder wrote to it."""
    person = responder(bot.emu, RESPONDER_IDS[40])
    person.command("/start")
    person.wait_for(r"confidential", timeout=WAIT)


def test_fresh_keys_against_an_old_database_are_named(start_bot: Callable[..., BotProcess],
                                                      tmp_path: Path) -> None:
    bot = start_bot()
    _used_bot(bot)
    assert bot.stop() == 0
    fresh = generate_keys(tmp_path)
    cases = [({"ENCRYPTION_KEYS": fresh["ENCRYPTION_KEYS"]}, "ENCRYPTION_KEYS cannot open"),
             ({"INDEX_KEY": fresh["INDEX_KEY"]}, "INDEX_KEY is not the one"),
             (fresh, "ENCRYPTION_KEYS cannot open")]
    for overrides, problem in cases:
        for command in ((), ("check",)):
            result = _run(bot, *command, **overrides)
            assert result.returncode == 2, (command, result)
            lines = _problem_lines(result)
            assert len(lines) == 1 and problem in lines[0], (command, lines)
            assert "Configuration OK" not in result.stdout
            other = "INDEX_KEY" if problem.startswith("ENCRYPTION") else "ENCRYPTION_KEYS"
            assert other not in lines[0]
    # The right keys still work, and check says so.
    result = _run(bot, "check")
    assert result.returncode == 0 and "Configuration OK" in result.stdout, result


@pytest.mark.sqlite_only("its pages are overwritten in the file")
def test_a_corrupted_database_is_one_line(
        start_bot: Callable[..., BotProcess]) -> None:
    bot = start_bot()
    _used_bot(bot)
    assert bot.stop() == 0
    size = bot.db_path.stat().st_size
    with bot.db_path.open("r+b") as db:  # the header survives, the pages do not
        for page in range(1, size // 4096):
            db.seek(page * 4096 + 8)
            db.write(b"\xa5" * 1000)
    for command in ((), ("check",)):
        result = _run(bot, *command)
        assert result.returncode == 2, result
        lines = _problem_lines(result)
        assert len(lines) == 1 and "DATABASE_PATH=" in lines[0], lines
        assert re.search(r"damaged|not a usable database", lines[0]), lines
        assert "Backups" in lines[0]
    bot.db_path.write_bytes(b"not a database at all\n" * 500)
    result = _run(bot)
    assert result.returncode == 2 and "is not a usable database" in result.stderr, result


@pytest.mark.sqlite_only("the data folder is mounted read-only")
def test_a_read_only_database_is_one_line(
        start_bot: Callable[..., BotProcess]) -> None:
    """The data folder mounted read-only (a private mount namespace: needs root)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("making a read-only mount needs root and unshare")
    bot = start_bot()
    _used_bot(bot)
    assert bot.stop() == 0
    folder = bot.db_path.parent
    for command in ((), ("check",)):
        script = (f'mount --bind -o ro "{folder}" "{folder}" && exec "{sys.executable}" '
                  f'-m bot {" ".join(command)}')
        result = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=bot.workdir,
                                env=bot.env, capture_output=True, text=True, timeout=60,
                                check=False)
        if "mount:" in result.stderr:
            pytest.skip(f"no read-only mount here: {result.stderr.strip()}")
        assert result.returncode == 2, result
        output = result.stdout + result.stderr
        assert "Traceback" not in output, output
        assert "DATABASE_PATH" in output and "cannot be" in output, output
        assert "Configuration OK" not in result.stdout


@pytest.mark.sqlite_only("the file is deleted; its saved copy put back")
def test_the_database_deleted_under_a_running_bot(tgemu: EmulatorServer,
                                                  bot_keys: dict[str, str],
                                                  tmp_path: Path) -> None:
    """Noticed within WATCH seconds: one ERROR line, the coordinators told, a copy saved,
    exit 4; the restart refuses to create an empty one, and the saved copy brings it back."""
    bot = BotProcess(tgemu, tmp_path / "bot", bot_keys, {"COORDINATOR_IDS": str(COORDINATOR)})
    bot.start()
    try:
        coordinator = bot.emu.user(COORDINATOR, "Corinne")
        _used_bot(bot)
        path = bot.db_path
        for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
            (path.parent / name).unlink(missing_ok=True)
        assert bot.process is not None
        bot.process.wait(WATCH + 15)
        assert bot.process.returncode == 4, bot.log_text()
        errors = [line for line in bot.log_text().splitlines() if " ERROR " in line]
        assert len(errors) == 1 and "was deleted while the bot was running" in errors[0]
        assert "Traceback" not in bot.log_text()
        coordinator.wait_for(r"database file was deleted or replaced", timeout=WAIT)
        copies = sorted(path.parent.glob(f"{path.name}.saved-*"))
        assert len(copies) == 1 and copies[0].stat().st_mode & 0o077 == 0

        again = _run(bot)
        assert again.returncode == 2, again
        lines = _problem_lines(again)
        assert len(lines) == 1 and "does not exist, but its folder held it" in lines[0]
        assert copies[0].name in lines[0]
        assert not path.exists(), "no empty database was created"
        check = _run(bot, "check")
        assert check.returncode == 2 and "does not exist" in check.stderr

        copies[0].rename(path)
        bot.start()
        person = responder(bot.emu, RESPONDER_IDS[40])
        at = len(person.inbox())
        person.command("/start")
        person.wait_for(r"confidential", timeout=WAIT, after=at)
        assert bot.stop() == 0
    finally:
        bot.stop()


@pytest.mark.sqlite_only("the lock file beside the database file")
def test_deleting_the_lock_file_does_not_let_a_second_instance_start(
        start_bot: Callable[..., BotProcess]) -> None:
    bot = start_bot()
    Path(f"{bot.db_path}.lock").unlink()
    second = _run(bot)
    assert second.returncode == 3, second
    lines = _problem_lines(second)
    assert len(lines) == 1 and "another Peer Support Bot is already running" in lines[0]
    assert bot.process is not None and bot.process.poll() is None, "the first one goes on"
    _used_bot(bot)


def test_keys_appended_twice_is_refused(tmp_path: Path) -> None:
    """`python -m bot keys >> .env` a second time prints nothing and says why; the same for
    any file the output is appended to; --force is the deliberate way."""
    env = minimal_env()

    def append(target: str, *flags: str) -> subprocess.CompletedProcess[str]:
        command = f'umask 022; "{sys.executable}" -m bot keys {" ".join(flags)} >> {target}'
        return subprocess.run(["sh", "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=30, check=False)

    first = append(".env")
    assert first.returncode == 0, first
    assert "chmod 600 .env" in first.stderr, "a .env others can read is warned about"
    written = (tmp_path / ".env").read_text()
    second = append(".env")
    assert second.returncode == 2, second
    assert "already sets ENCRYPTION_KEYS and INDEX_KEY" in second.stderr
    assert "Rotating keys" in second.stderr and "Traceback" not in second.stderr
    assert (tmp_path / ".env").read_text() == written, "nothing was added"

    elsewhere = tmp_path / "deploy"
    elsewhere.mkdir()
    subprocess.run(["sh", "-c", f'"{sys.executable}" -m bot keys >> secrets.env'],
                   cwd=elsewhere, env=env, check=True, timeout=30, capture_output=True)
    again = subprocess.run(["sh", "-c", f'"{sys.executable}" -m bot keys >> secrets.env'],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=30,
                           check=False)
    assert again.returncode == 2 and "secrets.env already sets" in again.stderr, again

    forced = append(".env", "--force")
    assert forced.returncode == 0
    assert (tmp_path / ".env").read_text().count("ENCRYPTION_KEYS=") == 2
