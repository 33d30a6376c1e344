"""The team is alerted about a high-risk request once: not never (a crash between marking it
high risk and alerting the team), and not twice (the update handled again, two runs at once,
or the ladder taking steps while the alert works).

A crash is the test-only fault point of bot/platform/faults.py, made to raise instead of
ending the process; the update handled again after it runs in the same send scope as the
first time, as the inbox does (bot/platform/inbox.py)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import GROUP, START, Clock, Harness, peer, responder
from offline import Person

from bot.escalation import ladder, sweep
from bot.platform import faults
from bot.platform.outbox import send_scope
from bot.safety import risk

COORDINATOR = 3001
BACKUP = -2002
RISK = "I want to kill myself tonight."
ORDINARY = "Rough call today, the kid didn't make it. Can't sleep."


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR}), "backup_chat_id": BACKUP,
            "escalation_schedule": (300.0, 900.0, 1800.0)}


class Died(BaseException):
    """The process died here (not an Exception: no handler catches it)."""


@pytest.fixture
def crash_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Arm PEER_SUPPORT_FAULT points to raise Died instead of ending the process."""
    def die(code: int) -> None:
        raise Died(code)

    monkeypatch.setattr(faults.os, "_exit", die)
    yield
    os.environ.pop("PEER_SUPPORT_FAULT", None)


async def _handle(harness: Harness, raw: dict[str, Any], *, fault: str | None = None) -> None:
    """Handle an update in its own send scope (u<update_id>), as the inbox does; `fault`: the
    process dies at that point."""
    if fault:
        os.environ["PEER_SUPPORT_FAULT"] = fault
    try:
        with send_scope(f"u{raw['update_id']}"):
            await harness.send(raw)
    finally:
        os.environ.pop("PEER_SUPPORT_FAULT", None)


def _urgent_alerts(harness: Harness, code: str) -> list[str]:
    return [t for t in harness.texts_to(COORDINATOR) if t.startswith(f"URGENT: request {code}")]


def _crisis_lines(harness: Harness, person: Person) -> list[str]:
    return [t for t in harness.texts_to(person.user_id) if "988" in t and "Thank you" in t]


async def _audit(harness: Harness, action: str) -> int:
    return [e.action for e in await harness.services.audit.latest()].count(action)


async def _waiting(harness: Harness, clock: Clock) -> tuple[Person, str]:
    """A peer on call and a request of Alexandra's waiting for them."""
    await harness.on_call(peer())
    alex = responder()
    return alex, await harness.open_request(alex, ORDINARY)


# --- Never lost: a crash after the mark ------------------------------------------------------


async def test_a_crash_after_the_mark_still_alerts_when_the_update_is_handled_again(
        harness: Harness, clock: Clock, crash_at: None) -> None:
    alex, code = await _waiting(harness, clock)
    raw = alex.text(RISK)
    with pytest.raises(Died):
        await _handle(harness, raw, fault="after-risk-mark")
    flagged = await harness.services.requests.get_by_code(code)
    assert flagged is not None and flagged.high_risk and not flagged.risk_alerted
    assert _urgent_alerts(harness, code) == []  # what the crash left: flagged, nobody told

    await _handle(harness, raw)  # the next start handles it again
    assert len(_urgent_alerts(harness, code)) == 1
    assert len(_crisis_lines(harness, alex)) == 1
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.risk_alerted
    assert request.escalation_step == ladder.COORDINATOR_STEP
    assert harness.request.to(GROUP, "editMessageText")[-1].text.startswith("URGENT")
    assert await _audit(harness, "risk_flagged") == 1

    await _handle(harness, raw)  # and once more (a crash before the done-mark): nothing new
    await harness.send(alex.text("I just want to die"))  # a later risky message: no new alert
    assert len(_urgent_alerts(harness, code)) == 1
    assert len(_crisis_lines(harness, alex)) == 1
    assert await _audit(harness, "risk_flagged") == 1


