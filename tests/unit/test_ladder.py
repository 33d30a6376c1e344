"""The roster and the escalation ladder, on a fake clock: each step once, in order, and
nothing after a claim. Timers are only wake-ups, so the tests call the sweep directly."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest
from conftest import GROUP, START, Clock, Harness, in_group, peer, responder
from offline import Person

from bot.escalation import followup, ladder, sweep

COORDINATOR, BACKUP = 4001, -2002


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR}), "backup_chat_id": BACKUP,
            "escalation_schedule": (300.0, 900.0, 1800.0), "peer_reply_minutes": 10.0,
            "inactivity_hours": 48.0, "agencies": ("Metro PD", "County Fire")}


async def _claimed_on_call(harness: Harness) -> tuple[Person, Person, str]:
    """Sam goes on call and claims Alex's new request: the two of them and its code."""
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    code = await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    return sam, alex, code


async def test_each_step_runs_once_in_order(harness: Harness, clock: Clock) -> None:
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    code = await harness.open_request(alex)
    assert harness.count(sam.user_id, "A new request is waiting") == 1
    assert harness.count(COORDINATOR, code) == 0

    clock.now = START + 299
    await sweep.sweep(harness.services)
    assert len(harness.request.to(GROUP, "sendMessage")) == 1  # not yet

    clock.now = START + 300
    for _ in range(3):  # the timer, the sweep and a duplicate job all try
        await sweep.sweep(harness.services)
    assert len(harness.request.to(GROUP, "sendMessage")) == 2  # re-posted once
    assert "re-posted below" in harness.request.to(GROUP, "editMessageText")[-1].text
    assert harness.count(sam.user_id, "A new request is waiting") == 2
    assert harness.count(alex.user_id, "still finding a peer") == 1
    assert harness.count(COORDINATOR, code) == 0

    clock.now = START + 900
    await sweep.sweep(harness.services)
    await sweep.sweep(harness.services)
    assert harness.count(COORDINATOR, "has been waiting 15m") == 1
    assert harness.count(BACKUP, code) == 0

    clock.now = START + 1800
    await sweep.sweep(harness.services)
    assert harness.count(BACKUP, code) == 1
    assert harness.count(COORDINATOR, code) == 2
    assert harness.count(alex.user_id, "still finding a peer") == 3

    clock.now = START + 10_000
    await sweep.sweep(harness.services)
    assert harness.count(COORDINATOR, code) == 2  # the ladder has no step 4


async def test_overdue_steps_after_a_restart_are_caught_up_in_one_message_each(
        harness: Harness, clock: Clock) -> None:
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    code = await harness.open_request(alex)
    clock.now = START + 5000  # as if the bot had been down past every step
    await sweep.rebuild(harness.services)
    await sweep.rebuild(harness.services)
    coordinator = [t for t in harness.texts_to(COORDINATOR) if code in t]
    assert len(coordinator) == 1
    assert coordinator[0].startswith(f"Request {code} has been waiting 1h23m and nobody has "
                                     "claimed it yet.\nWhy this alert: it reached the last step "
                                     "of the escalation ladder (3 of 3), and the backup chat has "
                                     "been asked to help too.\n")
    assert harness.count(BACKUP, code) == 1
    assert harness.count(alex.user_id, "still finding a peer") == 1
    assert harness.count(sam.user_id, "A new request is waiting") == 2  # step 1's reminder
    assert len(harness.request.to(GROUP, "sendMessage")) == 2
    caught_up = await harness.services.requests.get_by_code(code)
    assert caught_up is not None
    assert caught_up.escalation_step == 3 and caught_up.next_step_at is None
    clock.now = START + 10_000
    await sweep.sweep(harness.services)
    assert len([t for t in harness.texts_to(COORDINATOR) if code in t]) == 1


async def test_a_shorter_schedule_catches_up_the_steps_it_makes_due(
        harness: Harness, clock: Clock) -> None:
    alex = responder()
    await harness.on_call(peer())
    code = await harness.open_request(alex)
    clock.now = START + 300
    await sweep.sweep(harness.services)  # step 1 at its time
    assert harness.count(alex.user_id, "still finding a peer") == 1
    # Restarted with a shorter schedule: when step 2 falls due (at the time set under the old
    # one), step 3 is overdue too.
    harness.services.settings = dataclasses.replace(
        harness.services.settings, escalation_schedule=(60.0, 120.0, 180.0))
    clock.now = START + 900
    await sweep.rebuild(harness.services)
    assert harness.count(alex.user_id, "still finding a peer") == 2
    assert harness.count(COORDINATOR, code) == 1 and harness.count(BACKUP, code) == 1
    assert len(harness.request.to(GROUP, "sendMessage")) == 2  # the card: step 1 only


async def test_a_claim_stops_the_ladder(harness: Harness, clock: Clock) -> None:
    sam, alex, code = await _claimed_on_call(harness)
    claimed = await harness.services.requests.get_by_code(code)
    assert claimed is not None and claimed.next_step_at is None  # nothing left to escalate
    clock.now = START + 5000
    await harness.send(sam.text("Hi, I'm here."))  # keep the silent-peer timer quiet
    await sweep.sweep(harness.services)
    assert harness.count(COORDINATOR, code) == 0
    assert harness.count(alex.user_id, "still finding") == 0


