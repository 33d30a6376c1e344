"""Bad input: each gets a clear answer, and nothing else changes."""

from __future__ import annotations

import re

import pytest

from .harness import (
    GROUP_ID,
    RESPONDER_IDS,
    WAIT,
    BotProcess,
    Conversation,
    User,
    calls,
    labels,
    peer,
    quiet,
    register,
    responder,
    start_conversation,
    texts,
)

STICKER = {"file_id": "CAACAgIAAxkBAAEsticker", "file_unique_id": "AgADsticker", "width": 512,
           "height": 512, "is_animated": False, "is_video": False, "type": "regular"}


@pytest.fixture
def conversation(bot: BotProcess) -> Conversation:
    """A responder and a peer in a claimed conversation."""
    return start_conversation(bot, "Hello, is anyone there?")


def _says(person: User, pattern: str, at: int) -> str:
    """The bot's answer to `person`: their first new message (past `at`) that matches."""
    return str(person.wait_for(pattern, timeout=WAIT, after=at)["text"])


def _still_talking(c: Conversation, note: str) -> None:
    """The conversation goes on both ways after the bad input."""
    from_responder = f"Still here ({note})."
    c.responder.say(from_responder)
    c.peer.private.wait_for(rf"^{c.code}: {re.escape(from_responder)}$", timeout=WAIT)
    from_peer = f"Me too ({note})."
    c.peer.private.say(from_peer)
    c.responder.wait_for(rf"^{c.peer.alias}: {re.escape(from_peer)}$", timeout=WAIT)


def test_too_long_and_unsupported_messages_are_refused(conversation: Conversation) -> None:
    c = conversation
    peer_before = texts(c.peer.private)
    responder_before = texts(c.responder)

    at = len(c.responder.inbox())
    c.responder.say("x" * 5000)
    refusal = _says(c.responder, r"too long", at)
    assert "5000" in refusal
    assert "Nothing was sent" in refusal

    at = len(c.responder.inbox())
    c.responder.send(sticker=STICKER)
    _says(c.responder, r"can't be passed on", at)

    at = len(c.peer.private.inbox())
    c.peer.private.say("y" * 5000)
    _says(c.peer.private, r"too long", at)
    at = len(c.peer.private.inbox())
    c.peer.private.send(sticker=STICKER)
    _says(c.peer.private, r"can't be passed on", at)

    quiet()
    assert texts(c.peer.private)[:len(peer_before)] == peer_before
    new_for_peer = texts(c.peer.private)[len(peer_before):]
    assert len(new_for_peer) == 2, new_for_peer  # its own two refusals, nothing relayed
    new_for_responder = texts(c.responder)[len(responder_before):]
    assert len(new_for_responder) == 2, new_for_responder
    assert calls(c.bot.emu, "copyMessage") == []
    _still_talking(c, "after the refusals")


def test_commands_that_do_not_apply(bot: BotProcess) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    idle = responder(emu, RESPONDER_IDS[2], "Sloane", "sloane_r")
    group_before = texts(avery.group)

    at = len(idle.inbox())
    idle.command("/end")
    _says(idle, r"no open conversation", at)

    at = len(idle.inbox())
    idle.command("/close")
    _says(idle, r"for peers", at)

    at = len(idle.inbox())
    idle.command("/foo")
    _says(idle, r"don't know that command", at)

    at = len(idle.inbox())
    idle.say("Is anybody reading this?")
    idle_reply = idle.wait_for(r"hasn't been sent to anyone", timeout=WAIT, after=at)
    assert labels(idle_reply) == ["Talk to a peer", "Resources"]

    at = len(avery.private.inbox())
    avery.private.command("/foo")
    _says(avery.private, r"don't know that command", at)

    quiet()
    assert texts(avery.group) == group_before
    assert not [c for c in calls(emu, "sendMessage") if str(c["chat_id"]) == str(GROUP_ID)]
    # Nothing was opened: /end still finds nothing.
    at = len(idle.inbox())
    idle.command("/end")
    _says(idle, r"no open conversation", at)


def test_closing_someone_elses_conversation_is_refused(conversation: Conversation) -> None:
    c = conversation
    emu = c.bot.emu
    blake = register(peer(emu, 2002, "Blake"))
    card_before = texts(c.peer.group)

    at = len(blake.private.inbox())
    blake.private.command(f"/close {c.code}")
    refused = _says(blake.private, r"isn't one of your open conversations", at)
    assert c.code in refused

    # A peer with no conversation at all.
    at = len(blake.private.inbox())
    blake.private.command("/close")
    _says(blake.private, r"no open conversation", at)

    quiet()
    assert texts(c.peer.group) == card_before
    assert not [t for t in texts(c.responder) if "closed" in t]
    assert not [t for t in texts(c.peer.private) if "closed" in t or "ended" in t]
    _still_talking(c, "after Blake's /close")

    # The responder's /start still shows the same, live conversation.
    at = len(c.responder.inbox())
    c.responder.command("/start")
    _says(c.responder, rf"{c.code}: you are talking with Avery", at)
