"""Forgetting and keys, end to end: /forget, the retention purge (`python -m bot purge`) and
key rotation (`python -m bot rotate-keys`) on the real bot process and its database files.

The database is read from outside (sqlite3, or psycopg under E2E_DATABASE=postgres), as an
operator (or someone holding a copy of the files) would; the blind index and key ids are
computed here from the keys in the environment, and each such computation is first checked
against data that must match it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from .harness import (
    WAIT,
    BotProcess,
    Peer,
    User,
    answers,
    callback_data,
    decode_key,
    forge_press,
    generate_keys,
    labels,
    open_request,
    peer,
    quiet,
    register,
    responder,
    texts,
    wait_for_answer,
)

# Responder ids no other test uses (inside the harness's non-member range, so /start never
# registers them as peers), and peers 2009, 2011-2013.
OTTILIE_ID = 918273646
THADDEUS_ID = 918273647
PERPETUA_ID = 918273648
CASIMIR_ID = 918273649
LEOCADIA_ID = 918273650
BARNABY_ID = 918273651
CRESSIDA_ID = 918273652

# Distinctive sentences, so that finding one anywhere can only mean it was kept.
FORGET_TEXTS = (
    "Xylophone heron briefing after the tannery fire keeps me awake.",
    "Periwinkle gondola dispatch tapes, I listened to them again.",
    "Still here, the cobalt marionette feeling has not gone.",
)
FORGET_PEER_TEXT = "Juniper kettle: that sounds heavy. What helps you wind down?"
OLD_TEXTS = (
    "Ochre windmill call from last spring, finally ready to talk.",
    "Lavender trombone shift, thanks for listening.",
)
RECENT_TEXT = "Sepia bicycle question, never mind for now."
WAITING_TEXTS = (
    "Marzipan lighthouse overtime is wearing me down.",
    "Also the indigo accordion thing with my sergeant.",
)
ROTATION_TEXTS = (
    "Cinnabar walrus night on the interstate, cannot stop thinking.",
    "Chartreuse harpsichord debrief never happened.",
    "After the key change: tourmaline pelican, still here.",
)
ROTATION_WAITING_TEXTS = (
    "Amber zeppelin feelings since the flood call.",
    "Vantablack origami, I mean the funeral, was hard.",
)
ROTATION_CLOSED_TEXT = "Mauve gazebo, forget it, I am fine."

# Every sealed column, as the README and the schema describe them.
SEALED_COLUMNS = (
    ("requests", "responder_chat"),
    ("requests", "intake"),
    ("messages", "body"),
    ("inbox", "body"),
    ("outbox", "chat"),
    ("outbox", "payload"),
    ("languages", "language"),
)


# --- The database, from outside -----------------------------------------------------------


def _rows(bot: BotProcess, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return bot.db_rows(sql, *params)


def _count(bot: BotProcess, where: str, *params: Any) -> int:
    return bot.db_count(where, *params)


def _execute(bot: BotProcess, sql: str, *params: Any) -> int:
    return bot.db_execute(sql, *params)


def _request_id(bot: BotProcess, code: str) -> str:
    found = _rows(bot, "SELECT id FROM requests WHERE code = ?", code)
    assert len(found) == 1, f"request {code} is not in the database"
    return str(found[0][0])


def _files(bot: BotProcess) -> bytes:
    """The database, its WAL and SHM, as they are on disk now (on PostgreSQL: every row)."""
    return b"".join(bot.db_contents().values())


def _blind_index(bot: BotProcess, kind: str, value: int) -> str:
    """The keyed HMAC the bot stores instead of a Telegram id (kind "responder" or "chat")."""
    key = decode_key(bot.keys["INDEX_KEY"])
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _key_id(key: str) -> bytes:
    """The 4-byte fingerprint a sealed value carries after its version byte."""
    return hashlib.sha256(b"peer-support key id" + decode_key(key)).digest()[:4]


def _sealed_key_ids(bot: BotProcess) -> dict[bytes, int]:
    """How many sealed values (non-empty) name each key id, over every sealed column."""
    found: dict[bytes, int] = {}
    for table, column in SEALED_COLUMNS:
        for (value,) in _rows(bot, f"SELECT {column} FROM {table} WHERE length({column}) > 0"):
            kid = bytes(value)[1:5]
            found[kid] = found.get(kid, 0) + 1
    return found


def _cli(bot: BotProcess, command: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot COMMAND` in the bot's folder, with its environment (and `overrides`)."""
    return subprocess.run([sys.executable, "-m", "bot", command], cwd=bot.workdir,
                          env={**bot.env, **overrides}, capture_output=True, text=True,
                          timeout=60, check=False)


