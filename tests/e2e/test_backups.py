"""Backups end to end, as an operator takes and restores them: `python -m bot backup DEST`
while a burst of responders' messages is being relayed, `python -m bot restore FILE` once the
bot is stopped (refused while it runs), and a bot started on the restored database that serves
the same requests; a backup holds no key and no word in the clear, and other keys cannot
restore it. On PostgreSQL (E2E_DATABASE=postgres) the backup is a pg_dump and is restored into
a new, empty database (restore refuses one that holds anything). Commands typed without the
bot's own settings (its systemd unit's DATABASE_PATH and BACKUP_DIR) refuse and make nothing,
and the start's log and `check` say whether nightly backups are on. SIGTERM during a nightly
backup stops the bot in seconds, not once the copy is done, and leaves no partial file."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from storage.postgres import tools as pg

from .harness import (
    RESPONDER_IDS,
    BotProcess,
    StartBot,
    claim,
    count_matching,
    decode_key,
    generate_keys,
    open_request,
    peer,
    register,
    responder,
    start_conversation,
    texts,
    wait_until,
)

BURST = 40
BURST_LINE = "Cobalt orchard line {}"  # distinctive: found anywhere, it can only be ours
WAITING_TEXT = "Saffron quay at noon, I keep seeing it again and again."
SECRET_TEXT = "Vermilion lighthouse stairwell, nobody may read this but a peer."
LONG_WAIT = 60.0
STOP_WITHIN = 15.0  # the timers' 5 s grace, the rest of the stop, a busy machine
NAME = re.compile(r"^peer_support-\d{4}-\d\d-\d\dT\d{6}Z\.(db|dump)$")


def bot_command(bot: BotProcess, *args: str, env: dict[str, str] | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in the bot's folder (or `cwd`) with its settings (or `env`), as an
    operator runs it: no traceback, and no key or password in what it says."""
    env = env if env is not None else bot.env
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd or bot.workdir, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said
    for name in ("ENCRYPTION_KEYS", "INDEX_KEY"):
        assert env[name] not in said, f"{name} was printed"
    url = env.get("DATABASE_URL")
    if url:
        password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
        assert password not in said, "the database password was printed"
    return done


def backup_contents(bot: BotProcess, backup: Path) -> bytes:
    """What the backup holds, to search: the SQLite file byte for byte; a dump as the SQL
    pg_restore makes of it (its table data is compressed in the file)."""
    if not bot.on_postgres:
        return backup.read_bytes()
    return subprocess.run([str(pg.tool("pg_restore")), "--file=-", str(backup)],
                          capture_output=True, check=True, timeout=120).stdout


