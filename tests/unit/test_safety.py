"""Crisis triage in the flow, the resources browser, /refer, /concern and the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GROUP, Harness, in_group, peer, responder

from bot.escalation import ladder

COORDINATOR = 3001
RISK = "I want to kill myself tonight."
ORDINARY = "Rough call today, the kid didn't make it. Can't sleep."


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR})}


def crisis_messages(harness: Harness, chat_id: int) -> list[str]:
    return [t for t in harness.texts_to(chat_id) if "call 911" in t and "988" in t
            and "Thank you for telling us" in t]


async def audit_actions(harness: Harness) -> list[str]:
    return [e.action for e in reversed(await harness.services.audit.latest())]


# ------------------------------------------------------------------ triage in the flow


async def test_a_risk_message_opening_a_request_gets_the_crisis_line_and_an_urgent_card(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await harness.send(sam.command("/oncall"))
    code = await harness.open_request(alex, RISK)

    assert len(crisis_messages(harness, alex.user_id)) == 1
    ack = harness.texts_to(alex.user_id)[-1]
    assert ack.startswith(f"Your request {code} is with the Peer Support Team, and the team's "
                          "coordinators have been alerted too.")
    assert "talk now" not in ack  # they did not say so: the crisis screen did
    card = harness.request.to(GROUP, "sendMessage")[-1]
    assert card.text.startswith("URGENT") and code in card.text
    assert [b["text"] for b in card.buttons] == ["Claim"]
    notice = harness.request.to(sam.user_id, "sendMessage")[-1]
    assert "URGENT" in notice.text and code in notice.text
    to_coordinator = harness.texts_to(COORDINATOR)
    assert any("URGENT" in t and code in t for t in to_coordinator)
    assert all("kill" not in t and "Alexandra" not in t for t in to_coordinator)
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.high_risk
    assert request.escalation_step == ladder.COORDINATOR_STEP  # jumped, though a peer is on call
    assert "risk_flagged" in await audit_actions(harness)


async def test_ordinary_venting_raises_no_alarm(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await harness.send(sam.command("/oncall"))
    code = await harness.open_request(alex, ORDINARY)

    assert crisis_messages(harness, alex.user_id) == []
    assert not harness.request.to(GROUP, "sendMessage")[-1].text.startswith("URGENT")
    assert harness.texts_to(COORDINATOR) == []
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and not request.high_risk and request.escalation_step == 0


async def test_a_waiting_request_turns_urgent_when_a_later_message_is_flagged(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await harness.send(sam.command("/oncall"))
    code = await harness.open_request(alex, ORDINARY)
    await harness.send(alex.text("honestly I don't want to be alive anymore"))
    card_edit = harness.request.to(GROUP, "editMessageText")[-1]
    waiting = await harness.services.requests.get_by_code(code)
    assert waiting is not None and card_edit.params["message_id"] == waiting.card_message_id
    assert card_edit.text.startswith("URGENT") and [b["text"] for b in card_edit.buttons] == [
        "Claim"]
    notice_edit = harness.request.to(sam.user_id, "editMessageText")[-1]
    assert "URGENT" in notice_edit.text and notice_edit.buttons
    assert len(crisis_messages(harness, alex.user_id)) == 1
    coordinator = harness.texts_to(COORDINATOR)
    assert any("URGENT" in t and code in t for t in coordinator)
    assert any("waiting" in t and code in t for t in coordinator)  # the ladder's step 2
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.escalation_step == ladder.COORDINATOR_STEP


async def test_in_a_conversation_the_message_is_relayed_and_the_peer_told(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    await harness.send(alex.text("no reason to keep going"))

    to_sam = harness.texts_to(sam.user_id)
    assert f"{code}: no reason to keep going" in to_sam  # the conversation goes on as before
    assert any(t.startswith(f"URGENT, {code}") for t in to_sam)
    crisis = crisis_messages(harness, alex.user_id)
    assert len(crisis) == 1 and "Sam is here with you" in crisis[0]
    assert any("A peer is talking with them" in t for t in harness.texts_to(COORDINATOR))

    # The crisis line is not repeated after every line, nor the alerts.
    await harness.send(alex.text("I just want to die"))
    assert len(crisis_messages(harness, alex.user_id)) == 1
    assert len([t for t in harness.texts_to(COORDINATOR) if "URGENT" in t]) == 1
    assert f"{code}: I just want to die" in harness.texts_to(sam.user_id)


async def test_the_crisis_line_comes_back_after_a_quiet_half_hour(harness: Harness) -> None:
    alex = responder()
    await harness.open_request(alex, RISK)
    now = harness.services.clock()
    harness.services.clock = lambda: now + 31 * 60
    await harness.send(alex.text("still thinking about ending it"))
    assert len(crisis_messages(harness, alex.user_id)) == 2


async def test_a_risk_message_before_any_request_still_gets_the_crisis_line(
        harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.text("i'm going to end my life"))
    texts = harness.texts_to(alex.user_id)
    assert len(crisis_messages(harness, alex.user_id)) == 1
    assert texts[-1].startswith("Your message hasn't been sent to anyone.")
    assert harness.texts_to(COORDINATOR) == []  # no request, nothing to alert about


async def test_a_refused_long_message_is_still_screened(harness: Harness) -> None:
    alex = responder()
    await harness.open_request(alex, ORDINARY)
    await harness.send(alex.text("i want to kill myself. " + "x" * 4100))
    assert "too long" in harness.texts_to(alex.user_id)[-1]
    assert len(crisis_messages(harness, alex.user_id)) == 1


async def test_an_edit_is_not_relayed_but_is_screened(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    edit = alex.text("I'm going to kill myself")
    edit["edited_message"] = {**edit.pop("message"), "edit_date": 1}
    await harness.send(edit)
    assert harness.texts_to(alex.user_id)[-1].startswith("Edits can't be passed on")
    assert len(crisis_messages(harness, alex.user_id)) == 1
    assert any(t.startswith(f"URGENT, {code}") for t in harness.texts_to(sam.user_id))
    assert not any("kill myself" in t for t in harness.texts_to(sam.user_id))


async def test_claiming_an_urgent_request_tells_the_peer(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, RISK)
    assert any(t.startswith(f"URGENT, {code}") for t in harness.texts_to(sam.user_id))
    assert "claim" in await audit_actions(harness)


# ------------------------------------------------------------------ resources


async def test_resources_lists_crisis_lines_then_browses_the_directory(
        harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/resources"))
    top = harness.last_to(alex.user_id)
    assert top.text.index("911") < top.text.index("988 Suicide & Crisis Lifeline")
    assert "Crisis Text Line" in top.text
    await harness.press(alex, "Clinician directory")
    page = harness.last_to(alex.user_id)
    assert page.method == "editMessageText" and "page 1 of 1" in page.text
    names = [b["text"] for b in page.buttons]
    assert "EXAMPLE Trauma Clinic (replace me)" in names and "Crisis lines" in names
    await harness.press(alex, "EXAMPLE Trauma Clinic")
    entry = harness.last_to(alex.user_id)
    assert "Experience with first responders" in entry.text and "Spanish" in entry.text
    assert "example entry" in entry.text
    await harness.press(alex, "Back to the directory")
    assert "page 1 of 1" in harness.last_to(alex.user_id).text
    await harness.press(alex, "Crisis lines")
    assert "Crisis Text Line" in harness.last_to(alex.user_id).text


async def test_a_forged_directory_button_is_stale(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.press("rb:e:no-such-entry:0", 5))
    assert harness.request.answers()[-1] == "This button is no longer valid."


# ------------------------------------------------------------------ /refer and /concern


async def test_refer_sends_an_entry_and_the_answer_comes_back(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    await harness.send(sam.command("/refer"))
    picker = harness.last_to(sam.user_id)
    assert code in picker.text and len(picker.buttons) == 3
    await harness.press(sam, "EXAMPLE Counsellor")
    assert f"Sent to {code}: EXAMPLE Counsellor" in harness.last_to(sam.user_id).text
    referral = harness.last_to(alex.user_id)
    assert referral.text.startswith("Sam thought this could help")
    assert "counsellor@example.org" in referral.text
    await harness.press(alex, "Yes, help me contact them")
    assert harness.texts_to(sam.user_id)[-1] == (
        f"{code} would like your help contacting EXAMPLE Counsellor, LCSW (replace me).")
    assert "Sam will help you" in harness.request.answers()[-1]
    entries = await harness.services.audit.latest()
    referral_entry = next(e for e in entries if e.action == "referral")
    assert (referral_entry.actor_id, referral_entry.request_code, referral_entry.detail) == (
        sam.user_id, code, "example-counsellor")
    answer_entry = next(e for e in entries if e.action == "referral_help_wanted")
    assert answer_entry.actor == "responder" and answer_entry.actor_id is None


async def test_a_double_tap_refers_once_and_answers_once(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    await harness.send(sam.command("/refer"))
    data, message_id = harness.button(sam.user_id, "EXAMPLE Counsellor")
    await harness.send(sam.press(data, message_id))
    await harness.send(sam.press(data, message_id))  # the same button again, quickly
    referrals = [t for t in harness.texts_to(alex.user_id) if "thought this could help" in t]
    assert len(referrals) == 1
    assert harness.request.answers()[-1].startswith("Already sent")
    answer, answer_message = harness.button(alex.user_id, "Yes, help me contact them")
    await harness.send(alex.press(answer, answer_message))
    await harness.send(alex.press(answer, answer_message))
    told = [t for t in harness.texts_to(sam.user_id) if t.startswith(f"{code} would like")]
    assert len(told) == 1


async def test_refer_is_for_the_claiming_peer_only(harness: Harness) -> None:
    sam, alex, kit = peer(), responder(), peer(2002, "Kit")
    await harness.claimed(alex, sam)
    await harness.register_peer(kit)
    await harness.send(kit.command("/refer"))
    assert harness.texts_to(kit.user_id)[-1].startswith("You have no open conversation.")
    await harness.send(sam.command("/refer"))
    data, message_id = harness.button(sam.user_id, "EXAMPLE Counsellor")
    await harness.send(kit.press(data, message_id))
    assert harness.request.answers()[-1] == "This button is no longer valid."
    stranger = responder(918273602, "Robin")
    await harness.send(stranger.command("/refer"))
    assert "for peers" in harness.texts_to(stranger.user_id)[-1]


async def test_concern_tells_coordinators_the_code_and_alias_only(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, "Something only the peer should read.")
    await harness.send(sam.command("/concern"))
    assert code in harness.texts_to(sam.user_id)[-1]
    alert = harness.texts_to(COORDINATOR)[-1]
    assert code in alert and "Sam" in alert
    assert "Something" not in alert and "Alexandra" not in alert
    assert "concern" in await audit_actions(harness)


# ------------------------------------------------------------------ the audit log


async def test_audit_records_actions_without_content_and_forget_unlinks_them(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, "Words that must never be audited.")
    await harness.send(sam.command("/release too tired"))
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(sam.command("/close"))
    assert await audit_actions(harness) == ["claim", "release", "claim", "close",
                                            "checkin_offered"]
    rows = await harness.services.db.fetch_all("SELECT * FROM audit")
    dump = repr([tuple(r) for r in rows])
    for secret in ("Words", "too tired", str(alex.user_id), "Alexandra"):
        assert secret not in dump

    await harness.send(alex.command("/forget"))
    await harness.press(alex, "(?i)delete everything")
    entries = await harness.services.audit.latest()
    assert [e.action for e in reversed(entries)][-1] == "forget"
    assert all(e.request_code is None for e in entries)
    assert code not in repr([tuple(r) for r in await harness.services.db.fetch_all(
        "SELECT * FROM audit")])
