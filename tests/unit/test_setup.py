"""`python -m bot setup`, its pure parts: which update names the peer group, the `.env` lines
an operator is given, `--write`, and the wait that leaves other people's messages to the bot."""

from __future__ import annotations

import json
import stat
import time
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot
from telegram.request import BaseRequest, RequestData

from bot import setup
from bot.platform.settings import (
    EXAMPLE_TOKEN,
    KEY_BYTES,
    decode_key,
    load_environment,
    load_settings,
)
from bot.setup import (
    Group,
    SetupError,
    append_to_env,
    env_lines,
    group_in,
    group_in_batch,
    token_problem,
    write_problem,
)

TOKEN = "123456:ABC-def_ghi"
NOW = int(time.time())
AVERY = {"id": 2001, "is_bot": False, "first_name": "Avery"}
GROUP_CHAT = {"id": -1001, "type": "supergroup", "title": "Peer Support Team"}
BASIC = {"id": -4242, "type": "group", "title": "Peers"}
UPGRADED = {"id": -1004242, "type": "supergroup", "title": "Peers"}


def message(chat: dict[str, Any], sender: dict[str, Any] | None = AVERY, update_id: int = 1,
            **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"message_id": 7, "date": NOW, "chat": chat, **fields}
    if sender is not None:
        body["from"] = sender
    return {"update_id": update_id, "message": body}


def membership(chat: dict[str, Any], status: str, update_id: int = 1) -> dict[str, Any]:
    bot_user = {"id": 666, "is_bot": True, "first_name": "Peer Support"}
    return {"update_id": update_id, "my_chat_member": {
        "chat": chat, "from": AVERY, "date": NOW,
        "old_chat_member": {"status": "left", "user": bot_user},
        "new_chat_member": {"status": status, "user": bot_user}}}


def private(user_id: int, update_id: int) -> dict[str, Any]:
    chat = {"id": user_id, "type": "private", "first_name": "Someone"}
    return message(chat, {"id": user_id, "is_bot": False, "first_name": "Someone"}, update_id,
                   text="/start")


# --- The token -----------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "said"), [
    ("", "BOT_TOKEN is not set"),
    (EXAMPLE_TOKEN, "still the example"),
    ("123456-ABCdef-secret", "malformed"),
    ("123456:ABC def", "malformed"),
])
def test_a_token_of_the_wrong_form_is_one_line_that_never_quotes_it(token: str,
                                                                    said: str) -> None:
    problem = token_problem(token)
    assert problem is not None and said in problem
    assert "\n" not in problem
    for secret in (token, token.partition(":")[2]):
        assert not secret or secret not in problem


def test_a_token_of_the_right_form_passes() -> None:
    assert token_problem(TOKEN) is None


# --- Which update names the group ----------------------------------------------------------


def test_a_command_in_the_group_names_it_and_who_wrote() -> None:
    found = group_in(message(GROUP_CHAT, text="/start@PeerTestBot"))
    assert found == Group(-1001, "Peer Support Team", "supergroup", 2001)


def test_a_basic_group_counts_too() -> None:
    chat = {"id": -4242, "type": "group", "title": "Peers"}
    assert group_in(message(chat, text="/start@PeerTestBot")) == Group(-4242, "Peers", "group",
                                                                       2001)


@pytest.mark.parametrize("update", [
    private(918273601, 1),
    message({"id": -1002, "type": "channel", "title": "News"}, None, text="hello"),
    {"update_id": 1, "edited_message": message(GROUP_CHAT)["message"]},
    {"update_id": 1, "callback_query": {"id": "1", "from": AVERY, "data": "claim"}},
    {"update_id": 1},
])
def test_private_chats_channels_and_other_kinds_name_no_group(update: dict[str, Any]) -> None:
    assert group_in(update) is None


def test_an_upgrade_to_a_supergroup_gives_the_new_id_and_the_old_one() -> None:
    """Said in the old group as it goes: the id to use is the supergroup's."""
    old = {"id": -4242, "type": "group", "title": "Peers"}
    found = group_in(message(old, migrate_to_chat_id=-1009999))
    assert found == Group(-1009999, "Peers", "supergroup", 2001, old_id=-4242)


def test_the_new_supergroup_says_where_it_came_from() -> None:
    found = group_in(message(GROUP_CHAT, migrate_from_chat_id=-4242))
    assert found is not None and (found.chat_id, found.old_id) == (-1001, -4242)