# --- People ---------------------------------------------------------------------------------


def _claim(person: Peer, code: str, first: str) -> None:
    """Press Claim on the card of `code` (by its own button, whatever else the group shows)
    and wait for the first message in private."""
    card = person.group.wait_for(rf"Request {code}", timeout=WAIT)
    forge_press(person.private.emu, person.group, callback_data(card, "Claim"),
                message_id=card["message_id"], text=card["text"])
    person.private.wait_for(rf"You have claimed {code}", timeout=WAIT)
    person.private.wait_for(rf"^{code}: {re.escape(first)}$", timeout=WAIT)


def _peer_says(person: Peer, to: User, text: str) -> None:
    at = len(to.inbox())
    person.private.say(text)
    to.wait_for(rf"^{re.escape(person.alias)}: {re.escape(text)}$", timeout=WAIT, after=at)


def _responder_says(person: User, to: Peer, code: str, text: str) -> None:
    at = len(to.private.inbox())
    person.say(text)
    to.private.wait_for(rf"^{code}: {re.escape(text)}$", timeout=WAIT, after=at)


def _end(person: User, pattern: str) -> None:
    at = len(person.inbox())
    person.command("/end")
    person.wait_for(pattern, timeout=WAIT, after=at)


# --- /forget --------------------------------------------------------------------------------


