"""Hand-overs (/transfer ALIAS) through the real application: the conversation moves only when
the other peer accepts, with the history and the team's notes, the responder told the new alias
only, the old peer moved on, the follow-up timers following the new peer; every refusal said
clearly; stale, foreign and racing presses moving nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import GROUP, START, Clock, Harness, in_group, peer, responder
from offline import Person

from bot.escalation import followup
from bot.requests import closing, relay, transfers
from bot.requests.content import Content, Kind
from storage.requests import Request, State

COORDINATOR = 3001
SECRET = "Marigold harbour"  # in a case note: for the team only
OFF_CALL = "{alias} is not on call now, so nothing was offered. Choose a peer who is on call."


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """Every test here runs on SQLite and on PostgreSQL (the conditional UPDATEs of a hand-over
    are SQL of their own)."""
    return str(request.getfixturevalue("postgres_url")) if backend == "postgres" else None


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR}), "peer_reply_minutes": 10.0,
            "agencies": ("Metro PD", "County Fire")}


def _last(harness: Harness, person: Person) -> str:
    return harness.texts_to(person.user_id)[-1]


async def _request(harness: Harness, code: str) -> Request:
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    return request


async def _actions(harness: Harness) -> list[tuple[str, int | None, str | None]]:
    entries = reversed(await harness.services.audit.latest())
    return [(e.action, e.actor_id, e.detail) for e in entries if e.action.startswith("transfer_")]


async def _offered(harness: Harness, sam: Person, jo: Person, alex: Person) -> str:
    """Sam holds Alex's conversation (a message each way and a note), Jo is on call, and Sam
    offers it to Jo; the code."""
    code = await harness.claimed(alex, sam, "First words.")
    await harness.send(sam.text("I'm here, take your time."))
    await harness.send(sam.command(f"/note {SECRET}"))
    await harness.on_call(jo)
    await harness.send(sam.command("/transfer jo"))  # the alias, in any case
    assert _last(harness, sam).startswith(f"{code} is offered to Jo. It stays with you")
    assert "asks you to take over conversation" in _last(harness, jo)
    return code


async def test_an_accepted_transfer_moves_the_conversation(harness: Harness,
                                                           clock: Clock) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    to_alex = len(harness.texts_to(alex.user_id))
    before = await _request(harness, code)
    assert before.peer_id == sam.user_id and before.transfer_to == jo.user_id

    # Until Jo accepts, nothing changes: the responder hears nothing, Sam still holds it.
    await harness.send(alex.text("Still there?"))
    assert "Still there?" in _last(harness, sam)
    assert len(harness.texts_to(alex.user_id)) == to_alex

    clock.now = START + 60
    await harness.press(jo, "^Accept$")
    assert harness.request.answers()[-1] == f"{code} is yours now."
    moved = await _request(harness, code)
    assert (moved.state, moved.peer_id, moved.transfer_to) == (State.CLAIMED, jo.user_id, None)
    assert moved.claimed_at == START + 60 and moved.peer_last_message_at is None

    # The responder is told the new alias, and nothing about the earlier peer.
    told = _last(harness, alex)
    assert told.startswith("Your conversation continues with Jo from the Peer Support Team")
    assert not [c for c in harness.request.to(alex.user_id)[to_alex:]
                if str(sam.user_id) in str(c.params) or "Sam" in c.text or SECRET in c.text]

    # Jo is briefed: whose it was, the history both ways, the team's notes.
    briefing = "\n".join(harness.texts_to(jo.user_id))
    assert f"Sam has handed {code} over to you." in briefing
    assert "First words." in briefing and "I'm here, take your time." in briefing
    assert "Still there?" in briefing and SECRET in briefing
    assert f"Anything you write here now goes to the responder of {code}, signed Jo" in briefing

    # Sam is told and has nothing left to write to.
    assert _last(harness, sam).startswith(f"Jo has taken over {code}.")
    sam_peer = await harness.services.peers.get(sam.user_id)
    assert sam_peer is not None and sam_peer.current_request_id is None

    # From now on messages go between Alex and Jo, both ways; Sam's go nowhere.
    await harness.send(alex.text("Thanks for staying."))
    assert "Thanks for staying." in _last(harness, jo)
    assert not any("Thanks for staying." in t for t in harness.texts_to(sam.user_id))
    await harness.send(jo.text("Hi, I'm Jo."))
    assert _last(harness, alex).endswith("Hi, I'm Jo.")
    await harness.send(sam.text("One more thing"))
    assert "You have no open conversation" in _last(harness, sam)
    assert not any("One more thing" in t for t in harness.texts_to(alex.user_id))

    # The group card names the new peer; the audit log has the facts, never text.
    assert harness.texts_to(GROUP)[-1].endswith("Claimed by Jo.")
    assert await _actions(harness) == [
        ("transfer_offered", sam.user_id, f"peer:{jo.user_id}"),
        ("transfer_accepted", jo.user_id, f"peer:{sam.user_id}")]
    rows = await harness.services.db.fetch_all(
        "SELECT transfer_from, transfer_to, transfer_offered_at FROM requests")
    assert [tuple(row) for row in rows] == [(None, None, None)]


async def test_the_follow_up_timers_follow_the_new_peer(harness: Harness, clock: Clock) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    clock.now = START + 300
    await harness.press(jo, "^Accept$")
    timer = harness.services.timers.scheduled(followup.WAKE_TIMER)
    assert timer is not None and timer.timestamp() <= START + 300 + 600
    clock.now = START + 300 + 600
    await followup.wake(harness.services)
    assert _last(harness, jo).startswith(f"Reminder: you claimed {code} 10m ago")
    assert not any(t.startswith("Reminder") for t in harness.texts_to(sam.user_id))
    clock.now = START + 300 + 1200  # still silent: back to the queue, from Jo
    await followup.wake(harness.services)
    assert (await _request(harness, code)).state is State.OPEN
    assert _last(harness, jo).startswith(f"{code} went back to the queue")
    assert not any("went back to the queue" in t for t in harness.texts_to(sam.user_id))


async def test_a_declined_transfer_moves_nothing(harness: Harness) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    to_alex = len(harness.texts_to(alex.user_id))
    await harness.press(jo, "^Decline$")
    assert _last(harness, jo) == f"You declined {code}; it stays with the peer who offered it."
    assert _last(harness, sam) == f"Jo declined {code}. The conversation stays with you."
    request = await _request(harness, code)
    assert (request.peer_id, request.transfer_to) == (sam.user_id, None)
    assert len(harness.texts_to(alex.user_id)) == to_alex
    await harness.send(alex.text("Hello?"))
    assert "Hello?" in _last(harness, sam)
    assert not any("Hello?" in t for t in harness.texts_to(jo.user_id))
    assert [a for a, _, _ in await _actions(harness)] == ["transfer_offered",
                                                          "transfer_declined"]
    # The offer's buttons are gone; a press of the old data is stale.
    data, message_id = harness.button(jo.user_id, "^Accept$")
    await harness.send(jo.press(data, message_id))
    assert "no longer open" in harness.request.answers()[-1]


async def test_refusals(harness: Harness) -> None:
    sam, jo, kim, alex = peer(), peer(2002, "Jo"), peer(2003, "Kim"), responder()
    await harness.register_peer(jo)
    await harness.send(jo.command("/transfer Sam"))
    assert _last(harness, jo).startswith("You have no open conversation")
    await harness.send(alex.command("/transfer Sam"))
    assert _last(harness, alex) == "This command is for peers of the Peer Support Team."

    code = await harness.claimed(alex, sam)
    await harness.send(sam.command("/transfer"))
    assert _last(harness, sam).startswith(f"Write /transfer ALIAS to offer {code}")
    await harness.send(sam.command("/transfer Nobody"))
    assert _last(harness, sam).startswith("No registered peer goes by Nobody.")
    await harness.send(sam.command("/transfer SAM"))
    assert _last(harness, sam).startswith("That is you.")
    await harness.send(sam.command("/transfer Jo"))  # registered, not on call
    assert _last(harness, sam).startswith("Jo is not on call now, so nothing was offered.")
    await harness.on_call(kim)
    assert await harness.services.peers.remove(kim.user_id, START)
    await harness.send(sam.command("/transfer kim"))
    assert _last(harness, sam).startswith("Kim is no longer a peer of the team.")
    assert await _actions(harness) == []
    assert (await _request(harness, code)).transfer_to is None


async def test_the_responder_of_a_request_is_not_offered_it(harness: Harness) -> None:
    sam, jo = peer(), peer(2002, "Jo")
    await harness.on_call(jo)
    await harness.press(jo, "Talk to a peer")  # Jo needs support too
    await harness.send(jo.text("I need someone too."))
    await harness.register_peer(sam)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    assert "is yours" in harness.request.answers()[-1]
    await harness.send(sam.command("/transfer Jo"))
    # Said exactly as for a peer off call: nobody learns from it who the responder is, or
    # that a colleague asked for support.
    assert _last(harness, sam) == OFF_CALL.format(alias="Jo")


async def test_an_outside_agency_request_is_not_offered_to_that_agency(harness: Harness,
                                                                      ) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    await harness.register_peer(sam)
    await harness.on_call(jo)
    await harness.send(jo.command("/agency Metro PD"))
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    await harness.press(alex, "^Today$")
    await harness.press(alex, "^No$")
    await harness.press(alex, "outside my agency")
    await harness.press(alex, "^Metro PD$")
    await harness.send(alex.text("Not anyone from my department, please."))
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(sam.command("/transfer Jo"))
    assert "asked for a peer from outside their agency" in _last(harness, sam)
    assert await _actions(harness) == []


async def test_one_offer_at_a_time_and_withdrawing_it(harness: Harness) -> None:
    sam, jo, kim, alex = peer(), peer(2002, "Jo"), peer(2003, "Kim"), responder()
    code = await _offered(harness, sam, jo, alex)
    await harness.on_call(kim)
    await harness.send(sam.command("/transfer Kim"))
    assert _last(harness, sam).startswith(f"{code} is already offered to Jo")
    assert not any("take over" in t for t in harness.texts_to(kim.user_id))
    await harness.press(sam, "Withdraw the offer")
    assert _last(harness, sam) == f"Offer withdrawn: {code} stays with you."
    assert _last(harness, jo) == f"The offer of {code} was withdrawn: nothing to do."
    await harness.press(jo, "^Accept$")
    assert "no longer open" in harness.request.answers()[-1]
    assert (await _request(harness, code)).peer_id == sam.user_id
    await harness.send(sam.command("/transfer Kim"))  # now another offer may be made
    assert _last(harness, sam).startswith(f"{code} is offered to Kim.")
    assert [a for a, _, _ in await _actions(harness)] == [
        "transfer_offered", "transfer_withdrawn", "transfer_offered"]


async def test_a_stale_accept_moves_nothing(harness: Harness, clock: Clock) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    await harness.send(sam.command("/release"))  # the conversation went back to the queue
    await harness.press(jo, "^Accept$")
    assert "no longer open" in harness.request.answers()[-1]
    request = await _request(harness, code)
    assert (request.state, request.peer_id) == (State.OPEN, None)
    assert not any("handed" in t for t in harness.texts_to(jo.user_id))


async def test_an_expired_offer_is_stale(harness: Harness, clock: Clock) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    clock.now = START + transfers.OFFER_SECONDS + 1
    await harness.press(jo, "^Accept$")
    assert "no longer open" in harness.request.answers()[-1]
    assert (await _request(harness, code)).peer_id == sam.user_id
    await harness.send(sam.command("/transfer Jo"))  # an expired offer does not block another
    assert _last(harness, sam).startswith(f"{code} is offered to Jo.")


async def test_an_accept_by_someone_else_is_refused(harness: Harness) -> None:
    sam, jo, kim, alex = peer(), peer(2002, "Jo"), peer(2003, "Kim"), responder()
    code = await _offered(harness, sam, jo, alex)
    await harness.on_call(kim)
    data, message_id = harness.button(jo.user_id, "^Accept$")
    await harness.send(kim.press(data, message_id))
    assert harness.request.answers()[-1] == "This offer is not yours to answer."
    await harness.send(sam.press(data, message_id))  # the offering peer cannot accept it
    assert harness.request.answers()[-1] == "This offer is not yours to answer."
    withdraw, message_id = harness.button(sam.user_id, "Withdraw")
    await harness.send(jo.press(withdraw, message_id))  # nor can Jo withdraw it
    assert harness.request.answers()[-1] == "This offer is not yours to answer."
    request = await _request(harness, code)
    assert (request.peer_id, request.transfer_to) == (sam.user_id, jo.user_id)


async def test_two_accepts_at_once_move_it_once(harness: Harness) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    data, message_id = harness.button(jo.user_id, "^Accept$")
    await asyncio.gather(harness.send(jo.press(data, message_id)),
                         harness.send(jo.press(data, message_id)))
    answers = harness.request.answers()[-2:]
    assert answers.count(f"{code} is yours now.") == 1, answers  # the other: no longer open
    assert harness.count(jo.user_id, f"Sam has handed {code} over to you.") == 1
    assert harness.count(alex.user_id, "Your conversation continues with Jo") == 1
    assert [a for a, _, _ in await _actions(harness)] == ["transfer_offered",
                                                          "transfer_accepted"]


async def test_stats_count_transfers_blurred(harness: Harness) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    await _offered(harness, sam, jo, alex)
    await harness.press(jo, "^Accept$")
    coordinator = Person(COORDINATOR, "Casey")
    await harness.send(coordinator.command("/stats"))
    assert "Conversations handed over: <5" in _last(harness, coordinator)


async def test_a_message_read_before_the_hand_over_reaches_the_new_peer(harness: Harness,
                                                                        ) -> None:
    """The responder's message was read with the earlier peer, then the conversation moved
    before it was kept: it goes to the new peer, not to the one who handed it over."""
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    before = await _request(harness, code)
    await harness.press(jo, "^Accept$")
    await relay.from_responder(harness.services, before,
                               Content(Kind.TEXT, alex.user_id, 777, "Written meanwhile."))
    assert "Written meanwhile." in _last(harness, jo)
    assert not any("Written meanwhile." in t for t in harness.texts_to(sam.user_id))
    [kept] = [m for m in await harness.services.messages.conversation(before.id)
              if m.text == "Written meanwhile."]
    assert kept.sender == "responder"  # kept once


# ------------------------------------------------------------------ review fixes


async def test_a_colleague_asking_for_support_is_refused_as_if_off_call(harness: Harness,
                                                                        ) -> None:
    """Jo (on call) has a request of their own open; Kim is off call: both refusals are word
    for word the same, and both read whether the target has a request of their own, so that
    neither the text nor the time it takes tells Sam that Jo asked for support."""
    sam, jo, kim, alex = peer(), peer(2002, "Jo"), peer(2003, "Kim"), responder()
    await harness.register_peer(kim)
    await harness.on_call(jo)
    await harness.press(jo, "Talk to a peer")
    await harness.send(jo.text("I need someone too."))
    code = await harness.claimed(alex, sam)
    requests = harness.services.requests
    asked: list[int] = []
    live_for_responder = requests.live_for_responder

    async def spy(user_id: int) -> Request | None:
        asked.append(user_id)
        return await live_for_responder(user_id)

    requests.live_for_responder = spy  # type: ignore[method-assign]
    await harness.send(sam.command("/transfer Jo"))
    assert _last(harness, sam) == OFF_CALL.format(alias="Jo")
    await harness.send(sam.command("/transfer Kim"))
    assert _last(harness, sam) == OFF_CALL.format(alias="Kim")
    assert jo.user_id in asked and kim.user_id in asked  # read for both, whatever the answer
    assert (await _request(harness, code)).transfer_to is None
    assert await _actions(harness) == []


async def test_a_peer_in_a_pause_is_not_offered_a_conversation(harness: Harness,
                                                              clock: Clock) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    await harness.on_call(jo)
    code = await harness.claimed(alex, sam)
    await harness.services.peers.start_cooldown(jo.user_id, clock.now + 3600)
    await harness.send(sam.command("/transfer Jo"))
    assert _last(harness, sam) == OFF_CALL.format(alias="Jo")
    assert not any("take over" in t for t in harness.texts_to(jo.user_id))
    assert (await _request(harness, code)).transfer_to is None


async def test_accept_is_refused_off_call_or_in_a_pause(harness: Harness, clock: Clock,
                                                        ) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    await harness.send(jo.command("/offcall"))
    await harness.press(jo, "^Accept$")
    assert harness.request.answers()[-1].startswith(f"You are not on call now, so {code}")
    assert (await _request(harness, code)).peer_id == sam.user_id
    await harness.send(jo.command("/oncall 12h"))
    await harness.services.peers.start_cooldown(jo.user_id, clock.now + 3600)
    await harness.press(jo, "^Accept$")
    assert harness.request.answers()[-1].startswith("You are in a pause")
    request = await _request(harness, code)
    assert (request.peer_id, request.transfer_to) == (sam.user_id, jo.user_id)  # still open
    assert not any("handed" in t for t in harness.texts_to(jo.user_id))


async def test_after_a_hand_over_the_offering_peer_chooses_where_to_write(
        harness: Harness) -> None:
    """Sam holds Alex's and Bea's conversations and hands Alex's over: Sam's next message
    goes nowhere (not silently to Bea) until Sam chooses with /switch."""
    sam, jo, alex, bea = peer(), peer(2002, "Jo"), responder(), responder(918273602, "Bea")
    other = await harness.claimed(bea, sam, "Another night.")
    code = await _offered(harness, sam, jo, alex)  # Sam writes to Alex's, the latest claimed
    to_bea = len(harness.texts_to(bea.user_id))
    await harness.press(jo, "^Accept$")
    assert _last(harness, sam).endswith(
        f"You still hold {other}: choose which one your messages go to with /switch CODE.")
    await harness.send(sam.text("Meant for Alex"))
    assert _last(harness, sam).startswith("The conversation you were writing to is no longer")
    assert other in _last(harness, sam)
    assert len(harness.texts_to(bea.user_id)) == to_bea  # nothing reached Bea
    assert not any("Meant for Alex" in t for t in harness.texts_to(alex.user_id))
    await harness.send(sam.command(f"/switch {other}"))
    await harness.send(sam.text("Hello Bea"))
    assert _last(harness, bea).endswith("Hello Bea")
    assert (await _request(harness, code)).peer_id == jo.user_id


async def test_a_conversation_chosen_before_the_hand_over_stays_chosen(harness: Harness,
                                                                      ) -> None:
    sam, jo, alex, bea = peer(), peer(2002, "Jo"), responder(), responder(918273602, "Bea")
    other = await harness.claimed(bea, sam, "Another night.")
    await _offered(harness, sam, jo, alex)
    await harness.send(sam.command(f"/switch {other}"))
    await harness.press(jo, "^Accept$")
    assert _last(harness, sam).endswith(f"Your messages still go to {other}.")
    await harness.send(sam.text("Hello Bea"))
    assert _last(harness, bea).endswith("Hello Bea")


async def test_a_close_read_before_the_hand_over_closes_nothing(harness: Harness) -> None:
    """Sam's /close read the conversation while Sam held it; Jo accepted before it closed."""
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    before = await _request(harness, code)
    await harness.press(jo, "^Accept$")
    sam_peer = await harness.services.peers.get(sam.user_id)
    assert sam_peer is not None
    reply = await closing.close_by_peer.__wrapped__(  # type: ignore[attr-defined]
        harness.services, sam_peer, before)
    assert reply.key == "peer_close_not_yours"
    request = await _request(harness, code)
    assert (request.state, request.peer_id) == (State.CLAIMED, jo.user_id)
    assert not any("ended" in t or "closed" in t for t in harness.texts_to(alex.user_id))