def upgrade(update_id: int) -> list[dict[str, Any]]:
    """What Telegram sends when BASIC becomes UPGRADED: a service message in each."""
    return [message(BASIC, update_id=update_id, migrate_to_chat_id=UPGRADED["id"]),
            message(UPGRADED, update_id=update_id + 1, migrate_from_chat_id=BASIC["id"])]


@pytest.mark.parametrize("batch", [
    [membership(BASIC, "member", 1), *upgrade(2)],
    [membership(BASIC, "member", 1), upgrade(2)[0]],  # only the old group's side
    [membership(BASIC, "member", 1), upgrade(2)[1]],  # only the new group's side
    [message(BASIC, text="/start@PeerTestBot"), private(918273601, 2), *upgrade(3),
     message(UPGRADED, update_id=5, text="/start@PeerTestBot")],
])
def test_a_basic_group_upgraded_later_in_the_batch_is_named_by_its_new_id(
        batch: list[dict[str, Any]]) -> None:
    """The bot added to the basic group, then the upgrade: the basic group's id is dead."""
    assert group_in_batch(batch) == Group(-1004242, "Peers", "supergroup", 2001, old_id=-4242)


def test_another_groups_upgrade_changes_nothing() -> None:
    other = {"id": -5151, "type": "group", "title": "Other"}
    batch = [membership(BASIC, "member", 1),
             message(other, update_id=2, migrate_to_chat_id=-1005151)]
    assert group_in_batch(batch) == Group(-4242, "Peers", "group", 2001)


def test_upgrades_that_loop_end() -> None:
    """Nonsense from the API (an id upgraded to itself, or in a circle) cannot hang setup."""
    batch = [membership(BASIC, "member", 1),
             message(BASIC, update_id=2, migrate_to_chat_id=-1004242),
             message(UPGRADED, update_id=3, migrate_to_chat_id=-4242)]
    found = group_in_batch(batch)
    assert found is not None and found.chat_id == -1004242


def test_an_old_upgrade_is_still_followed() -> None:
    """An upgrade is a fact whatever its date: only which group is taken depends on it."""
    stale = [{**update, "message": {**update["message"], "date": NOW - 3600}}
             for update in upgrade(1)]
    batch = [*stale, message(BASIC, update_id=3, text="/start@PeerTestBot")]
    found = group_in_batch(batch, since=NOW - 600)
    assert found is not None and (found.chat_id, found.old_id) == (-1004242, -4242)


@pytest.mark.parametrize("status", ["member", "administrator"])
def test_being_added_to_a_group_names_it_and_who_added_the_bot(status: str) -> None:
    assert group_in(membership(GROUP_CHAT, status)) == Group(-1001, "Peer Support Team",
                                                             "supergroup", 2001)


@pytest.mark.parametrize("status", ["left", "kicked"])
def test_being_removed_from_a_group_names_no_group(status: str) -> None:
    assert group_in(membership(GROUP_CHAT, status)) is None


def test_a_person_blocking_the_bot_in_private_names_no_group() -> None:
    assert group_in(membership({"id": 2001, "type": "private"}, "kicked")) is None


def test_an_anonymous_admin_gives_the_group_but_no_coordinator() -> None:
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
    found = group_in(message(GROUP_CHAT, anonymous, text="/start@PeerTestBot"))
    assert found is not None and found.sender_id is None
    assert not any(line.startswith("COORDINATOR_IDS") for line in env_lines(found))


def test_an_update_older_than_the_window_is_not_taken() -> None:
    """A group the bot joined long ago (a test) is not taken for the peer group."""
    old = message(GROUP_CHAT, date=NOW - 3600, text="/start@PeerTestBot")
    assert group_in(old, since=NOW - 600) is None
    assert group_in(message(GROUP_CHAT, text="hi"), since=NOW - 600) is not None


# --- The lines for .env --------------------------------------------------------------------


def values(lines: list[str]) -> dict[str, str]:
    return dict(line.split("=", 1) for line in lines if not line.startswith("#"))