def test_forget_erases_the_responder_and_tells_the_peer_only_that_it_ended(
        bot: BotProcess) -> None:
    emu = bot.emu
    quinn = register(peer(emu, 2009, "Quinn"))
    ottilie = responder(emu, OTTILIE_ID, "Ottilie", "ottilie_q")
    code = open_request(ottilie, FORGET_TEXTS[0])
    _claim(quinn, code, FORGET_TEXTS[0])
    ottilie.wait_for(r"^Quinn from the Peer Support Team has joined\.$", timeout=WAIT)
    _peer_says(quinn, ottilie, FORGET_PEER_TEXT)
    _responder_says(ottilie, quinn, code, FORGET_TEXTS[1])

    request_id = _request_id(bot, code)
    index = _blind_index(bot, "responder", OTTILIE_ID)
    chat_key = _blind_index(bot, "chat", OTTILIE_ID)
    # Controls: the index and chat key are computed as the bot does, and the scan sees them.
    assert _count(bot, "requests WHERE responder_index = ? AND code = ?", index, code) == 1
    assert _count(bot, "outbox WHERE chat_key = ?", chat_key) > 0
    assert index.encode() in _files(bot)
    assert _count(bot, "messages WHERE request_id = ?", request_id) == 3

    # Cancel: nothing is deleted and the conversation goes on.
    at, answered = len(ottilie.inbox()), len(answers(emu))
    ottilie.command("/forget")
    confirm = ottilie.wait_for(r"cannot be undone", timeout=WAIT, after=at)
    assert labels(confirm) == ["Yes, delete everything", "Cancel"]
    ottilie.press(r"^Cancel$")
    wait_for_answer(emu, r"^Nothing was deleted\.$", after=answered)
    _responder_says(ottilie, quinn, code, FORGET_TEXTS[2])
    _peer_says(quinn, ottilie, "Still with you.")
    assert _count(bot, "requests WHERE id = ? AND state = 'claimed'", request_id) == 1
    assert _count(bot, "messages WHERE request_id = ?", request_id) == 5
    assert not [t for t in texts(quinn.private) if "ended" in t]

    # Confirm: the responder is told it is done, the peer that the conversation ended.
    peer_at, group_at = len(quinn.private.inbox()), len(quinn.group.inbox())
    at, answered = len(ottilie.inbox()), len(answers(emu))
    ottilie.command("/forget")
    ottilie.wait_for(r"cannot be undone", timeout=WAIT, after=at)
    ottilie.press(r"^Yes, delete everything$")
    ottilie.wait_for(r"everything the bot kept about you has been deleted", timeout=WAIT,
                     after=at)
    wait_for_answer(emu, r"^Deleted\.$", after=answered)
    quinn.private.wait_for(rf"^Conversation {code} has ended\.$", timeout=WAIT, after=peer_at)
    quiet()  # anything else the peer would be sent has been sent by now
    told_peer = texts(quinn.private)[peer_at:]
    assert told_peer == [f"Conversation {code} has ended."], told_peer
    card_edits = [m["text"] for m in quinn.group.inbox() if code in (m["text"] or "")]
    assert card_edits and card_edits[-1].endswith("Conversation closed."), card_edits
    assert len(quinn.group.inbox()) == group_at, "no new group message about it"

    # Nothing in the database refers to the request or the responder any more, and the
    # index is gone from the database file and its WAL.
    assert _count(bot, "requests WHERE code = ? OR id = ?", code, request_id) == 0
    assert _count(bot, "requests WHERE responder_index = ?", index) == 0
    for table in ("messages", "feedback", "notices"):
        assert _count(bot, f"{table} WHERE request_id = ?", request_id) == 0, table
    assert _count(bot, "outbox WHERE chat_key = ?", chat_key) == 0
    running = bot.db_contents()
    for name, data in running.items():
        for needle in (index, chat_key, *FORGET_TEXTS, "Ottilie", "ottilie_q", str(OTTILIE_ID)):
            assert needle.encode() not in data, f"{name} holds {needle!r} after /forget"

    # The peer has no conversation now; the responder starts afresh.
    at = len(quinn.private.inbox())
    quinn.private.say("Are you still there?")
    quinn.private.wait_for(r"no open conversation", timeout=WAIT, after=at)
    at = len(ottilie.inbox())
    ottilie.command("/start")
    welcome = ottilie.wait_for(r"confidential", timeout=WAIT, after=at)
    assert "already have an open request" not in welcome["text"]
    assert labels(welcome) == ["Talk to a peer", "Resources"]

    assert bot.stop() == 0
    stopped = bot.db_contents()
    for name, data in stopped.items():
        for needle in (index, *FORGET_TEXTS, str(OTTILIE_ID)):
            assert needle.encode() not in data, f"{name} holds {needle!r} after the stop"
    assert _count(bot, "requests WHERE code = ?", code) == 0
    assert _count(bot, "messages WHERE request_id = ?", request_id) == 0


# --- Retention ------------------------------------------------------------------------------