async def test_an_end_read_before_the_hand_over_tells_the_new_peer(harness: Harness) -> None:
    """The responder's /end read the request while Sam held it; it closed after Jo took
    over: Jo is told, not Sam."""
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    before = await _request(harness, code)
    await harness.press(jo, "^Accept$")
    harness.services.requests.live_for_responder = (  # type: ignore[method-assign]
        lambda user_id: _stale(before))
    await harness.send(alex.command("/end"))
    ended = f"The responder has ended conversation {code}."
    assert harness.count(jo.user_id, ended) == 1
    assert harness.count(sam.user_id, ended) == 0


async def _stale(request: Request) -> Request:
    return request


async def test_an_undone_hand_over_is_told_to_the_offering_peer(harness: Harness) -> None:
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    harness.request.blocked.add(jo.user_id)  # Jo's chat cannot be reached any more
    await harness.press(jo, "^Accept$")
    assert "couldn't write to you in private" in harness.request.answers()[-1]
    assert (await _request(harness, code)).peer_id == sam.user_id
    assert _last(harness, sam) == (f"Jo accepted {code}, but I can't write to them in private,"
                                   f" so the hand-over was undone: {code} stays with you.")


async def test_a_peer_message_read_before_the_hand_over_is_not_kept(harness: Harness) -> None:
    """Sam's message was read while Sam held the conversation; Jo took it over before it was
    kept: not sent, not kept, and Sam is told why."""
    sam, jo, alex = peer(), peer(2002, "Jo"), responder()
    code = await _offered(harness, sam, jo, alex)
    before = await _request(harness, code)
    await harness.press(jo, "^Accept$")
    sam_peer = await harness.services.peers.get(sam.user_id)
    assert sam_peer is not None
    reply = await relay.to_responder(harness.services, sam_peer, before,
                                     Content(Kind.TEXT, sam.user_id, 778, "Too late, Sam."))
    assert reply is not None and reply.key == "peer_not_sent_not_yours"
    assert not any("Too late, Sam." in t for t in harness.texts_to(alex.user_id))
    assert not [m for m in await harness.services.messages.conversation(before.id)
                if m.text == "Too late, Sam."]


async def test_an_alias_is_matched_in_any_alphabet_and_case(harness: Harness) -> None:
    sam, elodie, alex = peer(), peer(2002, "Élodie"), responder()
    await harness.on_call(elodie)
    code = await harness.claimed(alex, sam)
    await harness.send(sam.command("/transfer élodie"))
    assert _last(harness, sam).startswith(f"{code} is offered to Élodie.")
    assert "asks you to take over conversation" in _last(harness, elodie)
