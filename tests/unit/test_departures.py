"""A peer who left the peer group in Telegram (not with /removepeer): found by the timer among
peers holding conversations, or when they next write; their conversations go back to the
queue, the responder is told kindly, and nothing more passes between them."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GROUP, Clock, Harness, in_group, peer, responder

from bot.team import departures
from bot.team import members as team
from storage.requests import State

COORDINATOR = 4001


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR})}


async def _claimed_and_on_call(harness: Harness) -> tuple[Any, Any, str]:
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    code = await harness.claimed(alex, sam)
    await harness.send(sam.text("Hi, I'm Sam."))
    await harness.send(alex.text("Thanks for taking this."))
    return sam, alex, code


def _member_checks(harness: Harness, user_id: int) -> int:
    return sum(1 for c in harness.request.calls
               if c.method == "getChatMember" and int(c.params["user_id"]) == user_id)


async def _assert_handed_back(harness: Harness, sam: Any, alex: Any, code: str) -> None:
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.state is State.OPEN and request.peer_id is None
    told = harness.texts_to(alex.user_id)[-1]
    assert "Sam can no longer continue this conversation" in told and "988" in told
    assert any(code in t and "no longer in the peer group" in t
               for t in harness.texts_to(COORDINATOR))
    assert await harness.services.peers.on_call(harness.services.clock()) == []
    assert harness.request.to(GROUP, "sendMessage")[-1].buttons[0]["text"] == "Claim"
    # The responder's next words wait for a new peer; none reach Sam.
    before = len(harness.texts_to(sam.user_id))
    await harness.send(alex.text("Are you still there?"))
    assert len(harness.texts_to(sam.user_id)) == before
    assert "Saved for your peer" in harness.texts_to(alex.user_id)[-1]


async def test_the_timer_finds_a_holder_who_left_and_hands_back(harness: Harness,
                                                                 clock: Clock) -> None:
    sam, alex, code = await _claimed_and_on_call(harness)
    harness.request.members.discard(sam.user_id)  # removed from the group in Telegram
    await departures.check_holders(harness.services)
    still = await harness.services.requests.get_by_code(code)
    assert still is not None and still.state is State.CLAIMED  # the answer from the claim
    clock.now += team.MEMBERSHIP_CACHE_SECONDS  # is recent enough; then it is asked again
    await departures.check_holders(harness.services)
    await _assert_handed_back(harness, sam, alex, code)
    assert "no longer in the peer group" in harness.texts_to(sam.user_id)[-1]
    # Sam hears of no new request, and cannot take this one back.
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    assert "is yours" not in harness.request.answers()[-1]


async def test_the_timer_is_set_at_start(harness: Harness) -> None:
    assert harness.services.timers.scheduled(departures.TIMER) is not None


async def test_the_timer_asks_only_about_peers_holding_conversations(harness: Harness,
                                                                      clock: Clock) -> None:
    sam, _, _ = await _claimed_and_on_call(harness)
    kim = peer(2002, "Kim")
    await harness.on_call(kim)
    clock.now += team.MEMBERSHIP_CACHE_SECONDS
    checks = _member_checks(harness, sam.user_id), _member_checks(harness, kim.user_id)
    for _ in range(3):
        await departures.check_holders(harness.services)
    assert _member_checks(harness, sam.user_id) == checks[0] + 1  # once per cache period
    assert _member_checks(harness, kim.user_id) == checks[1]  # holds nothing: not asked


async def test_a_peer_who_left_writes_and_nothing_is_passed_on(harness: Harness,
                                                               clock: Clock) -> None:
    sam, alex, code = await _claimed_and_on_call(harness)
    harness.request.members.discard(sam.user_id)
    clock.now += departures.RELAY_RECHECK_SECONDS
    before = len(harness.texts_to(alex.user_id))
    await harness.send(sam.text("One more thing about your case..."))
    assert not any("One more thing" in t for t in harness.texts_to(alex.user_id)[before:])
    assert "no longer in the peer group" in harness.texts_to(sam.user_id)[-1]
    await _assert_handed_back(harness, sam, alex, code)
    assert sum("can no longer continue" in t for t in harness.texts_to(alex.user_id)) == 1


async def test_a_member_who_writes_is_asked_about_at_most_every_half_minute(
        harness: Harness, clock: Clock) -> None:
    sam, alex, _ = await _claimed_and_on_call(harness)
    clock.now += departures.RELAY_RECHECK_SECONDS
    checks = _member_checks(harness, sam.user_id)
    for n in range(3):
        await harness.send(sam.text(f"Message {n}"))
    assert _member_checks(harness, sam.user_id) == checks + 1
    assert sum(t.endswith("Message 2") for t in harness.texts_to(alex.user_id)) == 1


async def test_telegram_not_answering_is_not_taken_for_leaving(harness: Harness,
                                                               clock: Clock) -> None:
    sam, alex, code = await _claimed_and_on_call(harness)
    clock.now += team.MEMBERSHIP_CACHE_SECONDS
    harness.request.network_down = True
    await departures.check_holders(harness.services)
    harness.request.network_down = False
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.state is State.CLAIMED
    await harness.send(sam.text("Still here."))
    assert harness.texts_to(alex.user_id)[-1].endswith("Still here.")