def test_purge_command_empties_old_closed_conversations_and_keeps_the_rest(
        bot: BotProcess) -> None:
    emu = bot.emu
    rhiannon = register(peer(emu, 2011, "Rhiannon"))
    thaddeus = responder(emu, THADDEUS_ID, "Thaddeus", "thad_q")
    perpetua = responder(emu, PERPETUA_ID, "Perpetua", "perp_q")
    casimir = responder(emu, CASIMIR_ID, "Casimir", "casi_q")

    # An old conversation: claimed, talked, ended (its end is moved 31 days back below).
    old_code = open_request(thaddeus, OLD_TEXTS[0])
    _claim(rhiannon, old_code, OLD_TEXTS[0])
    _peer_says(rhiannon, thaddeus, "I'm glad you wrote.")
    _responder_says(thaddeus, rhiannon, old_code, OLD_TEXTS[1])
    _end(thaddeus, r"conversation has ended")
    rhiannon.private.wait_for(rf"responder has ended conversation {old_code}", timeout=WAIT)
    # A conversation closed just now: inside the retention period.
    recent_code = open_request(perpetua, RECENT_TEXT)
    _end(perpetua, rf"request {recent_code} is closed")
    # A request still open, waiting for a peer, with two messages.
    waiting_code = open_request(casimir, WAITING_TEXTS[0])
    at = len(casimir.inbox())
    casimir.say(WAITING_TEXTS[1])
    casimir.wait_for(r"Saved for your peer", timeout=WAIT, after=at)

    old_id, recent_id, waiting_id = (_request_id(bot, c)
                                     for c in (old_code, recent_code, waiting_code))
    old_index = _blind_index(bot, "responder", THADDEUS_ID)
    assert _count(bot, "requests WHERE id = ? AND responder_index = ?", old_id, old_index) == 1
    before = {rid: _count(bot, "messages WHERE request_id = ?", rid)
              for rid in (old_id, recent_id, waiting_id)}
    assert before == {old_id: 3, recent_id: 1, waiting_id: 2}
    # Sent outbox rows are kept a day; those made for the old request name it (the control).
    linked = "outbox WHERE purpose_request LIKE ? OR row_key LIKE ?"
    assert _count(bot, linked, f"%{old_id}%", f"%{old_id}%") > 0

    # The bot is stopped; the old conversation's end is put 31 days back, as time would.
    assert bot.stop() == 0
    assert _execute(bot, "UPDATE requests SET closed_at = closed_at - 31 * 86400 "
                         "WHERE id = ? AND state = 'closed'", old_id) == 1

    purged = _cli(bot, "purge")
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout.strip() == ("Purged the content of 1 conversation(s) closed more "
                                     "than 30 days ago."), purged.stdout
    assert "Traceback" not in purged.stderr

    # The old conversation's content and every link to its responder are gone...
    assert old_index.encode() not in _files(bot)
    assert _count(bot, "messages WHERE request_id = ?", old_id) == 0
    assert _count(bot, "notices WHERE request_id = ?", old_id) == 0
    assert _count(bot, linked, f"%{old_id}%", f"%{old_id}%") == 0  # nor its outbox rows
    bare = _rows(bot, "SELECT code, state, responder_index, length(responder_chat) "
                      "FROM requests WHERE id = ?", old_id)
    assert bare == [(old_code, "closed", f"purged:{old_id}", 0)]
    # ...the rest is untouched.
    assert _count(bot, "messages WHERE request_id = ?", recent_id) == 1
    assert _count(bot, "messages WHERE request_id = ?", waiting_id) == 2
    for code, rid, person in ((recent_code, recent_id, PERPETUA_ID),
                              (waiting_code, waiting_id, CASIMIR_ID)):
        index = _blind_index(bot, "responder", person)
        assert _count(bot, "requests WHERE id = ? AND responder_index = ? "
                           "AND length(responder_chat) > 0", rid, index) == 1, code

    again = _cli(bot, "purge")
    assert again.returncode == 0, again.stderr
    assert "Purged the content of 0 conversation(s)" in again.stdout

    # The bot starts on the purged database; the waiting request is whole.
    bot.start()
    _claim(rhiannon, waiting_code, WAITING_TEXTS[0])
    summary = rhiannon.private.wait_for(rf"You have claimed {waiting_code}", timeout=WAIT)
    assert "2 messages so far" in summary["text"]
    rhiannon.private.wait_for(rf"^{waiting_code}: {re.escape(WAITING_TEXTS[1])}$",
                              timeout=WAIT)
    _peer_says(rhiannon, casimir, "Hi, I'm here now.")
    # The purged conversation's responder starts afresh.
    at = len(thaddeus.inbox())
    thaddeus.command("/start")
    welcome = thaddeus.wait_for(r"confidential", timeout=WAIT, after=at)
    assert "already have an open request" not in welcome["text"]


# --- Key rotation ---------------------------------------------------------------------------


