"""Peer care against the emulator: after a high-risk conversation its peer gets a word of
thanks, a debrief button and a short pause from on-call notices (PEER_COOLDOWN_MINUTES), while
another on-call peer is still told; after the pause, notices reach them again."""

from __future__ import annotations

import re
import time

from .harness import (
    CODE,
    WAIT,
    StartTeam,
    claim,
    labels,
    open_request,
    quiet,
    responder,
    texts,
)

COORDINATOR = 7001
PAUSE_MINUTES = "0.3"  # 18 seconds
PAUSE_SECONDS = 18
NOTICE = r"A new request is waiting"


def test_a_high_risk_close_pauses_notices_and_the_debrief_reaches_the_coordinator(
        start_team: StartTeam) -> None:
    team = start_team(COORDINATOR, (2001, "Avery"), (2002, "Blair"), on_call=True,
                      PEER_COOLDOWN_MINUTES=PAUSE_MINUTES)
    avery, blair = team.peers
    emu = team.bot.emu

    # A request, claimed by Avery and marked URGENT by them: a high-risk conversation.
    code = open_request(responder(emu), "It was a bad call tonight.")
    claim(avery, code)
    at = len(avery.private.inbox())
    avery.private.command("/urgent")
    avery.private.wait_for(rf"{code} is now marked URGENT", timeout=WAIT, after=at)

    at = len(avery.private.inbox())
    avery.private.command("/close")
    closed_at = time.monotonic()
    care = avery.private.wait_for(rf"Thank you for staying with {code}", timeout=WAIT, after=at)
    assert "For the next 18s you won't get on-call notices" in care["text"]
    assert labels(care) == ["Ask for a debrief"]

    # During the pause a new request reaches Blair, not Avery (the group card is there).
    avery_notices = sum(bool(re.search(NOTICE, t)) for t in texts(avery.private))
    blair_at = len(blair.private.inbox())
    second = open_request(responder(emu, 918273602, "Harper", username=None),
                          "Can someone call me back?")
    assert time.monotonic() - closed_at < PAUSE_SECONDS, "the test was too slow for the pause"
    blair.private.wait_for(rf"{NOTICE}.*{second}", timeout=WAIT, after=blair_at)
    avery.group.wait_for(rf"Request {second}", timeout=WAIT)
    quiet()
    assert sum(bool(re.search(NOTICE, t)) for t in texts(avery.private)) == avery_notices
    assert not any(second in t for t in texts(avery.private))

    # The debrief: the coordinator gets Avery's alias and the request code, nothing else.
    coordinator_at = len(team.coordinator.inbox())
    at = len(avery.private.inbox())
    avery.private.press(r"^Ask for a debrief$")
    avery.private.wait_for(r"the coordinators know you'd like a debrief", timeout=WAIT, after=at)
    asked = team.coordinator.wait_for(r"asked for a debrief", timeout=WAIT, after=coordinator_at)
    assert asked["text"] == (f"Avery asked for a debrief after conversation {code}. "
                             "Please get in touch with them.")
    assert re.findall(CODE, asked["text"]) == [code]
    quiet()
    assert len(team.coordinator.inbox()) == coordinator_at + 1

    # The pause ends by itself: Avery is told, and the next request reaches them again.
    avery.private.wait_for(r"Your pause is over", timeout=PAUSE_SECONDS + WAIT, after=at)
    at = len(avery.private.inbox())
    third = open_request(responder(emu, 918273603, "Rowan", username=None),
                         "Rough week, would like to talk.")
    avery.private.wait_for(rf"{NOTICE}.*{third}", timeout=WAIT, after=at)