def test_a_backup_taken_mid_burst_restores_into_a_bot_that_serves_the_same_requests(
        start_bot: StartBot, postgres_server: object, tmp_path: Path) -> None:
    bot = start_bot()
    emu = bot.emu
    talking = start_conversation(bot, "It was a long night on the ridge.")  # Avery holds it
    waiting = responder(emu, RESPONDER_IDS[1], "Kestrel", "kestrel_r")
    waiting_code = open_request(waiting, WAITING_TEXT)  # open, nobody has claimed it yet
    blair = register(peer(emu, 2002, "Blair"))
    casey = register(peer(emu, 2003, "Casey"))
    avery = talking.peer

    def relayed() -> int:
        return count_matching(avery.private, r"Cobalt orchard line \d+")

    def burst() -> None:
        for number in range(BURST):
            talking.responder.say(BURST_LINE.format(number))
            time.sleep(0.05)

    writer = threading.Thread(target=burst)
    writer.start()
    try:
        wait_until(lambda: relayed() >= 5, "the burst under way", LONG_WAIT)
        folder = tmp_path / "backups"
        folder.mkdir()
        taken = bot_command(bot, "backup", str(folder))
        during = relayed()
    finally:
        writer.join()
    assert taken.returncode == 0, taken.stderr
    [backup] = list(folder.iterdir())
    assert NAME.match(backup.name), backup.name
    assert taken.stdout.startswith(f"Backup written: {backup} (")
    assert backup.stat().st_mode & 0o777 == 0o600
    wait_until(lambda: relayed() >= BURST, "the whole burst relayed", LONG_WAIT)
    print(f"backup taken with {during} of {BURST} burst lines relayed")  # noqa: T201

    # Restore refuses while the bot runs, and changes nothing.
    refused = bot_command(bot, "restore", str(backup))
    assert refused.returncode == 3, refused
    assert "Nothing was restored: another Peer Support Bot is already running with " \
        f"{bot.database_setting}=" in refused.stderr

    assert bot.stop() == 0
    if bot.on_postgres:  # into an empty database only; the bot's holds everything
        refused = bot_command(bot, "restore", str(backup))
        assert refused.returncode == 2, refused
        assert " is not empty (" in refused.stderr and "DROP DATABASE" in refused.stderr
        assert hasattr(postgres_server, "new_database")
        bot.database_url = postgres_server.new_database("e2e")
    restored = bot_command(bot, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert f"Restored {backup} into {bot.database_setting}=" in restored.stdout
    assert "ENCRYPTION_KEYS and INDEX_KEY open" in restored.stdout
    bot.start()

    # The request nobody had claimed is still waiting: a peer claims it and reads it.
    at = len(blair.private.inbox())
    claim(blair, waiting_code)
    assert f"{waiting_code}: {WAITING_TEXT}" in texts(blair.private)[at:]
    waiting.wait_for(r"Blair from the Peer Support Team has joined", timeout=LONG_WAIT)

    # The conversation Avery held is still Avery's: handed back, the next peer reads its
    # history, the burst as far as the backup holds it, in order and without a gap.
    at = len(avery.private.inbox())
    avery.private.command("/release going off shift")
    avery.private.wait_for(rf"{talking.code} is back in the queue", timeout=LONG_WAIT,
                           after=at)
    at = len(casey.private.inbox())
    claim(casey, talking.code)
    briefing = texts(casey.private)[at:]
    lines = [text for text in briefing if "Cobalt orchard line" in text]
    assert len(lines) >= 5
    assert lines == [f"{talking.code}: {BURST_LINE.format(n)}" for n in range(len(lines))]
    request_id = bot.db_rows("SELECT id FROM requests WHERE code = ?", talking.code)[0][0]
    assert bot.db_count("messages WHERE request_id = ?", request_id) == 1 + len(lines)
    at = len(casey.private.inbox())
    talking.responder.say("Are you still there?")
    casey.private.wait_for(rf"{talking.code}: Are you still there\?", timeout=LONG_WAIT,
                           after=at)


def test_a_backup_holds_no_key_and_no_word_and_other_keys_cannot_restore_it(
        start_bot: StartBot, bot_keys: dict[str, str], postgres_server: object,
        tmp_path: Path) -> None:
    bot = start_bot()
    talking = start_conversation(bot, SECRET_TEXT)
    folder = tmp_path / "backups"
    folder.mkdir()
    taken = bot_command(bot, "backup", str(folder))
    assert taken.returncode == 0, taken.stderr
    [backup] = list(folder.iterdir())

    contents = backup_contents(bot, backup)
    assert b"Avery" in contents  # a control: the search sees what is stored in the clear
    for text in (SECRET_TEXT, "Vermilion lighthouse", str(talking.responder.id)):
        assert text.encode() not in contents, text
    for name, value in bot_keys.items():
        assert value.encode() not in contents, name
        assert decode_key(value) not in contents, name

    other = {**bot.env, **generate_keys(tmp_path)}
    assert bot.stop() == 0
    if bot.on_postgres:
        assert hasattr(postgres_server, "new_database")
        other["DATABASE_URL"] = postgres_server.new_database("e2e")
    refused = bot_command(bot, "restore", str(backup), env=other)
    assert refused.returncode == 2, refused
    assert refused.stderr.startswith("Nothing was restored: ENCRYPTION_KEYS cannot open the "
                                     "values stored in "), refused.stderr
    if bot.on_postgres:
        assert "has been removed again" in refused.stderr
        with psycopg.connect(other["DATABASE_URL"]) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables "
                                  "WHERE schemaname = current_schema()").fetchone()
        assert tables == (0,), "what was loaded to check it is gone"
    # The bot's own database is as it was: it starts, and the conversation goes on.
    bot.start()
    at = len(talking.peer.private.inbox())
    talking.responder.say("Still here.")
    talking.peer.private.wait_for(rf"{talking.code}: Still here\.", timeout=LONG_WAIT, after=at)