def test_rotate_keys_on_a_populated_database(bot: BotProcess, tmp_path: Path) -> None:
    emu = bot.emu
    ines = register(peer(emu, 2012, "Ines"))
    jules = register(peer(emu, 2013, "Jules"))
    leocadia = responder(emu, LEOCADIA_ID, "Leocadia", "leo_q")
    barnaby = responder(emu, BARNABY_ID, "Barnaby", "barn_q")
    cressida = responder(emu, CRESSIDA_ID, "Cressida", "cress_q")

    # A claimed conversation, a request waiting with two messages, a closed one.
    talking = open_request(leocadia, ROTATION_TEXTS[0])
    _claim(ines, talking, ROTATION_TEXTS[0])
    _peer_says(ines, leocadia, "I'm listening.")
    _responder_says(leocadia, ines, talking, ROTATION_TEXTS[1])
    waiting = open_request(barnaby, ROTATION_WAITING_TEXTS[0])
    at = len(barnaby.inbox())
    barnaby.say(ROTATION_WAITING_TEXTS[1])
    barnaby.wait_for(r"Saved for your peer", timeout=WAIT, after=at)
    closed = open_request(cressida, ROTATION_CLOSED_TEXT)
    _end(cressida, rf"request {closed} is closed")
    assert bot.stop() == 0

    old = bot.keys["ENCRYPTION_KEYS"]
    keys_dir = tmp_path / "new-keys"
    keys_dir.mkdir()
    new = generate_keys(keys_dir)["ENCRYPTION_KEYS"]
    assert new != old and "," not in old
    sealed = _sealed_key_ids(bot)
    total = sum(sealed.values())
    assert sealed == {_key_id(old): total} and total >= 10, "everything is under the old key"

    # Only the new key, before rotating: every value is reported as unreadable, none skipped
    # silently, nothing is changed, and the exit status says so.
    early = _cli(bot, "rotate-keys", ENCRYPTION_KEYS=new)
    assert early.returncode == 1, early.stdout + early.stderr
    assert "Re-encrypted 0 value(s)" in early.stdout
    assert f"under no listed key: {total} value(s)" in early.stdout, early.stdout
    unreadable = {m.group(2): int(m.group(1)) for m in re.finditer(
        r"NOT READABLE with any listed key: (\d+) value\(s\) in (\S+)", early.stdout)}
    assert sum(unreadable.values()) == total, early.stdout
    assert unreadable.get("messages.body") == _count(bot, "messages")
    assert unreadable.get("requests.intake") == 3
    assert "Keep every key" in early.stdout
    assert _sealed_key_ids(bot) == {_key_id(old): total}

    # New key first, old one after: everything is re-sealed under the new one.
    rotated = _cli(bot, "rotate-keys", ENCRYPTION_KEYS=f"{new},{old}")
    assert rotated.returncode == 0, rotated.stdout + rotated.stderr
    assert f"Re-encrypted {total} value(s) under key 1" in rotated.stdout, rotated.stdout
    assert f"key 1: {total} value(s) now (before: 0)" in rotated.stdout
    assert f"key 2: 0 value(s) now (before: {total})" in rotated.stdout
    assert "NOT READABLE" not in rotated.stdout
    assert "No value needs an older key now" in rotated.stdout
    assert _sealed_key_ids(bot) == {_key_id(new): total}

    # With the new key alone, nothing is left to do.
    after = _cli(bot, "rotate-keys", ENCRYPTION_KEYS=new)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "Re-encrypted 0 value(s)" in after.stdout
    assert f"key 1: {total} value(s) now (before: {total})" in after.stdout

    # The bot runs with only the new key: the conversation goes on, the history is readable.
    bot.keys = {**bot.keys, "ENCRYPTION_KEYS": new}
    log_before = len(bot.log_text())
    bot.start()
    _responder_says(leocadia, ines, talking, ROTATION_TEXTS[2])
    _peer_says(ines, leocadia, "Glad you came back to it.")
    at = len(leocadia.inbox())
    leocadia.command("/start")
    leocadia.wait_for(rf"already have an open request,? {talking}: you are talking with Ines",
                      timeout=WAIT, after=at)
    _claim(jules, waiting, ROTATION_WAITING_TEXTS[0])
    summary = jules.private.wait_for(rf"You have claimed {waiting}", timeout=WAIT)
    assert "2 messages so far" in summary["text"]
    jules.private.wait_for(rf"^{waiting}: {re.escape(ROTATION_WAITING_TEXTS[1])}$",
                           timeout=WAIT)
    _peer_says(jules, barnaby, "Hello, Jules here.")
    _responder_says(barnaby, jules, waiting, "Thanks for picking this up.")

    # And once more from a cold start with only the new key: no error anywhere.
    assert bot.stop() == 0
    bot.start()
    _responder_says(leocadia, ines, talking, "One more after the restart.")
    assert bot.stop() == 0
    log = bot.log_text()[log_before:]
    problems = [line for line in log.splitlines()
                if " ERROR " in line or " CRITICAL " in line or "Traceback" in line
                or "Decryption" in line]
    assert problems == []
    assert _sealed_key_ids(bot).keys() == {_key_id(new)}


