"""A peer's side: closing a conversation, aliases, and several conversations at once."""

from __future__ import annotations

import re

from .harness import (
    RESPONDER_IDS,
    WAIT,
    BotProcess,
    Peer,
    User,
    claim,
    labels,
    open_request,
    peer,
    quiet,
    register,
    responder,
    texts,
)


def test_peer_closes_the_conversation(bot: BotProcess) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    marlowe = responder(emu)
    code = open_request(marlowe, "Can we talk about last week?")
    claim(avery, code)

    at = len(avery.private.inbox())
    avery.private.command("/close")
    avery.private.wait_for(rf"Conversation {code} is closed", timeout=WAIT, after=at)
    told = marlowe.wait_for(r"Avery has closed this conversation", timeout=WAIT)
    assert labels(told) == ["1", "2", "3", "4", "5", "Skip"]
    avery.group.wait_for(r"Conversation closed", timeout=WAIT)

    at = len(marlowe.inbox())
    marlowe.press(r"^Skip$")
    marlowe.wait_for(r"^No problem\. Take care of yourself\.$", timeout=WAIT, after=at)

    # Neither side's messages go anywhere now.
    at = len(marlowe.inbox())
    marlowe.say("One more thing.")
    marlowe.wait_for(r"hasn't been sent to anyone", timeout=WAIT, after=at)
    at = len(avery.private.inbox())
    avery.private.say("Are you still there?")
    avery.private.wait_for(r"no open conversation", timeout=WAIT, after=at)
    quiet()
    assert not [t for t in texts(avery.private) if "One more thing" in t]
    assert not [t for t in texts(marlowe) if "still there" in t]


def test_alias_rules(bot: BotProcess) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    for bad in ("@avery_real", "https://example.org", "1234", "x" * 33, "call 555-0100 now",
                "Dr Smith 988"):
        at = len(avery.private.inbox())
        avery.private.command(f"/alias {bad}")
        avery.private.wait_for(r"can't be used", timeout=WAIT, after=at)
    for reserved in ("Peer Support Team", "peer support", "Coordinator"):
        at = len(avery.private.inbox())
        avery.private.command(f"/alias {reserved}")
        avery.private.wait_for(r"could be mistaken for the bot", timeout=WAIT, after=at)
    blake = register(peer(emu, 2002, "Blake"))
    at = len(avery.private.inbox())
    avery.private.command("/alias blake")  # another peer's alias, whatever its case
    avery.private.wait_for(r"Another peer is already called blake", timeout=WAIT, after=at)
    at = len(blake.private.inbox())
    blake.private.command("/alias Blake")  # one's own alias again is fine
    blake.private.wait_for(r"responders will now see you as Blake", timeout=WAIT, after=at)
    at = len(avery.private.inbox())
    avery.private.command("/alias")
    avery.private.wait_for(r"Responders see you as Avery\.", timeout=WAIT, after=at)

    outsider_responder = responder(emu, RESPONDER_IDS[3], "Tamsin", "tamsin_r")
    at = len(outsider_responder.inbox())
    outsider_responder.command("/alias Tamsin")
    outsider_responder.wait_for(r"for peers", timeout=WAIT, after=at)


def _three_conversations(bot: BotProcess) -> tuple[Peer, list[User], list[str]]:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    people = [responder(emu, RESPONDER_IDS[i], f"Resp{'ABC'[i]}", None) for i in range(3)]
    codes = []
    for person in people:
        code = open_request(person, f"Hello from {person.first_name}.")
        claim(avery, code)
        codes.append(code)
    return avery, people, codes


def test_switch_chooses_where_a_peers_messages_go(bot: BotProcess) -> None:
    avery, people, codes = _three_conversations(bot)

    # By default, the latest claimed conversation.
    avery.private.say("To the latest.")
    people[2].wait_for(r"^Avery: To the latest\.$", timeout=WAIT)

    at = len(avery.private.inbox())
    avery.private.command("/switch")
    usage = avery.private.wait_for(r"/switch CODE", timeout=WAIT, after=at)
    assert all(code in usage["text"] for code in codes)

    at = len(avery.private.inbox())
    avery.private.command("/switch R-0000")
    avery.private.wait_for(r"R-0000 isn't one of your open conversations", timeout=WAIT,
                           after=at)

    at = len(avery.private.inbox())
    avery.private.command(f"/switch {codes[0].lower()}")
    avery.private.wait_for(rf"now go to {codes[0]}", timeout=WAIT, after=at)
    avery.private.say("To the first.")
    people[0].wait_for(r"^Avery: To the first\.$", timeout=WAIT)
    quiet()
    assert not [t for t in texts(people[1]) + texts(people[2]) if "To the first" in t]


def test_ending_another_conversation_keeps_the_peers_choice(bot: BotProcess) -> None:
    avery, people, codes = _three_conversations(bot)
    at = len(avery.private.inbox())
    avery.private.command(f"/switch {codes[0]}")
    avery.private.wait_for(rf"now go to {codes[0]}", timeout=WAIT, after=at)

    # The responder of the second conversation (not the current one) ends it.
    at = len(avery.private.inbox())
    people[1].command("/end")
    avery.private.wait_for(rf"ended conversation {codes[1]}", timeout=WAIT, after=at)
    quiet()

    meant_for_first = "Meant for the first responder only."
    avery.private.say(meant_for_first)
    quiet()
    assert not [t for t in texts(people[2]) if meant_for_first in t], (
        f"a message meant for {codes[0]} reached the responder of {codes[2]}")
    people[0].wait_for(rf"^Avery: {re.escape(meant_for_first)}$", timeout=WAIT)


def test_a_long_free_text_agency_says_there_is_no_list(bot: BotProcess) -> None:
    """No AGENCIES configured: a 500-character /agency is refused with the real reason, not
    "Choose one of: any name."."""
    avery = register(peer(bot.emu, 2001, "Avery"))
    at = len(avery.private.inbox())
    avery.private.command("/agency " + "Metro " * 100)
    refused = avery.private.wait_for(r"No agencies are configured", timeout=WAIT, after=at)
    assert "at most 40 characters" in refused["text"]
    assert "Choose one of" not in refused["text"]
