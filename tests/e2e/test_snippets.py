"""Saved replies against the emulator: an agency's own SNIPPETS_FILE, /snippets for the peer
holding a conversation, a tap that reaches the responder signed with the peer's alias (and is
kept sealed like a typed message), a press by someone else; and a bad file that stops the bot
with one line naming SNIPPETS_FILE."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .harness import (
    GROUP_ID,
    WAIT,
    StartBot,
    answers,
    callback_data,
    forge_press,
    labels,
    message_by_id,
    minimal_env,
    new_token,
    peer,
    register,
    start_conversation,
    texts,
    wait_for_answer,
    wait_until,
)

UNUSED_API = "http://127.0.0.1:9/bot"  # for runs that must stop before reaching Telegram

AGENCY_SNIPPETS = """\
[[snippets]]
name = { en = "Breathe with me", es = "Respira conmigo" }
text = { en = "Let's take one slow breath together before we go on.", es = "Respiremos despacio." }

[[snippets]]
name = "Coffee after shift"
text = "Whenever you want, I'd be glad to grab a coffee after shift and talk."
"""
BREATHE = "Let's take one slow breath together before we go on."


def test_a_peer_sends_a_saved_reply_signed_with_their_alias(start_bot: StartBot,
                                                            tmp_path: Path) -> None:
    snippets = tmp_path / "agency-snippets.toml"
    snippets.write_text(AGENCY_SNIPPETS, encoding="utf-8")
    bot = start_bot(SNIPPETS_FILE=str(snippets))
    c = start_conversation(bot, "Hard week, can't switch off.")
    avery, marlowe = c.peer, c.responder

    at = len(avery.private.inbox())
    avery.private.command("/snippets")
    picker = avery.private.wait_for(rf"^Saved replies for {c.code}\.", timeout=WAIT, after=at)
    assert labels(picker) == ["Breathe with me", "Coffee after shift"]

    # Someone else pressing that button (a forged press from another peer) sends nothing.
    kit = register(peer(bot.emu, 2002, "Kit"))
    before = len(answers(bot.emu))
    forge_press(bot.emu, kit.private, callback_data(picker, "Breathe with me"),
                picker["message_id"])
    wait_for_answer(bot.emu, r"^This conversation is not yours", after=before)

    avery.private.press(r"^Breathe with me$")
    marlowe.wait_for(rf"^Avery: {re.escape(BREATHE)}$", timeout=WAIT)
    wait_until(lambda: message_by_id(avery.private, picker["message_id"])["text"] == (
        f"Sent to {c.code}, signed Avery:\n\n{BREATHE}"), "the picker to show what was sent")
    assert not labels(message_by_id(avery.private, picker["message_id"]))

    # Kept like a typed message: sealed, under the peer's alias (no plain text in storage).
    assert bot.stop() == 0
    assert bot.db_count("messages WHERE sender = ?", "peer") == 1
    assert BREATHE.encode() not in b"".join(bot.db_contents().values())
    assert [t for t in texts(marlowe) if t.startswith("Avery: ")] == [f"Avery: {BREATHE}"]
    assert "Kit: " not in "".join(texts(marlowe))


@pytest.mark.parametrize(("contents", "reason"), [
    ('[[snippets]]\nname = "Hi"\ntext = { es = "Hola" }\n',
     r"SNIPPETS_FILE \[\[snippets\]\] entry 1 \('Hi'\) has no text in en"),
    ('[[snippets]\nname = "Hi"\n', r"SNIPPETS_FILE is not valid TOML"),
])
def test_a_bad_snippets_file_stops_the_bot_with_one_line(tmp_path: Path,
                                                         bot_keys: dict[str, str],
                                                         contents: str, reason: str) -> None:
    broken = tmp_path / "broken-snippets.toml"
    broken.write_text(contents, encoding="utf-8")
    settings = {"BOT_TOKEN": new_token(), "PEER_GROUP_ID": str(GROUP_ID), **bot_keys,
                "TELEGRAM_API_BASE_URL": UNUSED_API,
                "DATABASE_PATH": str(tmp_path / "data" / "peer_support.db"),
                "SNIPPETS_FILE": str(broken)}
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path,
                            env=minimal_env(**settings), capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 2, result
    problems = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(problems) == 1, result.stderr
    assert re.search(reason, problems[0]), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists(), "nothing is created with a broken snippets file"