def test_rotate_keys_while_the_bot_runs_as_the_readme_describes(bot: BotProcess,
                                                                tmp_path: Path) -> None:
    """New key first and restart, rotate with the bot running, drop the old key and restart:
    the conversation never notices."""
    emu = bot.emu
    ines = register(peer(emu, 2012, "Ines"))
    leocadia = responder(emu, LEOCADIA_ID, "Leocadia", "leo_q")
    talking = open_request(leocadia, ROTATION_TEXTS[0])
    _claim(ines, talking, ROTATION_TEXTS[0])
    _responder_says(leocadia, ines, talking, ROTATION_TEXTS[1])
    old = bot.keys["ENCRYPTION_KEYS"]
    keys_dir = tmp_path / "new-keys"
    keys_dir.mkdir()
    new = generate_keys(keys_dir)["ENCRYPTION_KEYS"]

    # 1. ENCRYPTION_KEYS=new,old and a restart: new values are sealed with the new key.
    assert bot.stop() == 0
    bot.keys = {**bot.keys, "ENCRYPTION_KEYS": f"{new},{old}"}
    bot.start()
    _peer_says(ines, leocadia, "Back after a short break on our side.")
    _responder_says(leocadia, ines, talking, ROTATION_TEXTS[2])
    mixed = _sealed_key_ids(bot)
    assert mixed.keys() == {_key_id(new), _key_id(old)}, "both keys in use before rotating"

    # 2. rotate-keys with the bot running.
    rotated = _cli(bot, "rotate-keys")
    assert rotated.returncode == 0, rotated.stdout + rotated.stderr
    assert re.search(r"key 2: 0 value\(s\) now \(before: [1-9]\d*\)", rotated.stdout), (
        rotated.stdout)
    assert "No value needs an older key now" in rotated.stdout
    _responder_says(leocadia, ines, talking, "Did that go through?")
    _peer_says(ines, leocadia, "It did.")

    # 3. The old key removed, a restart: the conversation and its history carry on.
    assert bot.stop() == 0
    assert _sealed_key_ids(bot).keys() == {_key_id(new)}
    bot.keys = {**bot.keys, "ENCRYPTION_KEYS": new}
    bot.start()
    _responder_says(leocadia, ines, talking, "And after the old key is gone?")
    _peer_says(ines, leocadia, "Still here.")
    at = len(leocadia.inbox())
    leocadia.command("/start")
    leocadia.wait_for(rf"already have an open request,? {talking}: you are talking with Ines",
                      timeout=WAIT, after=at)


def test_a_delete_button_nobody_was_shown_erases_nothing(bot: BotProcess) -> None:
    """A pressed forget:yes with no /forget before it (a modified client can send any
    callback data), and the real button pressed by someone else: nothing is erased."""
    emu = bot.emu
    cressida = responder(emu, CRESSIDA_ID, "Cressida", "cressida_q")
    code = open_request(cressida, "Just checking how this works.")
    at = len(answers(emu))
    forge_press(emu, cressida, "forget:yes")
    wait_for_answer(emu, r"no longer valid, so nothing was deleted", after=at)
    at = len(cressida.inbox())
    cressida.command("/forget")
    prompt = cressida.wait_for(r"cannot be undone", timeout=WAIT, after=at)
    data = callback_data(prompt, "Yes, delete everything")
    barnaby = responder(emu, BARNABY_ID, "Barnaby", "barnaby_q")
    at = len(answers(emu))
    forge_press(emu, barnaby, data, message_id=prompt["message_id"])
    wait_for_answer(emu, r"no longer valid", after=at)
    quiet()
    assert _count(bot, "requests WHERE code = ?", code) == 1
    cressida.press(r"^Yes, delete everything$")  # her own prompt, in time: erased
    cressida.wait_for(r"has been deleted", timeout=WAIT)
    assert _count(bot, "requests WHERE code = ?", code) == 0