def test_fresh_lines_are_a_configuration_the_bot_accepts(tmp_path: Path) -> None:
    lines = env_lines(Group(-1001, "Peer Support Team", "supergroup", 2001))
    found = values(lines)
    assert list(found) == ["PEER_GROUP_ID", "ENCRYPTION_KEYS", "INDEX_KEY", "COORDINATOR_IDS"]
    assert found["PEER_GROUP_ID"] == "-1001" and found["COORDINATOR_IDS"] == "2001"
    assert len(decode_key(found["ENCRYPTION_KEYS"])) == KEY_BYTES
    assert found["ENCRYPTION_KEYS"] != found["INDEX_KEY"]
    assert "list every coordinator" in lines[lines.index("COORDINATOR_IDS=2001") - 1]
    settings = load_settings({"BOT_TOKEN": TOKEN, **found,
                              "DATABASE_PATH": str(tmp_path / "data" / "bot.db")})
    assert settings.peer_group_id == -1001 and settings.coordinator_ids == {2001}
    assert settings.encryption_keys == (decode_key(found["ENCRYPTION_KEYS"]),)


def test_new_keys_every_time() -> None:
    group = Group(-1001, "Peers", "supergroup", 2001)
    assert values(env_lines(group))["INDEX_KEY"] != values(env_lines(group))["INDEX_KEY"]


@pytest.mark.parametrize("already", [["ENCRYPTION_KEYS"], ["INDEX_KEY"],
                                     ["ENCRYPTION_KEYS", "INDEX_KEY"]])
def test_keys_already_set_are_kept_no_new_ones_given(already: list[str]) -> None:
    lines = env_lines(Group(-1001, "Peers", "supergroup", 2001), already)
    assert list(values(lines)) == ["PEER_GROUP_ID", "COORDINATOR_IDS"]


def test_coordinators_already_set_are_left_alone() -> None:
    lines = env_lines(Group(-1001, "Peers", "supergroup", 2001), ["COORDINATOR_IDS"])
    assert "COORDINATOR_IDS" not in values(lines)


def test_with_write_the_keys_are_not_shown() -> None:
    assert setup.shown("INDEX_KEY=abc") == "INDEX_KEY=(a new key)"
    assert setup.shown("PEER_GROUP_ID=-1001") == "PEER_GROUP_ID=-1001"


# --- --write -------------------------------------------------------------------------------


