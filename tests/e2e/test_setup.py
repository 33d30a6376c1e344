"""`python -m bot setup` (issue 19), as an operator meets it: only BOT_TOKEN set, the Bot API
emulator in Telegram's place, and a peer who writes in the group while setup waits."""

from __future__ import annotations

import json
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bot.platform.settings import load_settings

from .harness import (
    GROUP_ID,
    KEY_BYTES,
    RESPONDER_IDS,
    WAIT,
    Answer,
    Emulator,
    EmulatorServer,
    JsonAnswers,
    decode_key,
    free_port,
    in_group,
    minimal_env,
    new_token,
    responder,
)

# No database anywhere: once is enough, not again in the PostgreSQL pass.
pytestmark = pytest.mark.sqlite_only("setup uses no database")

BOT_USERNAME = "PeerSupportTestBot"  # what the emulator's getMe answers
WAITING = r"Waiting up to"
SETUP_TIMEOUT = 60.0


class Setup:
    """`python -m bot setup` running in its own folder; its output read as it comes."""

    def __init__(self, workdir: Path, token: str, api_url: str, *args: str) -> None:
        self.token = token
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "setup", *args], cwd=workdir,
            env=minimal_env(BOT_TOKEN=token, TELEGRAM_API_BASE_URL=api_url),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:  # closed at the end of the output
            for line in self.process.stdout:
                self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.output):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"setup never said {pattern!r}:\n{self.output}")
            time.sleep(0.05)

    def finish(self, timeout: float = WAIT) -> tuple[int, str]:
        """The exit status and everything said; the token never among it."""
        try:
            code = self.process.wait(timeout)
        finally:
            self.process.kill()
        self._reader.join(5)
        for secret in (self.token, self.token.partition(":")[2]):
            assert not secret or secret not in self.output, "the token was printed"
        assert "Traceback" not in self.output, self.output
        return code, self.output


@pytest.fixture
def token() -> str:
    return new_token()


@pytest.fixture
def emu(api: EmulatorServer, token: str) -> Emulator:
    return Emulator(token, api.base_url)


def start(tmp_path: Path, token: str, api_url: str, *args: str) -> Setup:
    return Setup(tmp_path, token, api_url, "--timeout", str(SETUP_TIMEOUT), *args)


def env_lines(output: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Z_]+)=(\S+)$", output, re.MULTILINE))


def pending_updates(api: EmulatorServer, token: str) -> list[dict[str, Any]]:
    """What the bot would get on its first getUpdates (nothing confirmed by asking)."""
    with urllib.request.urlopen(f"{api.api_url}{token}/getUpdates", timeout=10) as response:
        result: list[dict[str, Any]] = json.load(response)["result"]
    return result


