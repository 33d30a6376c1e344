"""Telegram's flood limits and a dead network, against the emulator: a burst of 60 requests
within a minute with TGEMU_FLOOD=1 (20 messages a minute into a group, 30 a second overall),
and the Bot API unreachable for 30 seconds mid-conversation."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .harness import (
    CODE,
    GROUP_ID,
    RESPONDER_IDS,
    WAIT,
    BotProcess,
    EmulatorServer,
    forge_press,
    open_request,
    peer,
    quiet,
    register,
    responder,
    running_emulator,
    texts,
    wait_until,
)

pytestmark = pytest.mark.e2e
StartBot = Callable[..., BotProcess]


@pytest.fixture(scope="module")
def flooding(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    with running_emulator(tmp_path_factory.mktemp("flood"), TGEMU_FLOOD="1") as server:
        yield server


@pytest.fixture
def flood_bot(flooding: EmulatorServer, bot_keys: dict[str, str],
              tmp_path: Path) -> Iterator[BotProcess]:
    bot = BotProcess(flooding, tmp_path / "bot", bot_keys)
    bot.start()
    yield bot
    assert bot.stop() == 0, bot.log_text()


def test_a_burst_of_sixty_requests_loses_nothing(flood_bot: BotProcess) -> None:
    emu = flood_bot.emu
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
        flood_bot: BotProcess, flooding: EmulatorServer) -> None:
    emu = flood_bot.emu
    avery = register(peer(emu, 2002, "Avery"))
    marlowe = responder(emu, RESPONDER_IDS[0], "Marlowe")
    code = open_request(marlowe, "Before the outage.")
    at = len(avery.private.inbox())
    avery.group.press(r"^Claim$")
    avery.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT, after=at)

    os.kill(flooding.pid, signal.SIGSTOP)  # every Bot API call now hangs, as on a dead link
    try:
        time.sleep(30)
    finally:
        os.kill(flooding.pid, signal.SIGCONT)
    marlowe.say("Written after the outage.")
    avery.private.wait_for(rf"^{code}: Written after the outage\.$", timeout=60)
    avery.private.say("Still here.")
    marlowe.wait_for(r"^Avery: Still here\.$", timeout=WAIT)
    quiet()
    assert texts(avery.private).count(f"{code}: Written after the outage.") == 1
    assert texts(marlowe).count("Avery: Still here.") == 1
    assert not any("could not be delivered" in t for t in texts(marlowe))
