"""Case notes end to end: a peer keeps private notes on the conversation they hold (/note,
/notes), the responder never sees them, the next peer to claim the request after a /release is
shown them with the history, the database never holds their text in the clear, and /forget
takes them with the request."""

from __future__ import annotations

import json
import re

from .harness import (
    WAIT,
    BotProcess,
    User,
    answers,
    claim,
    open_request,
    peer,
    quiet,
    register,
    responder,
    sent_to,
    shown_text,
    texts,
    wait_for_answer,
)

RESPONDER_ID = 918273702
RESPONDER_TEXT = "Tamarind lantern night on the bypass, I keep going back to it."
# Distinctive sentences, so that finding one anywhere can only mean it leaked.
NOTES = (
    "Heliotrope anvil: talked about sleep, wants the EAP number next time.",
    "Wisteria quarry: do not push on the family;\nprefers *evenings* after 6.",
)


def _note(chat: User, text: str, code: str, count: int) -> None:
    """/note TEXT in a peer's private chat, and the bot's word that it was kept."""
    at = len(chat.inbox())
    chat.command(f"/note {text}")
    saved = chat.wait_for(rf"^Note kept for {code}", timeout=WAIT, after=at)
    assert f"Notes on {code}: {count}." in saved["text"]
    assert text not in saved["text"]


def test_notes_are_the_teams_reach_the_next_peer_and_go_with_forget(bot: BotProcess) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    blair = register(peer(emu, 2002, "Blair"))
    rowan = responder(emu, RESPONDER_ID, "Rowanne", "rowanne_r")

    code = open_request(rowan, RESPONDER_TEXT)
    claim(avery, code)
    rowan.wait_for(r"Avery from the Peer Support Team has joined", timeout=WAIT)

    # Refusals first: no text, and the responder (not a peer).
    at = len(avery.private.inbox())
    avery.private.command("/note")
    usage = avery.private.wait_for(r"Write the note after the command", timeout=WAIT, after=at)
    assert "Up to 1000 characters" in usage["text"]
    at = len(rowan.inbox())
    rowan.command(f"/note {NOTES[0]}")
    rowan.wait_for(r"^This command is for peers of the Peer Support Team\.$", timeout=WAIT,
                   after=at)

    # Avery writes two notes and reads them back.
    _note(avery.private, NOTES[0], code, 1)
    _note(avery.private, NOTES[1], code, 2)
    at = len(avery.private.inbox())
    avery.private.command("/notes")
    listing = avery.private.wait_for(rf"^Private notes on {code}, for the team only",
                                     timeout=WAIT, after=at)["text"]
    assert NOTES[0] in listing and NOTES[1] in listing  # as written: no Markdown taken out
    assert listing.index(NOTES[0]) < listing.index(NOTES[1])
    assert re.search(r"\nAvery, [^\n]+:\n" + re.escape(NOTES[0]), listing), listing
    avery.private.wait_for(rf"^Notes on {code}: 2\.", timeout=WAIT, after=at)

    # Avery hands the conversation back; Blair claims it and is shown the notes, marked as the
    # team's, after the history and before the conversation goes on.
    at = len(avery.private.inbox())
    avery.private.command("/release going off shift")
    avery.private.wait_for(rf"{code} is back in the queue", timeout=WAIT, after=at)
    briefing_at = len(blair.private.inbox())
    claim(blair, code)
    briefing = texts(blair.private)[briefing_at:]
    history = briefing.index(f"{code}: {RESPONDER_TEXT}")
    [shown] = [i for i, t in enumerate(briefing) if t.startswith(
        f"The team's private notes on {code}, written by the peers who held it before you. "
        "The responder never sees them")]
    outro = next(i for i, t in enumerate(briefing) if "goes to the responder of" in t)
    assert history < shown < outro, briefing
    assert NOTES[0] in briefing[shown] and NOTES[1] in briefing[shown]
    assert "Avery, " in briefing[shown]
    rowan.wait_for(r"Blair from the Peer Support Team has joined", timeout=WAIT)
    _note(blair.private, "Picked up from Avery.", code, 3)

    # The responder never saw any of it, nor did the group.
    quiet()
    to_rowan = shown_text(sent_to(emu, RESPONDER_ID)) + json.dumps(rowan.inbox())
    to_group = json.dumps(avery.group.inbox())
    for text in (*NOTES, "Heliotrope", "Wisteria", "Picked up from Avery"):
        assert text not in to_rowan, text
        assert text not in to_group, text

    # The database holds no note in the clear (on SQLite: the file, its WAL and SHM byte for
    # byte; on PostgreSQL: every value of every table), and the audit log only the fact.
    request_id = bot.db_rows("SELECT id FROM requests WHERE code = ?", code)[0][0]
    assert bot.db_count("notes WHERE request_id = ?", request_id) == 3
    contents = bot.db_contents()
    assert b"Avery" in b"".join(contents.values())  # a control: the scan sees plain text
    for name, data in contents.items():
        for text in (*NOTES, "Heliotrope anvil", "Wisteria quarry", "Picked up from Avery"):
            assert text.encode() not in data, f"{name} holds {text!r}"
    audit = bot.db_rows("SELECT action, request_code, detail, actor_id FROM audit "
                        "WHERE action = 'note' ORDER BY id")
    assert audit == [("note", code, None, avery.id), ("note", code, None, avery.id),
                     ("note", code, None, blair.id)]

    # /forget: the responder's request goes, and its notes with it.
    at, answered = len(rowan.inbox()), len(answers(emu))
    rowan.command("/forget")
    rowan.wait_for(r"cannot be undone", timeout=WAIT, after=at)
    rowan.press(r"^Yes, delete everything$")
    rowan.wait_for(r"everything the bot kept about you has been deleted", timeout=WAIT,
                   after=at)
    wait_for_answer(emu, r"^Deleted\.$", after=answered)
    blair.private.wait_for(rf"^Conversation {code} has ended\.$", timeout=WAIT)
    assert bot.db_count("notes") == 0
    assert bot.db_count("requests WHERE id = ?", request_id) == 0
    at = len(blair.private.inbox())
    blair.private.command("/notes")
    blair.private.wait_for(r"You have no open conversation", timeout=WAIT, after=at)

    assert bot.stop() == 0
    for name, data in bot.db_contents().items():
        for text in (*NOTES, "Heliotrope anvil", "Picked up from Avery"):
            assert text.encode() not in data, f"{name} holds {text!r} after /forget"

    # The log names the request code and the fact, never a note's text.
    log = bot.log_text()
    assert f"request {code}: a case note was written" in log
    for text in (*NOTES, "Heliotrope", "Wisteria", "Picked up from Avery"):
        assert text not in log, text
