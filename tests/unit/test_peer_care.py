"""Peer care (bot/team/care.py), on a fake clock: a high-risk conversation's end gives its peer
a pause from on-call notices and a debrief button; the pause ends by itself, once."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from conftest import GROUP, START, Clock, Harness, in_group, peer, responder
from offline import Person

from bot.escalation import sweep
from bot.team import care

COORDINATOR = 4001
NOTICE = "A new request is waiting"
CARE = "Thank you for staying with"
PAUSE_OVER = "Your pause is over"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR}), "peer_cooldown_minutes": 30.0}


async def _urgent_claimed(harness: Harness, sam: Person, alex: Person) -> str:
    """Alex opens a request, Sam (on call) claims it and marks it urgent: its code."""
    code = await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(sam.command("/urgent"))
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.high_risk
    return code


async def _actions(harness: Harness) -> list[str]:
    return [entry.action for entry in await harness.services.audit.latest()]


async def test_a_high_risk_close_pauses_notices_until_the_pause_ends(
        harness: Harness, clock: Clock) -> None:
    sam, jo = peer(2001, "Sam"), peer(2002, "Jo")
    await harness.on_call(sam)
    await harness.on_call(jo)
    code = await _urgent_claimed(harness, sam, responder())
    await harness.send(sam.command("/close"))

    care_text = next(t for t in harness.texts_to(sam.user_id) if CARE in t)
    assert code in care_text and "For the next 30m you won't get on-call notices" in care_text
    harness.button(sam.user_id, "Ask for a debrief")
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.cooldown_until == START + 1800
    assert stored.on_call_until is not None  # still on call
    assert "cooldown_started" in await _actions(harness)

    clock.now = START + 60
    sam_notices, jo_notices = harness.count(sam.user_id, NOTICE), harness.count(jo.user_id, NOTICE)
    second = await harness.open_request(responder(918273602, "Blake"))
    assert harness.count(sam.user_id, NOTICE) == sam_notices  # held back
    assert harness.count(jo.user_id, NOTICE) == jo_notices + 1
    assert harness.count(GROUP, f"Request {second}") == 1  # the card is there for everyone

    clock.now = START + 1799
    await sweep.sweep(harness.services)
    assert harness.count(sam.user_id, PAUSE_OVER) == 0
    clock.now = START + 1800
    for _ in range(3):  # the timer, the sweep and a duplicate all try
        await sweep.sweep(harness.services)
    assert harness.count(sam.user_id, PAUSE_OVER) == 1
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.cooldown_until is None
    assert (await _actions(harness)).count("cooldown_ended") == 1

    await harness.open_request(responder(918273603, "Casey"))
    assert harness.count(sam.user_id, NOTICE) == sam_notices + 1  # notices resumed


async def test_a_peer_in_a_pause_can_still_claim_from_the_group(
        harness: Harness, clock: Clock) -> None:
    sam = peer(2001, "Sam")
    await harness.on_call(sam)
    await _urgent_claimed(harness, sam, responder())
    await harness.send(sam.command("/close"))
    second = await harness.open_request(responder(918273602, "Blake"))
    data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(sam).press(data, message_id))
    assert f"{second} is yours" in harness.request.answers()[-1]


async def test_the_responder_ending_it_pauses_too_and_a_plain_close_does_not(
        harness: Harness, clock: Clock) -> None:
    sam, alex = peer(2001, "Sam"), responder()
    await harness.on_call(sam)
    await _urgent_claimed(harness, sam, alex)
    await harness.send(alex.command("/end"))
    assert harness.count(sam.user_id, CARE) == 1
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.cooldown_until == START + 1800

    clock.now = START + 1800
    await sweep.sweep(harness.services)
    blake = responder(918273602, "Blake")
    await harness.open_request(blake)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(sam.command("/close"))  # not high risk: no pause, no word
    assert harness.count(sam.user_id, CARE) == 1
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.cooldown_until is None


async def test_the_inactivity_close_of_a_high_risk_conversation_pauses_its_peer(
        harness: Harness, clock: Clock) -> None:
    sam = peer(2001, "Sam")
    await harness.on_call(sam)
    await _urgent_claimed(harness, sam, responder())
    await harness.send(sam.text("I'm here with you."))
    clock.now = START + 48 * 3600 + 60
    await sweep.sweep(harness.services)
    assert harness.count(sam.user_id, CARE) == 1
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.cooldown_until == clock.now + 1800


async def test_the_debrief_button_works_once_for_its_peer_only(
        harness: Harness, clock: Clock) -> None:
    sam, jo = peer(2001, "Sam"), peer(2002, "Jo")
    await harness.on_call(sam)
    await harness.register_peer(jo)
    code = await _urgent_claimed(harness, sam, responder())
    await harness.send(sam.command("/close"))
    data, message_id = harness.button(sam.user_id, "Ask for a debrief")
    before = len(harness.texts_to(COORDINATOR))

    await harness.send(jo.press(data, message_id))  # someone else's button
    assert "for the peer who held that conversation" in harness.request.answers()[-1]
    await harness.send(sam.press("debrief:0123456789abcdef", message_id))  # none such
    assert "no longer valid" in harness.request.answers()[-1]
    assert len(harness.texts_to(COORDINATOR)) == before

    await harness.send(sam.press(data, message_id))
    told = harness.texts_to(COORDINATOR)[before:]
    assert told == [f"Sam asked for a debrief after conversation {code}. Please get in touch "
                    "with them."]
    assert "the coordinators know you'd like a debrief" in harness.texts_to(sam.user_id)[-1]
    assert harness.request.to(sam.user_id, "editMessageReplyMarkup")  # the button went

    await harness.send(sam.press(data, message_id))  # again
    assert "already asked" in harness.request.answers()[-1]
    assert len(harness.texts_to(COORDINATOR)) == before + 1
    entries = [e for e in await harness.services.audit.latest() if e.action == "debrief_asked"]
    assert len(entries) == 1 and entries[0].request_code == code and entries[0].detail is None

    await harness.send(Person(COORDINATOR, "Casey").command("/stats"))
    assert "Debriefs asked for: <5" in harness.texts_to(COORDINATOR)[-1]


async def test_zero_minutes_turns_the_pause_off_but_not_the_word_of_thanks(
        harness: Harness, clock: Clock) -> None:
    harness.services.settings = dataclasses.replace(harness.services.settings,
                                                    peer_cooldown_minutes=0.0)
    sam = peer(2001, "Sam")
    await harness.on_call(sam)
    await _urgent_claimed(harness, sam, responder())
    await harness.send(sam.command("/close"))
    care_text = next(t for t in harness.texts_to(sam.user_id) if CARE in t)
    assert "on-call notices" not in care_text
    harness.button(sam.user_id, "Ask for a debrief")
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.cooldown_until is None
    notices = harness.count(sam.user_id, NOTICE)
    await harness.open_request(responder(918273602, "Blake"))
    assert harness.count(sam.user_id, NOTICE) == notices + 1


async def test_the_pause_is_in_the_database_and_a_restart_sets_its_timer(
        harness: Harness, clock: Clock) -> None:
    sam = peer(2001, "Sam")
    await harness.on_call(sam)
    await _urgent_claimed(harness, sam, responder())
    await harness.send(sam.command("/close"))
    harness.services.timers.cancel(care.WAKE_TIMER)  # as after a restart: no timer yet
    assert await harness.services.peers.next_cooldown_end() == START + 1800
    await sweep.rebuild(harness.services)
    scheduled = harness.services.timers.scheduled(care.WAKE_TIMER)
    assert scheduled is not None and scheduled.timestamp() == START + 1800
