"""The safety question and /urgent in the flow, a Yes replayed after a crash, and edits that
must not add up twice."""

from __future__ import annotations

import time
from typing import Any

import pytest
from conftest import GROUP, Harness, peer, responder

from bot.platform.services import Services
from bot.requests import intake
from bot.safety import risk
from storage.requests import Request, RiskSource, State


async def _to_safety_question(harness: Harness, person: Any) -> None:
    await harness.send(person.command("/start"))
    await harness.press(person, "Talk to a peer")
    await harness.press(person, "^Today$")


async def _live(harness: Harness, user_id: int) -> Request:
    request = await harness.services.requests.live_for_responder(user_id)
    assert request is not None
    return request


async def test_yes_opens_an_urgent_request_at_once(harness: Harness) -> None:
    alex = responder()
    await _to_safety_question(harness, alex)
    await harness.press(alex, "^Yes$")
    request = await _live(harness, alex.user_id)
    assert request.state is State.OPEN and request.high_risk
    assert request.risk_source is RiskSource.ANSWER and request.intake.safety == "yes"
    heard = harness.texts_to(alex.user_id)[-1]
    assert heard.startswith("Thank you for telling us. That took courage")
    assert "call 911 now" in heard and request.code in heard
    assert harness.texts_to(GROUP)[-1].startswith("URGENT")


async def test_no_records_the_answer_and_asks_the_next_question(harness: Harness) -> None:
    alex = responder()
    await _to_safety_question(harness, alex)
    await harness.press(alex, "^No$")
    request = await _live(harness, alex.user_id)
    assert request.state is State.INTAKE and not request.high_risk
    assert request.intake.safety == "no"
    assert "outside your own agency? (3 of 3)" in harness.texts_to(alex.user_id)[-1]


async def test_a_yes_replayed_after_a_crash_still_opens_the_request(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    alex = responder()
    await _to_safety_question(harness, alex)
    opening = intake.open_request
    crashed: list[bool] = []

    async def crash_once(services: Services, request: Request) -> Any:
        if not crashed:
            crashed.append(True)
            raise RuntimeError("the process died here")
        return await opening(services, request)

    monkeypatch.setattr(intake, "open_request", crash_once)
    data, message_id = harness.button(alex.user_id, "^Yes$")
    tap = alex.press(data, message_id)
    await harness.send(tap)
    assert [type(error) for error in harness.errors] == [RuntimeError]
    harness.errors.clear()
    assert (await _live(harness, alex.user_id)).state is State.INTAKE  # answered, not opened

    await harness.send(tap)  # the stored update, handled again at start
    request = await _live(harness, alex.user_id)
    assert request.state is State.OPEN and request.high_risk
    assert sum(t.startswith("URGENT") for t in harness.texts_to(GROUP)) == 1
    await harness.send(tap)  # and once more: now it is stale, nothing new happens
    assert sum(t.startswith("URGENT") for t in harness.texts_to(GROUP)) == 1


async def test_a_yes_replayed_after_a_crash_between_opening_and_alerting_alerts_once(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Yes opened the request (its card is URGENT), then the process died before the
    team's alert: the tap handled again finishes the alert instead of calling itself stale."""
    alex = responder()
    await _to_safety_question(harness, alex)
    alerting = risk.alert
    crashed: list[bool] = []

    async def crash_once(services: Services, request_id: str, **options: Any) -> None:
        if not crashed:
            crashed.append(True)
            raise RuntimeError("the process died here")
        await alerting(services, request_id, **options)

    monkeypatch.setattr(risk, "alert", crash_once)
    data, message_id = harness.button(alex.user_id, "^Yes$")
    tap = alex.press(data, message_id)
    await harness.send(tap)
    harness.errors.clear()
    opened = await _live(harness, alex.user_id)
    assert opened.state is State.OPEN and opened.high_risk and not opened.risk_alerted

    await harness.send(tap)  # the stored update, handled again at start
    alerted = await _live(harness, alex.user_id)
    assert alerted.risk_alerted
    heard = harness.texts_to(alex.user_id)[-1]  # the crisis line the crash kept from them
    assert heard.startswith("Thank you for telling us.") and "call 911 now" in heard
    await harness.send(tap)  # and once more: nothing new
    assert (await _live(harness, alex.user_id)).risk_alerted
    assert sum(t.startswith("URGENT") for t in harness.texts_to(GROUP)) == 1


async def test_urgent_from_someone_who_is_not_a_peer_gets_the_crisis_line(
        harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/urgent"))
    reply = harness.texts_to(alex.user_id)[-1]
    assert reply.startswith("/urgent is for peers") and "call 911" in reply


async def test_urgent_by_the_claiming_peer(harness: Harness) -> None:
    alex, sam = responder(), peer()
    code = await harness.claimed(alex, sam)
    await harness.send(sam.command("/urgent"))
    assert harness.texts_to(sam.user_id)[-1].startswith(f"{code} is now marked URGENT")
    request = await _live(harness, alex.user_id)
    assert request.high_risk and request.risk_source is RiskSource.PEER
    assert harness.texts_to(alex.user_id)[-1].startswith("Your peer asked us to make sure")
    await harness.send(sam.command("/urgent"))
    assert harness.texts_to(sam.user_id)[-1].startswith(f"{code} is already marked URGENT")


async def test_an_edit_is_screened_but_not_added_up_again(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    alex = responder()
    await harness.open_request(alex, "Hi.")
    monkeypatch.setattr(risk, "read", lambda content: 0.6 if content.text else None)
    raw = alex.text("a weak signal")
    await harness.send(raw)
    for _ in range(2):  # two edits of the same message (a typo fixed, then another)
        edited = {"update_id": raw["update_id"] + 1000 + _, "edited_message": {
            **raw["message"], "text": "a weak signal, edited", "edit_date": int(time.time())}}
        await harness.send(edited)
    request = await _live(harness, alex.user_id)
    assert not request.high_risk