def test_write_creates_a_private_env_the_bot_reads(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    lines = env_lines(Group(-1001, "Peers", "supergroup", 2001))
    append_to_env(env_file, lines)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    read = load_environment(env_file)
    assert {name: read[name] for name in values(lines)} == values(lines)


def test_write_appends_after_the_token_and_the_empty_lines_of_the_example(
        tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={TOKEN}\nPEER_GROUP_ID=\nENCRYPTION_KEYS=")  # no newline
    env_file.chmod(0o600)
    append_to_env(env_file, ["PEER_GROUP_ID=-1001", "ENCRYPTION_KEYS=abc"])
    read = load_environment(env_file)
    assert (read["BOT_TOKEN"], read["PEER_GROUP_ID"], read["ENCRYPTION_KEYS"]) == (
        TOKEN, "-1001", "abc")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_write_refuses_a_file_others_can_open(tmp_path: Path, mode: int) -> None:
    """New keys are never added to a file other users can read: chmod 600 first."""
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={TOKEN}\n")
    env_file.chmod(mode)
    with pytest.raises(SetupError, match=rf"other users can open .*\(mode {mode:o}\).*"
                                         rf"`chmod 600 {env_file}` first \(nothing was written\)"):
        append_to_env(env_file, env_lines(Group(-1001, "Peers", "supergroup", 2001)))
    assert env_file.read_text() == f"BOT_TOKEN={TOKEN}\n"
    assert stat.S_IMODE(env_file.stat().st_mode) == mode  # not changed behind the operator


def test_what_write_would_meet_is_known_before_waiting(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    assert write_problem(env_file) is None  # created 0600
    env_file.write_text(f"BOT_TOKEN={TOKEN}\n")
    env_file.chmod(0o600)
    assert write_problem(env_file) is None
    env_file.chmod(0o644)
    assert "`chmod 600" in (write_problem(env_file) or "")
    folder = tmp_path / "folder.env"
    folder.mkdir()
    assert write_problem(folder) == f"{folder} is not a file"


def test_write_never_adds_a_second_value(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PEER_GROUP_ID=-1005\n")
    with pytest.raises(SetupError, match="already sets PEER_GROUP_ID: nothing was written"):
        append_to_env(env_file, ["PEER_GROUP_ID=-1001", "INDEX_KEY=abc"])
    assert env_file.read_text() == "PEER_GROUP_ID=-1005\n"


FOUND = Group(-1001, "Peers", "supergroup", 2001)


@pytest.mark.parametrize("where", ["not_a_folder", "shared"])
def test_a_write_that_fails_prints_the_lines_instead(tmp_path: Path, where: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The group found is not lost to a traceback: the lines, keys and all, and status 2."""
    if where == "not_a_folder":  # as a read-only folder or a permission denied would
        (tmp_path / "file").write_text("")
        env_file = tmp_path / "file" / ".env"
        said = f"Could not write to {env_file} (Not a directory)."
    else:
        env_file = tmp_path / ".env"
        said = f"run `chmod 600 {env_file}` first (nothing was written)."
        env_file.write_text(f"BOT_TOKEN={TOKEN}\n")
        env_file.chmod(0o644)
    lines = env_lines(FOUND)
    assert setup.report(FOUND, lines, [], write_to=env_file) == setup.EXIT_CONFIG
    out, err = capsys.readouterr()
    assert said in err
    assert "\n".join(lines) in out  # ENCRYPTION_KEYS and INDEX_KEY themselves
    assert f"Add these lines to {env_file} yourself" in out
    assert "Appended" not in out
    assert where == "not_a_folder" or env_file.read_text() == f"BOT_TOKEN={TOKEN}\n"


def test_a_write_that_works_hides_the_keys(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    env_file = tmp_path / ".env"
    lines = env_lines(FOUND)
    assert setup.report(FOUND, lines, [], write_to=env_file) == setup.EXIT_FOUND
    out, err = capsys.readouterr()
    assert f"Appended to {env_file}" in out and "INDEX_KEY=(a new key)" in out
    assert values(lines)["INDEX_KEY"] not in out and not err


def test_write_to_a_shared_env_is_refused_before_waiting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Refused at once, so nobody adds the bot to the group for nothing."""
    env_file = tmp_path / ".env"
    env_file.write_text(f"BOT_TOKEN={TOKEN}\n")
    env_file.chmod(0o644)
    monkeypatch.setattr(setup, "ENV_FILE", env_file)
    for name in ("BOT_TOKEN", "TELEGRAM_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)

    def no_bot(*_: object) -> Bot:
        raise AssertionError("setup went on to Telegram")

    monkeypatch.setattr(setup, "make_bot", no_bot)
    assert setup.main(["--write"]) == setup.EXIT_CONFIG
    err = capsys.readouterr().err
    assert f"`chmod 600 {env_file}` first" in err and "Nothing was done" in err


# --- Waiting: other people's messages stay for the bot -------------------------------------


class Answers(BaseRequest):
    """getMe, then getUpdates answered from a queue (an empty list once it runs out); every
    getUpdates' parameters are kept. getChat answers `chat` (status, body): by default, that
    the chat is there; the chats asked about are kept."""

    def __init__(self, *batches: list[dict[str, Any]],
                 chat: tuple[int, dict[str, Any]] | None = None) -> None:
        self.batches = deque(batches)
        self.polls: list[dict[str, Any]] = []
        self.chat = chat
        self.chats_asked: list[int] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        result: Any = True
        if endpoint == "getMe":
            result = {"id": 666, "is_bot": True, "first_name": "Peer Support",
                      "username": "PeerTestBot"}
        elif endpoint == "getUpdates":
            self.polls.append(request_data.parameters if request_data else {})
            result = self.batches.popleft() if self.batches else []
        elif endpoint == "getChat":
            self.chats_asked.append(int((request_data.parameters if request_data else {})
                                        ["chat_id"]))
            if self.chat is not None:
                return self.chat[0], json.dumps(self.chat[1]).encode()
            result = {"id": self.chats_asked[-1], "type": "group", "title": "Peers"}
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def wait(answers: Answers, seconds: float = 5.0) -> Group:
    bot = Bot(TOKEN, request=answers, get_updates_request=answers)
    await bot.initialize()
    try:
        return await setup.wait_for_group(bot, seconds)
    finally:
        await bot.shutdown()


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup, "PENDING_PAUSE", 0.0)
    monkeypatch.setattr(setup, "SETTLE_SECONDS", 0.05)
    monkeypatch.setattr(setup, "SETTLE_LOOK", 0.01)


async def test_private_messages_waiting_are_never_confirmed() -> None:
    """Someone who wrote to the bot before it was set up is answered once it starts."""
    early = [private(918273601, 10), private(918273602, 11)]
    answers = Answers(early, early, [*early, message(GROUP_CHAT, update_id=12)])
    found = await wait(answers)
    assert found.chat_id == -1001
    assert [poll.get("offset") for poll in answers.polls] == [None, None, None]
    assert answers.polls[0]["allowed_updates"] == ["message", "my_chat_member"]


async def test_a_full_batch_of_private_messages_is_passed_over() -> None:
    """Otherwise the group's message, behind 100 others, would never be reached."""
    full = [private(918273601, 100 + n) for n in range(setup.BATCH)]
    answers = Answers(full, [message(GROUP_CHAT, update_id=200)])
    assert (await wait(answers)).chat_id == -1001
    assert answers.polls[1]["offset"] == 100 + setup.BATCH


async def test_nothing_from_a_group_in_time_is_a_clear_failure() -> None:
    with pytest.raises(SetupError, match=r"Nothing arrived from a group within 1 seconds"
                                         r".*/start@PeerTestBot") as caught:
        await wait(Answers([private(918273601, 1)]), seconds=1)
    assert caught.value.code == setup.EXIT_TIMED_OUT


async def test_an_upgrade_in_the_same_batch_gives_the_new_id_at_once() -> None:
    answers = Answers([private(918273601, 1), membership(BASIC, "member", 2), *upgrade(3)])
    found = await wait(answers)
    assert (found.chat_id, found.old_id) == (-1004242, -4242)
    assert len(answers.polls) == 1


async def test_a_basic_group_is_looked_at_again_for_an_upgrade_right_after() -> None:
    """Added, then made an admin (which can upgrade the group): the next look has it."""
    added = [membership(BASIC, "member", 1)]
    answers = Answers(added, [*added, *upgrade(2)])
    found = await wait(answers)
    assert (found.chat_id, found.kind, found.old_id) == (-1004242, "supergroup", -4242)
    assert [poll.get("offset") for poll in answers.polls] == [None, None]  # none confirmed
    assert answers.polls[1]["timeout"] == 0  # a look, not a wait


async def test_a_basic_group_that_stays_one_is_given_as_it_is() -> None:
    added = [membership(BASIC, "member", 1)]
    answers = Answers(added, added)
    found = await wait(answers)
    assert found == Group(-4242, "Peers", "group", 2001)
    assert answers.chats_asked == [-4242]  # and Telegram says that id is alive


async def test_a_basic_group_upgraded_seconds_after_it_was_found_gives_the_new_id(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The bot made an admin a few seconds after the group was found (which upgrades it):
    setup keeps watching, says why it waits, and never prints the dead basic-group id."""
    monkeypatch.setattr(setup, "SETTLE_SECONDS", 2.0)
    monkeypatch.setattr(setup, "SETTLE_LOOK", 0.1)
    added = [membership(BASIC, "member", 1)]
    answers = Answers(*[added] * 8, [*added, *upgrade(2)])  # the upgrade at the 8th look
    found = await wait(answers)
    assert (found.chat_id, found.kind, found.old_id) == (-1004242, "supergroup", -4242)
    assert [poll.get("offset") for poll in answers.polls] == [None] * 9  # none confirmed
    said = capsys.readouterr().out
    assert 'Found the basic group "Peers"; checking the group is settled (up to 2 seconds' \
        in said


async def test_an_upgrade_setup_did_not_see_is_found_by_asking_telegram() -> None:
    """The upgrade's messages never came (or came after the watch): getChat on the dead id
    answers with the supergroup's (ChatMigrated); any other failure leaves the id found."""
    added = [membership(BASIC, "member", 1)]
    migrated = (400, {"ok": False, "error_code": 400,
                      "description": "Bad Request: group chat was upgraded to a supergroup chat",
                      "parameters": {"migrate_to_chat_id": -1004242}})
    answers = Answers(added, chat=migrated)
    found = await wait(answers)
    assert found == Group(-1004242, "Peers", "supergroup", 2001, old_id=-4242)
    assert answers.chats_asked == [-4242]
    not_found = (400, {"ok": False, "error_code": 400,
                       "description": "Bad Request: chat not found"})
    assert await wait(Answers(added, chat=not_found)) == Group(-4242, "Peers", "group", 2001)
