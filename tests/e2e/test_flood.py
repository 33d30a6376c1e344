"""Telegram's flood limits and a dead network, against the emulator: a burst of 60 requests
within a minute with TGEMU_FLOOD=1 (20 messages a minute into a group, 30 a second overall),
and the Bot API unreachable for 30 seconds mid-conversation."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest

from .harness import (
    CODE,
    GROUP_ID,
    RESPONDER_IDS,
    WAIT,
    BotProcess,
    EmulatorServer,
    User,
    buttons,
    forge_press,
    message_by_id,
    open_request,
    peer,
    quiet,
    register,
    responder,
    running_emulator,
    texts,
    wait_until,
)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """This module's own emulator, with Telegram's flood limits (TGEMU_FLOOD=1)."""
    with running_emulator(tmp_path_factory.mktemp("flood"), TGEMU_FLOOD="1") as server:
        yield server


@pytest.fixture
def logged_errors_fail() -> bool:
    """Here a bot fails a test by its exit code only."""
    return False


def test_a_burst_of_sixty_requests_loses_nothing(bot: BotProcess) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    avery.private.command("/oncall 1h")
    avery.private.wait_for(r"You are on call until", timeout=WAIT)
    people = [responder(emu, user_id, f"Burst{n}")
              for n, user_id in enumerate(RESPONDER_IDS[:60])]
    assert len(people) == 60
    started = time.monotonic()
    for n, person in enumerate(people):
        forge_press(emu, person, "talk")  # the "Talk to a peer" button, without waiting
        person.say(f"Message number {n} from the burst.")
        time.sleep(max(0.0, started + n * 0.9 - time.monotonic()))  # 60 within a minute

    def acknowledged() -> int:
        return sum(any(re.search(rf"Your request {CODE}", t) for t in texts(p)) for p in people)

    wait_until(lambda: acknowledged() == 60, "every responder to be acknowledged", timeout=90)
    codes = {re.search(CODE, next(t for t in texts(p) if "Your request" in t)).group(0)  # type: ignore[union-attr]
             for p in people}
    assert len(codes) == 60

    def visible_in_group() -> set[str]:
        shown: set[str] = set()
        for message in emu.bot_messages(GROUP_ID):
            if message["reply_markup"]:  # a live card, or the digest with its Claim buttons
                shown |= set(re.findall(CODE, message["text"] or ""))
        return shown

    wait_until(lambda: visible_in_group() == codes, "every request to be claimable in the group",
               timeout=90)
    notices = " ".join(texts(avery.private))
    assert all(code in notices for code in codes)  # private notices kept flowing

    journal = emu.journal()
    refused = [c for c in journal if c["status"] == 429]
    group_sends = [c for c in journal if str(c.get("chat_id")) == str(GROUP_ID)
                   and c["method"] == "sendMessage" and c["status"] == 200]
    assert len(group_sends) <= 20  # cards until busy, then one digest (edited)
    for hit in refused:  # never again into a wait Telegram asked for (at least 1 s)
        later = [c for c in journal if c.get("chat_id") == hit.get("chat_id")
                 and hit["time"] < c["time"] < hit["time"] + 1000]
        assert not later, (hit, later)
    assert len(refused) <= 2, refused

    # Nothing lost: every responder's first message is there for whoever claims.
    person, at = people[-1], len(avery.private.inbox())
    code = re.search(CODE, next(t for t in texts(person) if "Your request" in t)).group(0)  # type: ignore[union-attr]
    request_button = next(m for m in reversed(emu.bot_messages(GROUP_ID))
                          if code in (m["text"] or "") and m["reply_markup"])
    data = next(b["callback_data"] for row in request_button["reply_markup"]["inline_keyboard"]
                for b in row if code in b["text"] or b["text"] == "Claim")
    forge_press(emu, avery.group, data, message_id=request_button["message_id"])
    avery.private.wait_for(rf"{code}: Message number 59 from the burst\.", timeout=WAIT,
                           after=at)


def test_thirty_seconds_without_the_bot_api_loses_and_repeats_nothing(
        bot: BotProcess, api: EmulatorServer) -> None:
    emu = bot.emu
    avery = register(peer(emu, 2002, "Avery"))
    marlowe = responder(emu, RESPONDER_IDS[0], "Marlowe")
    code = open_request(marlowe, "Before the outage.")
    at = len(avery.private.inbox())
    avery.group.press(r"^Claim$")
    avery.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT, after=at)

    os.kill(api.pid, signal.SIGSTOP)  # every Bot API call now hangs, as on a dead link
    try:
        time.sleep(30)
    finally:
        os.kill(api.pid, signal.SIGCONT)
    marlowe.say("Written after the outage.")
    avery.private.wait_for(rf"^{code}: Written after the outage\.$", timeout=60)
    avery.private.say("Still here.")
    marlowe.wait_for(r"^Avery: Still here\.$", timeout=WAIT)
    quiet()
    assert texts(avery.private).count(f"{code}: Written after the outage.") == 1
    assert texts(marlowe).count("Avery: Still here.") == 1
    assert not any("could not be delivered" in t for t in texts(marlowe))


DIGEST = "new requests are arriving fast"  # an on-call peer's digest


def _claim_codes(entry: dict[str, Any]) -> set[str]:
    """Codes a message (or an edit, from the journal) offers to claim."""
    if not any(b.get("callback_data", "").startswith("claim:") for b in buttons(entry)):
        return set()
    return set(re.findall(CODE, entry.get("text") or ""))


def test_a_burst_reaches_the_on_call_peer_as_one_digest_to_claim_from(
        bot: BotProcess) -> None:
    """Forty requests within a few seconds: the on-call peer's private chat gets one digest,
    edited as requests arrive and as they are claimed, and every request is claimable there
    far sooner than one private notice a second (Telegram's pace into one chat) would allow."""
    emu = bot.emu
    avery = register(peer(emu, 2003, "Avery"))
    avery.private.command("/oncall 1h")
    avery.private.wait_for(r"You are on call until", timeout=WAIT)
    people = [responder(emu, user_id, f"Rush{n}")
              for n, user_id in enumerate(RESPONDER_IDS[60:100])]
    started = time.time()
    for n, person in enumerate(people):
        forge_press(emu, person, "talk")
        person.say(f"Rush message {n}.")
        time.sleep(0.05)

    def codes_of(person: User) -> str | None:
        found = [re.search(rf"Your request ({CODE})", t) for t in texts(person)]
        return next((m.group(1) for m in found if m), None)

    wait_until(lambda: all(codes_of(p) for p in people), "every responder's code", timeout=60)
    codes = {str(codes_of(p)) for p in people}

    def claimable_in_private() -> set[str]:
        return set().union(*(_claim_codes(m) for m in avery.private.inbox()))

    wait_until(lambda: codes <= claimable_in_private(),
               "every request claimable in the on-call peer's chat", timeout=60)
    journal = [c for c in emu.journal()
               if str(c.get("chat_id")) == str(avery.id) and c["status"] == 200]
    first_claimable: dict[str, float] = {}
    for call in journal:
        for code in _claim_codes(call):
            first_claimable.setdefault(code, call["time"] / 1000)
    claimable_after = max(first_claimable[code] for code in codes) - started
    assert claimable_after < len(codes) / 2, claimable_after  # one a second: 40 s
    notices = [c for c in journal if c["method"] == "sendMessage" and _claim_codes(c)]
    assert len(notices) < len(codes) / 2  # most requests went into the digest

    # The digest, sent as the chat got busy and edited as requests arrived (in pages of 36;
    # the only edits with Claim buttons in this chat: a notice loses its button when edited).
    pages = [m for m in avery.private.inbox() if DIGEST in (m["text"] or "")]
    assert pages and all(len(buttons(p)) == len(_claim_codes(p)) > 0 for p in pages)
    sent_with = next(c for c in journal if c["method"] == "sendMessage"
                     and DIGEST in (c.get("text") or ""))
    edits = [c for c in journal if c["method"] == "editMessageText" and _claim_codes(c)]
    assert any(_claim_codes(edit) > _claim_codes(sent_with) for edit in edits)
    digest = pages[0]
    listed = _claim_codes(digest)
    assert len(listed) > 1

    # A Claim button of the digest claims that request, and the digest lets it go.
    code = sorted(listed)[0]
    data = next(b["callback_data"] for b in buttons(digest) if code in b["text"])
    at = len(avery.private.inbox())
    forge_press(emu, avery.private, data, message_id=digest["message_id"])
    avery.private.wait_for(rf"^{code}: Rush message \d+\.$", timeout=WAIT, after=at)
    wait_until(lambda: code not in message_by_id(avery.private, digest["message_id"])["text"],
               "the claimed request to leave the digest")
    assert codes - {code} <= claimable_in_private()