async def test_a_crash_before_the_crisis_line_is_queued_still_sends_it(
        harness: Harness, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crisis notice is claimed in the transaction of the crisis line's own outbox row: a
    death before the row is made claims nothing, so the update handled again sends it (a
    claim kept alone would hold it back for CRISIS_REPEAT_SECONDS)."""
    alex, code = await _waiting(harness, clock)
    outbox = harness.services.outbox
    send_text = outbox.send_text

    async def dies_before_the_crisis_line(chat_id: int, text: str, *args: Any,
                                          **kwargs: Any) -> int:
        if "988" in text:
            raise Died(70)
        return await send_text(chat_id, text, *args, **kwargs)

    monkeypatch.setattr(outbox, "send_text", dies_before_the_crisis_line)
    raw = alex.text(RISK)
    with pytest.raises(Died):
        await _handle(harness, raw)
    monkeypatch.setattr(outbox, "send_text", send_text)
    await _handle(harness, raw)
    assert len(_crisis_lines(harness, alex)) == 1
    assert len(_urgent_alerts(harness, code)) == 1


async def test_a_crash_in_the_middle_of_the_alert_sends_nothing_twice(
        harness: Harness, clock: Clock, crash_at: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Dead after the coordinators were told, before the card: handled again, the card and the
    ladder's jump are done, and the coordinators are not told again."""
    alex, code = await _waiting(harness, clock)
    refresh = risk.cards.refresh_waiting
    calls = 0

    async def dies_once(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise Died(70)
        await refresh(*args, **kwargs)

    monkeypatch.setattr(risk.cards, "refresh_waiting", dies_once)
    raw = alex.text(RISK)
    with pytest.raises(Died):
        await _handle(harness, raw)
    assert len(_urgent_alerts(harness, code)) == 1
    await _handle(harness, raw)
    assert len(_urgent_alerts(harness, code)) == 1
    assert len(_crisis_lines(harness, alex)) == 1
    waited = [t for t in harness.texts_to(COORDINATOR) if t.startswith(f"Request {code} has")]
    assert len(waited) == 1  # the ladder's coordinator step, once
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.risk_alerted
    assert request.escalation_step == ladder.COORDINATOR_STEP


async def test_a_crash_after_a_peers_urgent_mark_still_alerts(
        harness: Harness, clock: Clock, crash_at: None) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    raw = sam.command(f"/urgent {code}")
    with pytest.raises(Died):
        await _handle(harness, raw, fault="after-risk-mark")
    await _handle(harness, raw)
    by_peer = [t for t in harness.texts_to(COORDINATOR) if code in t and "Sam" in t]
    assert len(by_peer) == 1
    assert harness.texts_to(sam.user_id)[-1].startswith(f"{code} is now marked URGENT")
    assert await _audit(harness, "urgent") == 1


async def test_two_alerts_at_once_tell_the_team_once(harness: Harness, clock: Clock) -> None:
    """Two runs of the alert at the same moment (two instances, or a replay beside later work)
    make the same rows: one message to each person, one audit entry."""
    _, code = await _waiting(harness, clock)
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    assert await harness.services.requests.mark_high_risk(request.id)
    await asyncio.gather(risk.alert(harness.services, request.id),
                         risk.alert(harness.services, request.id))
    assert len(_urgent_alerts(harness, code)) == 1
    waited = [t for t in harness.texts_to(COORDINATOR) if t.startswith(f"Request {code} has")]
    assert len(waited) == 1
    assert await _audit(harness, "risk_flagged") == 1


# --- Never twice: the ladder moving on while the alert works ----------------------------------


async def test_the_alert_does_not_wind_back_steps_the_ladder_took_meanwhile(
        harness: Harness, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The alert read the request at step 1; while it worked on the card, the sweep took
    steps 2 and 3. Its jump to the coordinator step must not put it back at step 1: steps 2
    and 3 would run again, and the backup chat would be alerted twice."""
    alex, code = await _waiting(harness, clock)
    clock.now = START + 300
    await sweep.sweep(harness.services)  # step 1
    refresh = risk.cards.refresh_waiting

    async def ladder_moves_on(*args: Any, **kwargs: Any) -> None:
        await refresh(*args, **kwargs)
        clock.now = START + 900
        await sweep.sweep(harness.services)  # step 2
        clock.now = START + 1800
        await sweep.sweep(harness.services)  # step 3: the backup chat

    monkeypatch.setattr(risk.cards, "refresh_waiting", ladder_moves_on)
    escalated = harness.services.metrics.escalated
    steps: list[tuple[int, int]] = []

    def counted(first: int, last: int) -> None:
        steps.append((first, last))
        escalated(first, last)

    monkeypatch.setattr(harness.services.metrics, "escalated", counted)
    await harness.send(alex.text(RISK))
    assert len(harness.texts_to(BACKUP)) == 1
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.escalation_step == ladder.STEPS
    assert steps == [(2, 2), (3, 3)]
    assert len(_urgent_alerts(harness, code)) == 1
