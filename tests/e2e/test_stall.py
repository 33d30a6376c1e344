"""issue 15, item 2: the Bot API stalls (the emulator's process paused, as on a dead link) while
a responder and a peer write to each other. Every message ends delivered, or named by its first
words to whoever wrote it, in one notice per person for the stall, with a Send again button
that sends it once; nothing is lost without its writer being told, nothing is repeated by
itself.

The emulator answers each call 300 ms late (TGEMU_LATENCY_MS), as a real link does, so that
the pause catches relays mid-call. python-telegram-bot's default read timeout is 5 s (the bot
sets none for its sends), so a pause of STALL_SECONDS leaves about two relays each way timed
out, their fate unknown: they may arrive when the emulator wakes (then the notice's "may not
have reached" was the honest answer), and are never repeated blindly.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator

import pytest

from .harness import (
    BotProcess,
    EmulatorServer,
    User,
    answers,
    buttons,
    calls,
    forge_press,
    quiet,
    running_emulator,
    start_conversation,
    texts,
    wait_for_answer,
    wait_until,
)

STALL_SECONDS = 12  # a little over two of python-telegram-bot's 5 s read timeouts
LINES = 6  # messages each side writes as the stall begins
TO_PEER = "may not have reached your peer"
TO_RESPONDER = "may not have reached the responder of"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """This module's own emulator, answering every call 300 ms late."""
    with running_emulator(tmp_path_factory.mktemp("slow"), TGEMU_LATENCY_MS="300") as server:
        yield server


def _relays_in_flight(bot: BotProcess) -> int:
    """How many chats have a relayed message on its way (sent, not answered yet)."""
    rows = bot.db_rows("SELECT COUNT(DISTINCT chat_key) FROM outbox "
                       "WHERE relayed = 1 AND state = 'sending'")
    return int(rows[0][0])


def _notices(person: User, marker: str) -> list[dict[str, object]]:
    """The bot's notices in this chat naming messages that may not have arrived."""
    return [m for m in person.inbox() if marker in (m["text"] or "")]


def _accounted(received: list[str], notices: list[dict[str, object]],
               written: list[str]) -> bool:
    named = " ".join(str(n["text"]) for n in notices)
    return all(line in received or f"“{line}”" in named for line in written)


def test_a_stall_ends_in_delivery_or_one_notice_with_send_again(
        bot: BotProcess, api: EmulatorServer) -> None:
    emu = bot.emu
    c = start_conversation(bot, "Before the stall.")
    avery, marlowe, code = c.peer, c.responder, c.code

    from_responder = [f"Responder line {n} as the link went down." for n in range(LINES)]
    from_peer = [f"Peer line {n} as the link went down." for n in range(LINES)]
    for mine, theirs in zip(from_responder, from_peer, strict=True):
        marlowe.say(mine)
        avery.private.say(theirs)
    wait_until(lambda: _relays_in_flight(bot) == 2, "a relay each way to be under way")
    os.kill(api.pid, signal.SIGSTOP)  # every Bot API call now hangs, as on a dead link
    try:
        time.sleep(STALL_SECONDS)
    finally:
        os.kill(api.pid, signal.SIGCONT)

    def peer_got() -> list[str]:
        return [t.removeprefix(f"{code}: ") for t in texts(avery.private)]

    def responder_got() -> list[str]:
        return [t.removeprefix("Avery: ") for t in texts(marlowe)]

    wait_until(lambda: _accounted(peer_got(), _notices(marlowe, TO_PEER), from_responder)
               and _accounted(responder_got(), _notices(avery.private, TO_RESPONDER),
                              from_peer),
               "every message delivered or named to its writer", timeout=60)
    quiet()
    time.sleep(3)  # longer than a notice collects for: no second one follows

    # One notice each for the stall, naming what may not have arrived; nothing repeated.
    [to_marlowe] = _notices(marlowe, TO_PEER)
    [to_avery] = _notices(avery.private, TO_RESPONDER)
    assert code in str(to_avery["text"])
    named: dict[str, list[str]] = {}
    for side, notice, written, got in (("responder", to_marlowe, from_responder, peer_got()),
                                       ("peer", to_avery, from_peer, responder_got())):
        named[side] = [line for line in written if f"“{line}”" in str(notice["text"])]
        assert named[side], notice  # the stall caught at least the message under way
        assert all(got.count(line) <= 1 for line in written), got
        assert all(line in got for line in written if line not in named[side])
        assert len(buttons(notice)) == len(named[side])
        assert all(re.fullmatch(r"again:[0-9a-f]{16}", b["callback_data"])
                   for b in buttons(notice))
    journal = [c for c in calls(emu, "sendMessage") if c.get("text")]
    for line in from_responder:  # tried once each, never repeated by the bot itself
        assert sum(c["text"] == f"{code}: {line}" for c in journal) <= 1

    # Send again: the first named message goes once more, once.
    first, line = buttons(to_marlowe)[0], named["responder"][0]
    before = peer_got().count(line)
    said = len(answers(emu))
    marlowe.press(rf"^{re.escape(first['text'])}$")
    wait_for_answer(emu, r"^Sent again\.$", after=said)
    wait_until(lambda: peer_got().count(line) == before + 1, "the message sent again")
    said = len(answers(emu))
    forge_press(emu, marlowe, first["callback_data"],
                message_id=int(str(to_marlowe["message_id"])))
    wait_for_answer(emu, r"sent again already", after=said)
    # Only its writer can: the peer pressing the responder's button sends nothing.
    said = len(answers(emu))
    forge_press(emu, avery.private, buttons(to_marlowe)[-1]["callback_data"])
    wait_for_answer(emu, r"Only the person who wrote this message", after=said)
    quiet()
    assert peer_got().count(line) == before + 1
    assert all(peer_got().count(other) <= 1 for other in named["responder"][1:])
