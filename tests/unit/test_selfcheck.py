"""/selfcheck: PHQ-2, GAD-2 and PC-PTSD-5, one tap an answer; a result that routes (a peer,
the directory, the crisis line) and is never stored unless shared with the responder's peer."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import START, Clock, Harness, peer, responder
from offline import OfflineRequest, Person

from bot.oversight import stats
from bot.safety import selfcheck

COORDINATOR = 3001
HIGH = ["Nearly every day"] * 4 + ["^Yes$"] * 6  # every instrument at or above its cut-off
LOW = ["Not at all", "Several days", "Several days", "Not at all", "^No$"]  # 1, 1, no event


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR})}


async def take(harness: Harness, person: Person, answers: list[str]) -> str:
    """/selfcheck, then one tap an answer; the text the check's message ends as."""
    await harness.send(person.command("/selfcheck"))
    for label in answers:
        await harness.press(person, label)
    return harness.texts_to(person.user_id)[-1]


def labels(harness: Harness, chat_id: int) -> list[str]:
    return [b["text"] for b in harness.last_to(chat_id).buttons]


async def table_counts(harness: Harness) -> dict[str, int]:
    db = harness.services.db
    tables = [row["name"] for row in await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    counts = {}
    for table in tables:
        row = await db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
        counts[table] = int(row["n"]) if row is not None else 0
    return counts


async def audit_actions(harness: Harness) -> list[str]:
    return [e.action for e in reversed(await harness.services.audit.latest())]


def test_scoring_follows_the_published_cut_offs() -> None:
    assert selfcheck.score("3300" + "1" + "11000") == selfcheck.Result(6, 0, 2)
    result = selfcheck.score("1200" + "1" + "11100")
    assert result.above("phq") and not result.above("gad") and result.above("ptsd")
    assert selfcheck.score("00000") == selfcheck.Result(0, 0, None)
    assert not selfcheck.score("11110").any_above  # 2 of 6 each: below 3
    assert selfcheck.score("21000").above("phq")
    assert selfcheck.complete("00000") and not selfcheck.complete("00001")
    assert not selfcheck.valid("000000")  # nothing may follow "no event"
    assert not selfcheck.valid("0000" + "1" + "2")  # PC-PTSD-5 is yes or no


async def test_a_whole_check_above_the_cut_offs_routes_to_a_peer(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/selfcheck"))
    first = harness.texts_to(alex.user_id)[-1]
    assert "not a diagnosis" in first and "Question 1 of 10" in first
    assert "call 911" in first and "988" in first  # the crisis line from the first screen
    assert "Little interest or pleasure in doing things" in first
    assert labels(harness, alex.user_id) == ["Not at all", "Several days",
                                             "More than half the days", "Nearly every day",
                                             "Stop"]
    for label in HIGH[:4]:
        await harness.press(alex, label)
    event = harness.texts_to(alex.user_id)[-1]
    assert "Question 5 of 10" in event and "Have you ever experienced this kind of event?" in event
    assert labels(harness, alex.user_id) == ["Yes", "No", "Stop"]
    for label in HIGH[4:]:
        await harness.press(alex, label)

    result = harness.texts_to(alex.user_id)[-1]
    assert harness.last_to(alex.user_id).method == "editMessageText"  # edited in place
    assert result.count("your answers suggest this has been weighing on you") == 3
    assert "Many responders feel this" in result and "not a diagnosis" in result
    assert "call 911" in result and "988" in result  # the crisis line, always
    assert labels(harness, alex.user_id) == ["Talk to a peer", "Clinician directory",
                                             "Resources"]
    assert await audit_actions(harness) == ["selfcheck_taken"]
    assert (await harness.services.audit.latest())[0].detail is None  # never a score
    # The way on is the ordinary intake.
    await harness.press(alex, "Talk to a peer")
    assert "1 of 3" in harness.texts_to(alex.user_id)[-1]


async def test_a_check_below_the_cut_offs_and_no_event_ends_after_five(
        harness: Harness) -> None:
    alex = responder()
    result = await take(harness, alex, LOW)
    assert "nothing in your answers stands out" in result
    assert "you have not been through such an event" in result
    assert "weighing on you" not in result.split("\n\n")[1]
    assert "do not suggest that things are weighing on you" in result
    assert "call 911" in result


async def test_nothing_is_stored_when_the_result_is_not_shared(harness: Harness) -> None:
    alex, sam = responder(), peer()
    await harness.claimed(alex, sam)
    before = await table_counts(harness)
    result = await take(harness, alex, HIGH)
    assert "You are talking with" in result
    after = await table_counts(harness)
    changed = {table for table in after if after[table] != before.get(table)}
    # The bot's own replies go through the outbox (sealed); the audit log has one line.
    assert changed <= {"outbox", "audit"}, changed
    assert after["audit"] == before["audit"] + 1
    assert after["messages"] == before["messages"]
    entry = (await harness.services.audit.latest())[0]
    assert (entry.action, entry.actor_id, entry.request_code, entry.detail) == (
        "selfcheck_taken", None, None, None)
    assert not any("Self-check" in t for t in harness.texts_to(sam.user_id))
    raw = b"".join(path.read_bytes()
                   for path in harness.services.settings.database_path.parent.glob("*"))
    assert b"weighing" not in raw and b"PHQ" not in raw


async def test_sharing_relays_the_summary_to_the_peer_sealed_like_a_message(
        harness: Harness) -> None:
    alex, sam = responder(), peer()
    code = await harness.claimed(alex, sam)
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    kept = len(await harness.services.messages.conversation(request.id))
    await take(harness, alex, ["More than half the days", "Several days", "Several days",
                               "Not at all", "^Yes$", "^Yes$", "^No$", "^Yes$", "^No$",
                               "^Yes$"])
    assert labels(harness, alex.user_id)[0] == "Share the result with my peer"
    await harness.press(alex, "Share the result with my peer")

    assert harness.request.answers()[-1] == "Shared with Sam."
    summary = harness.texts_to(sam.user_id)[-1]
    assert summary.startswith(f"{code}: Self-check shared by the responder")
    assert "Mood (PHQ-2): 3 of 6, at or above the screening cut-off of 3" in summary
    assert "Anxiety (GAD-2): 1 of 6, below the screening cut-off of 3" in summary
    assert "(PC-PTSD-5): 3 of 5, at or above" in summary
    assert "Nearly" not in summary and "nightmares" not in summary  # no single answer
    assert "Shared with Sam" in harness.texts_to(alex.user_id)[-1]
    assert "Share the result with my peer" not in labels(harness, alex.user_id)
    # Kept sealed with the conversation, like a message of theirs.
    history = await harness.services.messages.conversation(request.id)
    assert len(history) == kept + 1
    assert history[-1].sender == "responder" and "PHQ-2" in (history[-1].text or "")
    row = await harness.services.db.fetch_one(
        "SELECT body FROM messages WHERE request_id = ? ORDER BY seq DESC LIMIT 1",
        (request.id,))
    assert row is not None and b"PHQ" not in bytes(row["body"])
    assert "selfcheck_shared" in await audit_actions(harness)
    entry = (await harness.services.audit.latest())[0]
    assert (entry.action, entry.request_code, entry.detail) == ("selfcheck_shared", code, None)


async def test_share_twice_and_without_a_peer(harness: Harness) -> None:
    alex, sam = responder(), peer()
    await harness.claimed(alex, sam)
    await take(harness, alex, HIGH)
    share, message_id = harness.button(alex.user_id, "Share the result")
    await harness.send(alex.press(share, message_id))
    await harness.send(alex.press(share, message_id))
    assert harness.request.answers()[-1] == "Already shared with your peer."
    assert sum("Self-check shared" in t for t in harness.texts_to(sam.user_id)) == 1
    await harness.send(alex.command("/end"))
    await harness.send(alex.press(share, message_id))
    assert harness.request.answers()[-1] == (
        "You are not talking with a peer right now, so nothing was shared.")
    assert sum("Self-check shared" in t for t in harness.texts_to(sam.user_id)) == 1


async def test_stop_leaves_at_any_point_and_keeps_nothing(harness: Harness) -> None:
    alex = responder()
    await take(harness, alex, ["Several days", "Several days"])
    await harness.press(alex, "Stop")
    stopped = harness.texts_to(alex.user_id)[-1]
    assert stopped.startswith("Self-check stopped. Nothing was kept.")
    assert "call 911" in stopped
    assert labels(harness, alex.user_id) == []
    assert await audit_actions(harness) == []


async def test_a_check_goes_on_after_a_restart_and_a_stale_button_offers_a_new_one(
        harness: Harness, clock: Clock) -> None:
    alex = responder()
    await take(harness, alex, ["Several days", "Nearly every day"])
    pending, message_id = harness.button(alex.user_id, "Nearly every day")
    # A restart: nothing of the check was in memory, so the next tap goes on from the button.
    request = OfflineRequest(members=set())
    async with harness.restarted(request) as app:
        services = app.bot_data.services
        assert services is not None
        services.clock = clock
        restarted = Harness(app, request)
        await restarted.send(alex.press(pending, message_id))
        assert "Question 4 of 10" in restarted.texts_to(alex.user_id)[-1]
        # Too late: the check's buttons count for two hours.
        later, later_id = restarted.button(alex.user_id, "Not at all")
        clock.now = START + selfcheck.CHECK_SECONDS + 1
        await restarted.send(alex.press(later, later_id))
        assert request.answers()[-1] == "This self-check is no longer running. Nothing was kept."
        stale = restarted.texts_to(alex.user_id)[-1]
        assert "You can start again" in stale
        assert "call 911" in stale and "988" in stale  # the crisis line here too
        await restarted.press(alex, "Start again")
        assert "Question 1 of 10" in restarted.texts_to(alex.user_id)[-1]
        # Someone else's (or a forged) button counts for nothing either.
        theirs, theirs_id = restarted.button(alex.user_id, "Not at all")
        other = responder(918273999, "Robin")
        await restarted.send(other.press(theirs, theirs_id))
        assert request.answers()[-1] == "This self-check is no longer running. Nothing was kept."
        await restarted.send(alex.press("sc:1800000000:0:0123456789abcdef", 1))
        assert request.answers()[-1] == "This self-check is no longer running. Nothing was kept."


async def test_a_risky_message_during_a_check_gets_the_crisis_line(harness: Harness) -> None:
    alex = responder()
    await take(harness, alex, ["Several days"])
    await harness.send(alex.text("I want to kill myself tonight."))
    assert any("call 911" in t and "Thank you for telling us" in t
               for t in harness.texts_to(alex.user_id))


async def test_a_waiting_request_is_named_and_stats_count_checks(harness: Harness) -> None:
    alex = responder()
    code = await harness.open_request(alex)
    result = await take(harness, alex, LOW)
    assert f"Your request {code} is with the Peer Support Team" in result
    assert labels(harness, alex.user_id) == ["Clinician directory", "Resources"]
    await harness.send(Person(COORDINATOR, "Casey").command("/stats"))
    assert "Self-checks completed: <5 (shared with a peer: 0)" in harness.texts_to(
        COORDINATOR)[-1]
    summary = stats.summarize([], [], 0, 0, selfchecks=(7, 5))
    assert (summary.selfchecks, summary.selfchecks_shared) == (7, 5)


async def _new_conversation(harness: Harness, alex: Person, sam: Person, jo: Person) -> str:
    """Alex's conversation with Sam ends, and Jo claims a new one of Alex's; its id."""
    await harness.send(alex.command("/end"))
    await harness.claimed(alex, jo, "Me again.")
    live = await harness.services.requests.live_for_responder(alex.user_id)
    assert live is not None and live.peer_id == jo.user_id
    return live.id


async def test_share_goes_only_to_the_peer_named_when_it_was_shown(harness: Harness) -> None:
    alex, sam, jo = responder(), peer(2001, "Sam"), peer(2002, "Jo")
    await harness.claimed(alex, sam)
    assert "You are talking with Sam" in await take(harness, alex, HIGH)
    share, message_id = harness.button(alex.user_id, "Share the result")
    await _new_conversation(harness, alex, sam, jo)
    await harness.send(alex.press(share, message_id))  # shown for Sam's conversation
    assert harness.request.answers()[-1].startswith(
        "Your conversation has changed since this result was shown, so nothing was shared.")
    assert not any("Self-check shared" in t for t in harness.texts_to(jo.user_id))
    assert not any("Self-check shared" in t for t in harness.texts_to(sam.user_id))
    # Shown again, naming Jo, with a Share button for Jo's conversation.
    assert "You are talking with Jo" in harness.texts_to(alex.user_id)[-1]
    await harness.press(alex, "Share the result")
    assert harness.request.answers()[-1] == "Shared with Jo."
    assert sum("Self-check shared" in t for t in harness.texts_to(jo.user_id)) == 1
    assert "selfcheck_shared" in await audit_actions(harness)


async def test_share_is_refused_when_another_peer_holds_the_conversation(
        harness: Harness) -> None:
    alex, sam, jo = responder(), peer(2001, "Sam"), peer(2002, "Jo")
    await harness.claimed(alex, sam)
    await harness.register_peer(jo)
    await take(harness, alex, HIGH)
    share, message_id = harness.button(alex.user_id, "Share the result")
    live = await harness.services.requests.live_for_responder(alex.user_id)
    assert live is not None
    # Another peer holds the same conversation now (a hand-over).
    await harness.services.db.write("UPDATE requests SET peer_id = ? WHERE id = ?",
                                    (jo.user_id, live.id))
    await harness.send(alex.press(share, message_id))
    assert "nothing was shared" in harness.request.answers()[-1]
    assert not any("Self-check shared" in t for t in harness.texts_to(jo.user_id))
    assert "You are talking with Jo" in harness.texts_to(alex.user_id)[-1]


async def test_a_result_is_shared_once_across_conversations(harness: Harness) -> None:
    alex, sam, jo = responder(), peer(2001, "Sam"), peer(2002, "Jo")
    await harness.claimed(alex, sam)
    await take(harness, alex, HIGH)
    share, message_id = harness.button(alex.user_id, "Share the result")
    await harness.send(alex.press(share, message_id))
    assert harness.request.answers()[-1] == "Shared with Sam."
    request_id = await _new_conversation(harness, alex, sam, jo)
    # Even a valid Share button for Jo's conversation, on the same result message, shares
    # nothing more.
    began, answers = int(share.split(":")[1], 36), share.split(":")[2]
    again = selfcheck._share_data(harness.services, alex.user_id, selfcheck.Shown(
        began, answers, request_id, jo.user_id))
    assert again is not None
    await harness.send(alex.press(again, message_id))
    assert harness.request.answers()[-1] == "Already shared with your peer."
    assert not any("Self-check shared" in t for t in harness.texts_to(jo.user_id))


def test_share_data_fits_a_button() -> None:
    class _Settings:
        index_key = b"k" * 32

    class _Services:
        settings = _Settings()

    shown = selfcheck.Shown(9_999_999_999, "3333111111", "f" * 16, 2**53)
    data = selfcheck._share_data(_Services(), 2**53, shown)  # type: ignore[arg-type]
    assert data is not None and len(data.encode()) <= 64
    assert selfcheck.SHARE_PATTERN.match(data)