async def test_nobody_on_call_alerts_coordinators_at_once(harness: Harness, clock: Clock,
                                                          ) -> None:
    alex = responder()
    code = await harness.open_request(alex)
    assert "no peer is on call right now" in harness.texts_to(alex.user_id)[-1]
    assert harness.count(COORDINATOR, code) == 1
    clock.now = START + 900
    await sweep.sweep(harness.services)
    assert harness.count(COORDINATOR, code) == 1  # step 2 is not repeated at its own time
    clock.now = START + 1800
    await sweep.sweep(harness.services)
    assert harness.count(COORDINATOR, code) == 2 and harness.count(BACKUP, code) == 1


async def test_urgency_now_alerts_coordinators_and_still_tells_the_peer(
        harness: Harness, clock: Clock) -> None:
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    await harness.press(alex, "^Now$")
    await harness.send(alex.text("I need someone now."))
    code = harness.texts_to(GROUP)[-1].split()[1]
    assert "coordinators have been alerted" in harness.texts_to(alex.user_id)[-1]
    assert harness.count(COORDINATOR, code) == 1
    assert harness.count(sam.user_id, "A new request is waiting") == 1


async def test_off_call_peers_are_not_notified(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.on_call(sam, "1h")
    await harness.send(sam.command("/offcall"))
    await harness.open_request(responder())
    assert harness.count(sam.user_id, "A new request is waiting") == 0


async def test_on_call_ends_by_itself_after_a_reminder(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.on_call(sam, "1h")
    clock.now = START + 3600 - 15 * 60
    await sweep.sweep(harness.services)
    await sweep.sweep(harness.services)
    assert harness.count(sam.user_id, "You go off call at") == 1
    clock.now = START + 3600
    await sweep.sweep(harness.services)
    assert "off call now" in harness.texts_to(sam.user_id)[-1]
    assert await harness.services.peers.on_call(clock.now) == []


async def test_extension_keeps_the_peer_on_call(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.on_call(sam, "1h")
    clock.now = START + 3000
    await sweep.sweep(harness.services)
    await harness.press(sam, "Stay on call")
    clock.now = START + 3600
    await sweep.sweep(harness.services)
    assert [p.user_id for p in await harness.services.peers.on_call(clock.now)] == [sam.user_id]


async def test_outside_agency_request_skips_that_agency(harness: Harness, clock: Clock) -> None:
    metro, county, alex = peer(2001, "Sam"), peer(2002, "Kim"), responder()
    await harness.on_call(metro)
    await harness.on_call(county)
    await harness.send(metro.command("/agency metro pd"))
    assert "Metro PD" in harness.texts_to(metro.user_id)[-1]
    await harness.send(county.command("/agency County Fire"))
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    await harness.press(alex, "^Today$")
    await harness.press(alex, "^No$")  # the safety question
    await harness.press(alex, "outside my agency")
    await harness.press(alex, "^Metro PD$")
    await harness.send(alex.text("Not anyone from my department, please."))
    assert "outside-agency requested" in harness.texts_to(GROUP)[-1]
    assert "Metro" not in harness.texts_to(GROUP)[-1]  # the responder's agency is not shown
    assert harness.count(metro.user_id, "A new request is waiting") == 0
    assert harness.count(county.user_id, "A new request is waiting") == 1
    await harness.press(in_group(metro), "Claim", in_chat=GROUP)
    assert "outside your agency" in harness.request.answers()[-1]
    await harness.press(county, "Claim")  # from the private notice
    assert "is yours" in harness.request.answers()[-1]


async def test_unknown_agency_is_refused(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await harness.send(sam.command("/agency Gotham PD"))
    assert "not on the list" in harness.texts_to(sam.user_id)[-1]


async def test_silent_peer_is_reminded_then_relieved(harness: Harness, clock: Clock) -> None:
    sam, alex, code = await _claimed_on_call(harness)
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    clock.now = START + 600
    await followup.check_silence(harness.services, request.id)
    await followup.check_silence(harness.services, request.id)
    assert harness.count(sam.user_id, "Reminder: you claimed") == 1
    clock.now = START + 1200
    await sweep.sweep(harness.services)
    assert "went back to the queue" in " ".join(harness.texts_to(sam.user_id))
    assert harness.count(alex.user_id, "Sam had to step away") == 1
    assert harness.count(sam.user_id, "A new request is waiting") == 1  # not offered again
    assert harness.count(COORDINATOR, "did not write to the responder in time") == 1
    reopened = await harness.services.requests.get(request.id)
    assert reopened is not None and reopened.state == "open" and reopened.peer_id is None
    assert harness.request.to(GROUP, "sendMessage")[-1].buttons[0]["text"] == "Claim"


async def test_a_peer_who_writes_is_not_reminded(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.on_call(sam)
    await harness.open_request(responder())
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(sam.text("I'm here."))
    clock.now = START + 1300
    await sweep.sweep(harness.services)
    assert harness.count(sam.user_id, "Reminder") == 0


async def test_release_puts_the_request_back_with_a_reason(harness: Harness, clock: Clock,
                                                           ) -> None:
    sam, _, code = await _claimed_on_call(harness)
    await harness.send(sam.command("/release I know this person"))
    assert f"{code} is back in the queue" in harness.texts_to(sam.user_id)[-1]
    assert harness.count(COORDINATOR, "Reason: I know this person") == 1
    assert harness.request.to(GROUP, "sendMessage")[-1].buttons[0]["text"] == "Claim"
    await harness.send(sam.text("hello?"))
    assert "no open conversation" in harness.texts_to(sam.user_id)[-1]


async def test_silent_conversation_is_closed_kindly(harness: Harness, clock: Clock) -> None:
    sam, alex, _ = await _claimed_on_call(harness)
    await harness.send(sam.text("I'm here."))
    clock.now = START + 48 * 3600 - 1
    await sweep.sweep(harness.services)
    assert "quiet here" not in " ".join(harness.texts_to(alex.user_id))
    clock.now = START + 48 * 3600
    await sweep.sweep(harness.services)
    assert "It has been quiet here" in harness.texts_to(alex.user_id)[-2]  # then the check-in
    assert "closed after a long silence" in harness.texts_to(sam.user_id)[-1]


async def test_concurrent_timers_for_one_step_act_once(harness: Harness, clock: Clock) -> None:
    await harness.on_call(peer())
    code = await harness.open_request(responder())
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    clock.now = START + 900  # steps 1 and 2 are both due
    await asyncio.gather(*(ladder.advance(harness.services, request.id) for _ in range(5)))
    assert len(harness.request.to(GROUP, "sendMessage")) == 2
    assert harness.count(COORDINATOR, code) == 1


async def test_a_step_interrupted_before_it_was_marked_taken_sends_nothing_twice(
        harness: Harness, clock: Clock) -> None:
    code = await harness.open_request(responder())  # nobody on call: step 2 ran at once
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.queued_at is not None
    clock.now = START + 1800
    # Step 3's messages went out, then the process died before the step was marked taken.
    await ladder._perform(harness.services, request, 3, 3, tell_responder=True,
                          label=f"s{request.id}.{request.queued_at}.3")
    assert harness.count(BACKUP, code) == 1
    await sweep.rebuild(harness.services)  # the restart repeats the step...
    assert harness.count(BACKUP, code) == 1  # ...and finds its messages already sent
    assert harness.count(COORDINATOR, code) == 2
    taken = await harness.services.requests.get(request.id)
    assert taken is not None and taken.escalation_step == 3


async def test_two_runs_of_a_step_that_find_different_states_send_each_message_once(
        harness: Harness, clock: Clock) -> None:
    """Two runs of the same steps (two instances, or a replay) where one found the request
    claimed (and sent only the coordinators' alert) and the other found it waiting (and sent
    the peers' notice too): a coordinator on call gets the alert once and the notice once."""
    casey = Person(COORDINATOR, "Casey")
    harness.request.members.add(COORDINATOR)
    await harness.on_call(casey)
    code = await harness.open_request(responder())
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.queued_at is not None
    clock.now = START + 900  # steps 1 and 2 are due
    label = f"s{request.id}.{request.queued_at}.1"
    await harness.services.db.write("UPDATE requests SET state = 'claimed' WHERE id = ?",
                                    (request.id,))
    await ladder._perform(harness.services, request, 1, 2, tell_responder=False, label=label)
    await harness.services.db.write("UPDATE requests SET state = 'open' WHERE id = ?",
                                    (request.id,))
    await ladder._perform(harness.services, request, 1, 2, tell_responder=False, label=label)
    assert harness.count(COORDINATOR, "has been waiting") == 1
    assert harness.count(COORDINATOR, "A new request is waiting") == 2  # at the start, step 1


async def test_a_catch_up_interrupted_then_widened_by_a_later_step_sends_nothing_twice(
        harness: Harness, clock: Clock) -> None:
    alex = responder()
    await harness.on_call(peer())
    code = await harness.open_request(alex)
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.queued_at is not None
    clock.now = START + 900
    # Steps 1 and 2 went out together, then the process died before they were marked taken...
    await ladder._perform(harness.services, request, 1, 2, tell_responder=True,
                          label=f"s{request.id}.{request.queued_at}.1")
    clock.now = START + 1800  # ...and came back after step 3 fell due as well.
    await sweep.rebuild(harness.services)
    assert harness.count(alex.user_id, "still finding a peer") == 1
    assert harness.count(COORDINATOR, code) == 1
    assert harness.count(BACKUP, code) == 1  # step 3's own message, once
    assert len(harness.request.to(GROUP, "sendMessage")) == 2
    taken = await harness.services.requests.get(request.id)
    assert taken is not None and taken.escalation_step == 3
