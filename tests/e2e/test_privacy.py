"""Privacy: nobody on the team learns who the responder is, and nothing they wrote is kept or
logged in the clear."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .harness import (
    GROUP_ID,
    WAIT,
    BotProcess,
    answers,
    calls,
    open_request,
    peer,
    register,
    responder,
    wait_for_answer,
    wait_until,
)

pytestmark = pytest.mark.e2e

ZEB_ID = 918273645
ZEB_FIRST_NAME = "Zebulon"
ZEB_USERNAME = "zeb_secret"

# Distinctive sentences, so that finding one anywhere can only mean it leaked.
RESPONDER_TEXTS = (
    "Quillfeather marmalade incident at station nineteen still bothers me.",
    "Vermilion porcupines never answered the radio that night.",
)
RESPONDER_CAPTION = "Obsidian lantern photo from the overpass."
PEER_TEXTS = (
    "Tangerine albatross protocol: breathe in for four, out for six.",
    "Saffron typewriter debrief tomorrow, if you want company.",
)
ALL_TEXTS = (*RESPONDER_TEXTS, RESPONDER_CAPTION, *PEER_TEXTS)


def _identity_leaks(blob: str) -> list[str]:
    """Whatever in `blob` could tell a peer who the responder is."""
    lowered = blob.lower()
    found = [n for n in (ZEB_FIRST_NAME, ZEB_USERNAME) if n.lower() in lowered]
    found += [s for s in (str(ZEB_ID), "tg://user") if s in blob]
    return found


def _in_clear(data: bytes, forbidden: tuple[str, ...]) -> list[str]:
    return [s for s in forbidden if s.encode("utf-8") in data]


def test_responder_identity_and_words_stay_private(bot: BotProcess) -> None:
    emu = bot.emu
    harper = register(peer(emu, 2008, "Harper"))
    zeb = responder(emu, ZEB_ID, ZEB_FIRST_NAME, ZEB_USERNAME)

    code = open_request(zeb, RESPONDER_TEXTS[0])
    harper.group.wait_for(rf"Request {code}", timeout=WAIT)
    harper.group.press(r"^Claim$")
    harper.private.wait_for(rf"^{code}: {re.escape(RESPONDER_TEXTS[0])}$", timeout=WAIT)
    zeb.wait_for(r"Harper from the Peer Support Team has joined", timeout=WAIT)

    harper.private.say(PEER_TEXTS[0])
    zeb.wait_for(re.escape(PEER_TEXTS[0]), timeout=WAIT)
    zeb.say(RESPONDER_TEXTS[1])
    harper.private.wait_for(re.escape(RESPONDER_TEXTS[1]), timeout=WAIT)
    zeb.send(photo=[{"file_id": "AgADzebphoto", "file_unique_id": "AQADzeb", "width": 800,
                     "height": 600}], caption=RESPONDER_CAPTION)
    wait_until(lambda: bool(calls(emu, "copyMessage")), "the photo to be copied")
    harper.private.say(PEER_TEXTS[1])
    zeb.wait_for(re.escape(PEER_TEXTS[1]), timeout=WAIT)

    at = len(zeb.inbox())
    zeb.command("/end")
    zeb.wait_for(r"conversation has ended", timeout=WAIT, after=at)
    harper.private.wait_for(rf"responder has ended conversation {code}", timeout=WAIT)
    rated_at = len(answers(emu))
    zeb.press(r"^5$")
    wait_for_answer(emu, r"Thank you", after=rated_at)

    team_chats = {str(GROUP_ID), str(harper.id)}

    # What the bot sent into the group and the peer's chat, edits and copies included.
    sent = [c for c in emu.journal() if str(c.get("chat_id")) in team_chats]
    assert {c["method"] for c in sent} >= {"sendMessage", "editMessageText", "copyMessage"}
    for call in sent:
        shown = json.dumps([call.get("text"), call.get("caption"), call.get("reply_markup")])
        assert _identity_leaks(shown) == [], call

    # The same chats as the emulator saw them. A copy is recorded as "[copy of message N from
    # CHAT]": that is the emulator's bookkeeping, not what the peer sees (checked above).
    seen: list[dict[str, Any]] = []
    for item in emu.history():
        message = item.get("message") or {}
        if str(message.get("chat_id")) in team_chats:
            seen.append(message)
    assert seen
    for message in seen:
        if str(message.get("text", "")).startswith("[copy of message"):
            continue
        assert _identity_leaks(json.dumps(message)) == [], message

    # The database, its WAL and SHM: while running and after a clean stop.
    forbidden = (*ALL_TEXTS, str(ZEB_ID), ZEB_FIRST_NAME, ZEB_USERNAME)
    running = bot.db_bytes()
    assert bot.db_path.name in running
    # A control: the scan does see plain text (the peer's alias is not secret, and is there).
    assert b"Harper" in b"".join(running.values())
    for name, data in running.items():
        assert _in_clear(data, forbidden) == [], f"{name} while the bot runs"
    assert bot.stop() == 0
    stopped = bot.db_bytes()
    assert b"Harper" in b"".join(stopped.values())
    for name, data in stopped.items():
        assert _in_clear(data, forbidden) == [], f"{name} after the bot stopped"

    # The log, at DEBUG.
    log = bot.log_text()
    assert "Application started" in log
    assert f"request {code} opened" in log
    secret = bot.token.split(":", 1)[1]
    for needle in (*ALL_TEXTS, str(ZEB_ID), bot.token, secret, ZEB_FIRST_NAME, ZEB_USERNAME):
        assert needle not in log, f"the log holds {needle!r}"
