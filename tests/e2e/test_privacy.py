"""Privacy: nobody on the team learns who the responder is, and nothing they wrote is kept or
logged in the clear."""

from __future__ import annotations

import json
import re
from typing import Any

from .harness import (
    GROUP_ID,
    WAIT,
    BotProcess,
    calls,
    open_request,
    peer,
    register,
    responder,
    wait_until,
)

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
    rated_at = len(zeb.inbox())
    zeb.press(r"^5$")
    zeb.wait_for(r"^Thank you\. Your answer is anonymous\.$", timeout=WAIT, after=rated_at)

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

    # The database, its WAL and SHM (on PostgreSQL: every row of every table): while running
    # and after a clean stop.
    forbidden = (*ALL_TEXTS, str(ZEB_ID), ZEB_FIRST_NAME, ZEB_USERNAME)
    running = bot.db_contents()
    # A control: the scan does see plain text (the peer's alias is not secret, and is there).
    assert b"Harper" in b"".join(running.values())
    for name, data in running.items():
        assert _in_clear(data, forbidden) == [], f"{name} while the bot runs"
    assert bot.stop() == 0
    stopped = bot.db_contents()
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


# --- The whole flow, logged at DEBUG ----------------------------------------------------------

YOLA_ID = 918273701
YOLA_FIRST_NAME = "Yolanthe"
YOLA_USERNAME = "yola_hidden_handle"
COORDINATOR_ID = 4301
FLOW_TEXTS = (
    "Cobalt gramophone dream again, I can't do this anymore, I want to end it.",
    "Periwinkle harbour lights were on when the call came in.",
    "Juniper kettle whistle made me jump at work today.",
)
FLOW_PEER_TEXT = "Marigold compass: we will take this one step at a time."
RELEASE_REASON = "Sassafras shift change at eight"


def test_the_whole_flow_at_debug_logs_no_text_id_name_or_token(start_bot: Any) -> None:
    """Every feature a responder, a peer and a coordinator touch, with LOG_LEVEL=DEBUG: the
    log (httpx, telegram, aiosqlite, apscheduler and the bot's own) holds none of it."""
    bot: BotProcess = start_bot(COORDINATOR_IDS=str(COORDINATOR_ID))
    emu = bot.emu
    kai = register(peer(emu, 2014, "Kai"))
    kai.private.command("/oncall")
    kai.private.wait_for(r"on call", timeout=WAIT)
    coordinator = emu.user(COORDINATOR_ID, "Coordinator")
    yola = responder(emu, YOLA_ID, YOLA_FIRST_NAME, YOLA_USERNAME)

    yola.command("/resources")
    yola.wait_for(r"Crisis lines", timeout=WAIT)
    yola.press(r"^Clinician directory$")
    wait_until(lambda: any("page 1 of" in (m["text"] or "") for m in yola.inbox()),
               "the directory page")
    code = open_request(yola, FLOW_TEXTS[0])  # flagged by the crisis screen
    yola.wait_for(r"Thank you for telling us", timeout=WAIT)
    wait_until(lambda: any(code in (m["text"] or "") and "URGENT" in (m["text"] or "")
                           for m in emu.bot_messages(COORDINATOR_ID)),
               "the coordinators' alert")
    kai.group.wait_for(rf"URGENT.*{code}", timeout=WAIT)
    kai.group.press(r"^Claim$")
    kai.private.wait_for(re.escape(FLOW_TEXTS[0]), timeout=WAIT)

    kai.private.say(FLOW_PEER_TEXT)
    yola.wait_for(re.escape(FLOW_PEER_TEXT), timeout=WAIT)
    yola.say(FLOW_TEXTS[1])
    kai.private.wait_for(re.escape(FLOW_TEXTS[1]), timeout=WAIT)

    at = len(kai.private.inbox())
    kai.private.command("/refer")
    kai.private.wait_for(r"What would you like to suggest", timeout=WAIT, after=at)
    kai.private.press(r"^EXAMPLE Trauma Clinic")
    yola.wait_for(r"Kai thought this could help", timeout=WAIT)
    yola.press(r"^Yes, help me contact them$")
    kai.private.wait_for(rf"{code} would like your help", timeout=WAIT)
    kai.private.command("/concern")
    kai.private.wait_for(r"coordinators have been told", timeout=WAIT)

    at = len(kai.group.inbox())
    kai.private.command(f"/release {RELEASE_REASON}")
    kai.private.wait_for(rf"{code} is back in the queue|back in the queue", timeout=WAIT)
    kai.group.wait_for(rf"{code}", timeout=WAIT, after=at)
    kai.group.press(r"^Claim$")
    kai.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT)
    yola.say(FLOW_TEXTS[2])
    kai.private.wait_for(re.escape(FLOW_TEXTS[2]), timeout=WAIT)
    kai.private.command("/close")
    yola.wait_for(r"has closed this conversation", timeout=WAIT)

    yola.command("/forget")
    yola.press(r"delete everything")
    yola.wait_for(r"deleted", timeout=WAIT)
    wait_until(lambda: "a responder was forgotten" in bot.log_text(), "the erasure")

    assert bot.stop() == 0
    log = bot.log_text()
    # Controls: the log is at DEBUG and covers the flow, so finding nothing means something.
    assert " DEBUG " in log and f"request {code} opened" in log
    assert "the crisis screen flagged a message" in log and "a referral was sent" in log
    secret = bot.token.split(":", 1)[1]
    needles = (*FLOW_TEXTS, FLOW_PEER_TEXT, RELEASE_REASON, str(YOLA_ID), YOLA_FIRST_NAME,
               YOLA_USERNAME, bot.token, secret)
    for needle in needles:
        assert needle not in log, f"the log holds {needle!r}"
    assert coordinator.inbox()  # the coordinator was reached, and (above) nothing leaked