def test_setup_finds_the_group_and_prints_a_configuration_the_bot_accepts(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    early = responder(emu)  # wrote to the bot before it was set up
    early.command("/start")
    setup = start(tmp_path, token, api.api_url)
    setup.wait_for(WAITING)
    assert f"this is @{BOT_USERNAME}" in setup.output
    assert (f"add @{BOT_USERNAME} to your private peer group, then send "
            f"/start@{BOT_USERNAME} in the group") in setup.output
    in_group(emu, 2001, "Avery").command(f"/start@{BOT_USERNAME}")
    code, output = setup.finish()
    assert code == 0, output
    assert f'Found the supergroup "Peer Support Team" (id {GROUP_ID}, from user 2001)' in output
    lines = env_lines(output)
    assert lines["PEER_GROUP_ID"] == str(GROUP_ID)
    assert lines["COORDINATOR_IDS"] == "2001"
    assert "# the person who wrote in the group; list every coordinator" in output
    for name in ("ENCRYPTION_KEYS", "INDEX_KEY"):
        assert len(decode_key(lines[name])) == KEY_BYTES
    settings = load_settings({"BOT_TOKEN": token, **lines,
                              "DATABASE_PATH": str(tmp_path / "data" / "peer_support.db")})
    assert settings.peer_group_id == GROUP_ID and settings.coordinator_ids == {2001}
    assert "Leave privacy mode on (/setprivacy" in output
    assert "python -m bot check" in output
    assert not (tmp_path / ".env").exists(), "without --write nothing is written"
    # The responder's /start was not confirmed: the bot gets it when it starts.
    chats = [u["message"]["chat"]["id"] for u in pending_updates(api, token)]
    assert RESPONDER_IDS[0] in chats


def test_write_appends_the_lines_and_check_accepts_the_result(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={token}\n")
    (tmp_path / ".env").chmod(0o600)
    setup = start(tmp_path, token, api.api_url, "--write")
    setup.wait_for(WAITING)
    in_group(emu, 2002, "Blake").command(f"/start@{BOT_USERNAME}")
    code, output = setup.finish()
    assert code == 0, output
    assert "Appended to .env" in output and "ENCRYPTION_KEYS=(a new key)" in output
    env_file = tmp_path / ".env"
    assert not re.search(r"^(ENCRYPTION_KEYS|INDEX_KEY)=(?!\(a new key\))", output,
                         re.MULTILINE), "with --write the keys stay in the file"
    assert f"PEER_GROUP_ID={GROUP_ID}" in env_file.read_text()
    check = subprocess.run([sys.executable, "-m", "bot", "check"], cwd=tmp_path,
                           env=minimal_env(DATABASE_PATH=str(tmp_path / "data" / "bot.db")),
                           capture_output=True, text=True, timeout=60, check=False)
    assert check.returncode == 0, check.stderr
    assert "Configuration OK." in check.stdout and "coordinators: 1" in check.stdout
    # A second --write would add a second PEER_GROUP_ID: refused before waiting.
    before = env_file.read_text()
    again = start(tmp_path, token, api.api_url, "--write")
    code, output = again.finish()
    assert code == 2 and "already sets PEER_GROUP_ID" in output, output
    assert env_file.read_text() == before


def test_keys_already_in_env_are_kept(tmp_path: Path, api: EmulatorServer, token: str,
                                      emu: Emulator) -> None:
    (tmp_path / ".env").write_text("ENCRYPTION_KEYS=kept-key\nINDEX_KEY=kept-index\n")
    (tmp_path / ".env").chmod(0o600)
    setup = start(tmp_path, token, api.api_url)
    setup.wait_for(WAITING)
    in_group(emu, 2003, "Casey").command(f"/start@{BOT_USERNAME}")
    code, output = setup.finish()
    assert code == 0, output
    assert set(env_lines(output)) == {"PEER_GROUP_ID", "COORDINATOR_IDS"}
    assert "ENCRYPTION_KEYS and INDEX_KEY already set: keep the existing keys" in output


def test_a_group_upgraded_to_a_supergroup_gives_its_new_id(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    setup = start(tmp_path, token, api.api_url)
    setup.wait_for(WAITING)
    old = emu.user(2004, "Drew", chat_id=-4242, chat_type="group")
    old.send(migrate_to_chat_id=-1004242)
    code, output = setup.finish()
    assert code == 0, output
    assert "its id changed from -4242 to -1004242: use the new one" in output
    assert env_lines(output)["PEER_GROUP_ID"] == "-1004242"


def basic_group_upgraded(emu: Emulator, *, before: str = "") -> None:
    """Drew writes in the basic group -4343 (`before`), then Telegram upgrades it to the
    supergroup -1004343: a service message in each."""
    old = emu.user(2006, "Drew", chat_id=-4343, chat_type="group")
    if before:
        old.command(before)
    old.send(migrate_to_chat_id=-1004343)
    emu.user(2006, "Drew", chat_id=-1004343, chat_type="supergroup").send(
        migrate_from_chat_id=-4343)


def test_a_group_upgraded_after_the_bot_was_added_gives_the_new_id(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    """/start in the basic group, then its upgrade, all pending before setup: the first
    update names the basic group, whose id is dead by the time setup prints it."""
    basic_group_upgraded(emu, before=f"/start@{BOT_USERNAME}")
    code, output = start(tmp_path, token, api.api_url).finish()
    assert code == 0, output
    assert "its id changed from -4343 to -1004343: use the new one" in output
    assert env_lines(output)["PEER_GROUP_ID"] == "-1004343"


def test_a_group_upgraded_right_after_setup_found_it_gives_the_new_id(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    """Setup sees the basic group first, alone; the upgrade follows at once (the bot made an
    admin): setup looks again a moment later."""
    setup = start(tmp_path, token, api.api_url)
    setup.wait_for(WAITING)
    basic_group_upgraded(emu, before=f"/start@{BOT_USERNAME}")
    code, output = setup.finish()
    assert code == 0, output
    assert env_lines(output)["PEER_GROUP_ID"] == "-1004343"


def test_a_group_upgraded_seconds_after_setup_found_it_gives_the_new_id(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    """The bot is made an admin a while after /start in the basic group, which upgrades it:
    setup says it is checking the group is settled, sees the upgrade 5 s later, and prints the
    supergroup's id, never the basic group's dead one."""
    setup = start(tmp_path, token, api.api_url)
    setup.wait_for(WAITING)
    emu.user(2006, "Drew", chat_id=-4343, chat_type="group").command(f"/start@{BOT_USERNAME}")
    setup.wait_for(r'Found the basic group "[^"]*"; checking the group is settled')
    time.sleep(5)
    assert setup.process.poll() is None, setup.output
    basic_group_upgraded(emu)
    code, output = setup.finish()
    assert code == 0, output
    assert "its id changed from -4343 to -1004343: use the new one" in output
    assert env_lines(output)["PEER_GROUP_ID"] == "-1004343"


def test_write_to_an_env_others_can_open_is_refused_before_waiting(
        tmp_path: Path, api: EmulatorServer, token: str) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={token}\n")
    env_file.chmod(0o644)
    code, output = start(tmp_path, token, api.api_url, "--write").finish()
    assert code == 2, output
    assert "other users can open .env (mode 644)" in output
    assert "run `chmod 600 .env` first" in output and WAITING not in output
    assert env_file.read_text() == f"BOT_TOKEN={token}\n"


def test_a_write_that_cannot_be_made_prints_the_lines(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    """.env opened to others while setup waits: refused then, and the group found is not lost:
    the lines are printed whole, status 2."""
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={token}\n")
    env_file.chmod(0o600)
    setup = start(tmp_path, token, api.api_url, "--write")
    setup.wait_for(WAITING)
    env_file.chmod(0o644)
    in_group(emu, 2007, "Frankie").command(f"/start@{BOT_USERNAME}")
    code, output = setup.finish()
    assert code == 2, output
    assert "run `chmod 600 .env` first (nothing was written)" in output
    assert "Add these lines to .env yourself" in output
    lines = env_lines(output)
    assert lines["PEER_GROUP_ID"] == str(GROUP_ID)
    for name in ("ENCRYPTION_KEYS", "INDEX_KEY"):
        assert len(decode_key(lines[name])) == KEY_BYTES
    assert env_file.read_text() == f"BOT_TOKEN={token}\n"


def test_a_webhook_is_refused_unless_setup_may_delete_it(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    hook = urllib.request.Request(f"{api.api_url}{token}/setWebhook",
                                  data=json.dumps({"url": "https://bot.example.org/hook"}).encode(),
                                  headers={"Content-Type": "application/json"})
    urllib.request.urlopen(hook, timeout=10).close()
    code, output = start(tmp_path, token, api.api_url).finish()
    assert code == 2 and "A webhook is set for this bot" in output, output
    assert "--delete-webhook" in output
    setup = start(tmp_path, token, api.api_url, "--delete-webhook")
    setup.wait_for(WAITING)
    assert "Removed the bot's webhook" in setup.output
    in_group(emu, 2005, "Ellis").command(f"/start@{BOT_USERNAME}")
    code, output = setup.finish()
    assert code == 0, output


def test_nothing_from_a_group_in_time_is_a_clear_failure(
        tmp_path: Path, api: EmulatorServer, token: str, emu: Emulator) -> None:
    responder(emu).command("/start")  # a private chat does not count
    code, output = Setup(tmp_path, token, api.api_url, "--timeout", "2").finish(timeout=30)
    assert code == 1, output
    assert "Nothing arrived from a group within 2 seconds" in output
    assert "PEER_GROUP_ID" not in output


def test_ctrl_c_stops_it_cleanly(tmp_path: Path, api: EmulatorServer, token: str) -> None:
    setup = start(tmp_path, token, api.api_url)
    setup.wait_for(WAITING)
    setup.process.send_signal(signal.SIGINT)
    code, output = setup.finish()
    assert code == 130, output
    assert "Stopped: nothing was written." in output
    assert not (tmp_path / ".env").exists()


# --- Bot APIs the emulator cannot play ----------------------------------------------------


class _Answers(JsonAnswers):
    """Answers each Bot API method with a fixed (status, body); 401 for anything else."""

    answers: ClassVar[dict[str, tuple[int, dict[str, Any]]]] = {}

    def reply(self, method: str, body: bytes) -> Answer:
        return self.answers.get(
            method, (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}))


def _serving(answers: dict[str, tuple[int, dict[str, Any]]]) -> Iterator[str]:
    handler = type("Handler", (_Answers,), {"answers": answers})
    with handler.serving() as port:
        yield f"http://127.0.0.1:{port}/bot"


@pytest.fixture
def refusing_api() -> Iterator[str]:
    """Telegram's answer to a revoked token, to every call."""
    yield from _serving({})


@pytest.fixture
def busy_api() -> Iterator[str]:
    """A bot another program is polling for: getUpdates answers 409 Conflict."""
    me = {"id": 666, "is_bot": True, "first_name": "Peer Support", "username": BOT_USERNAME}
    yield from _serving({
        "getMe": (200, {"ok": True, "result": me}),
        "getWebhookInfo": (200, {"ok": True, "result": {"url": "", "pending_update_count": 0,
                                                        "has_custom_certificate": False}}),
        "getUpdates": (409, {"ok": False, "error_code": 409, "description": "Conflict: "
                             "terminated by other getUpdates request"}),
    })


def test_a_token_telegram_refuses_is_one_line_and_never_printed(
        tmp_path: Path, token: str, refusing_api: str) -> None:
    code, output = Setup(tmp_path, token, refusing_api).finish()
    assert code == 2, output
    assert output.strip() == ("Telegram does not accept BOT_TOKEN (revoked or mistyped?): put "
                              "the current one from BotFather in .env")


def test_a_malformed_token_is_refused_before_any_call(tmp_path: Path) -> None:
    setup = Setup(tmp_path, "123456-not-a-token", f"http://127.0.0.1:{free_port()}/bot")
    code, output = setup.finish()
    assert code == 2 and "BOT_TOKEN is malformed" in output, output


def test_an_unreachable_bot_api_is_tried_again_then_reported(tmp_path: Path,
                                                             token: str) -> None:
    code, output = Setup(tmp_path, token, f"http://127.0.0.1:{free_port()}/bot").finish(30)
    assert code == 2, output
    assert "The Bot API at 127.0.0.1 cannot be reached" in output


def test_a_running_bot_is_named_stop_it_first(tmp_path: Path, token: str,
                                              busy_api: str) -> None:
    code, output = Setup(tmp_path, token, busy_api).finish()
    assert code == 2, output
    assert "409 Conflict" in output and "Stop the bot first" in output
    assert stat.S_ISDIR(tmp_path.stat().st_mode) and not (tmp_path / ".env").exists()