def test_commands_typed_without_the_bot_s_settings_change_nothing(
        start_bot: StartBot, tmp_path: Path) -> None:
    """As under the shipped unit: the database and BACKUP_DIR are where the service's own
    environment says, not in data/ of the folder the operator types in. Typed there without
    it, `rotate-keys`, `purge` and `backup` find no database at data/peer_support.db and refuse
    (status 2) without making one; with the bot's settings they work."""
    backups = tmp_path / "state" / "backups"
    bot = start_bot(BACKUP_DIR=str(backups))
    install = tmp_path / "install"  # where the operator types, the bot's data elsewhere
    install.mkdir()
    wait_until(lambda: f"nightly backups to {backups}, keeping 14" in bot.log_text(),
               "the start's line about nightly backups")
    by_hand = {name: value for name, value in bot.env.items()
               if name not in ("DATABASE_PATH", "DATABASE_URL", "BACKUP_DIR")}
    said = ("there is no database at DATABASE_PATH=data/peer_support.db, and none was made: "
            "run this with the bot's own settings (under systemd, those of its unit: see "
            "README 'Commands by hand')")
    for command in ("rotate-keys", "purge"):
        done = bot_command(bot, command, env=by_hand, cwd=install)
        assert done.returncode == 2, done
        assert done.stderr == f"Cannot open the database: {said}\n"
    done = bot_command(bot, "backup", "backups/", env=by_hand, cwd=install)
    assert done.returncode == 2 and done.stderr == f"No backup was taken: {said}\n"
    assert list(install.iterdir()) == []
    checked = bot_command(bot, "check", env={**bot.env, "BACKUP_DIR": ""})
    assert checked.returncode == 0, checked
    assert "  nightly backups: off (BACKUP_DIR is empty)\n" in checked.stdout
    checked = bot_command(bot, "check")
    assert f"  nightly backups to {backups}, keeping 14\n" in checked.stdout
    taken = bot_command(bot, "backup", f"{tmp_path / 'by-hand'}/")
    assert taken.returncode == 0, taken.stderr
    [backup] = list((tmp_path / "by-hand").iterdir())
    assert NAME.match(backup.name), backup.name


@pytest.mark.sqlite_only("the slowed copy is SQLite's; stopping pg_dump has a unit test")
def test_sigterm_during_a_nightly_backup_stops_the_bot_at_once_and_leaves_no_file(
        start_bot: StartBot, tmp_path: Path) -> None:
    """systemd stops the bot with SIGTERM and kills it 60 s later (TimeoutStopSec): a nightly
    backup under way must not hold the stop up. Slowed to a page a second (the test-only
    PEER_SUPPORT_SLOW_BACKUP), the start's catch-up copy would take a minute or more; SIGTERM
    ends the bot with status 0 in seconds, no partial file is left, the log says so, and the
    next start takes the backup that was missed."""
    backups = tmp_path / "state" / "backups"
    bot = start_bot(BACKUP_DIR=str(backups), PEER_SUPPORT_SLOW_BACKUP="1")
    wait_until(lambda: backups.is_dir() and any(backups.glob(".*.partial")),
               "the start's catch-up backup under way")
    assert bot.process is not None
    bot.process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    try:
        code = bot.process.wait(STOP_WITHIN)
    except subprocess.TimeoutExpired:
        code = None
    took = time.monotonic() - sent
    assert code == 0, f"exit {code} after {took:.1f} s"
    assert list(backups.iterdir()) == [], "the partial file (and its -journal) are deleted"
    log = bot.log_text()
    assert "interrupted by the shutdown, and its partial file deleted; the next start takes " \
        "one if the newest is 23 hours old" in log
    bot.extra_env = {"BACKUP_DIR": str(backups)}
    bot.start()
    wait_until(lambda: len(list(backups.glob("peer_support-nightly-*.db"))) == 1,
               "the backup the next start takes")
