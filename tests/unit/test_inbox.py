"""The inbox keeps every update before it is handled, handles each once, handles different
chats at once and one chat in order, sets aside what it cannot handle, and a storage failure is
told to the person instead of passing on what was not kept."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from conftest import Harness, peer, responder

from bot.platform.inbox import Inbox, lane_of
from bot.platform.outbox import Purpose


async def _through_inbox(harness: Harness, updates: list[dict[str, Any]]) -> None:
    """Updates in as polling gives them, until handled, followed up and marked done."""
    inbox = Inbox(harness.app, harness.services)
    await inbox.receive(updates)
    await inbox.settled()


async def _start_again_before_done_marks(harness: Harness) -> None:
    """The process died before the done-marks were written: a new start handles it all
    again."""
    await harness.services.db.conn.execute("UPDATE inbox SET done_at = NULL")
    again = Inbox(harness.app, harness.services)
    await again.recover()
    await again.settled()


async def test_updates_are_stored_then_handled_once_in_order(harness: Harness) -> None:
    inbox = Inbox(harness.app, harness.services)
    alex = responder()
    first, second = alex.command("/start"), alex.command("/help")
    await inbox.receive([first, second, first])  # with a redelivery in the same batch
    await inbox.receive([first])  # and one later
    await inbox.settled()
    replies = harness.texts_to(alex.user_id)
    assert len(replies) == 2
    assert "thank you for reaching out" in replies[0]  # in the order they came
    assert await harness.services.inbox.unfinished() == []


async def test_a_handled_update_keeps_no_content(harness: Harness) -> None:
    inbox = Inbox(harness.app, harness.services)
    alex = responder()
    await inbox.receive([alex.text("words to forget")])
    await inbox.settled()
    row = await harness.services.db.fetch_one("SELECT body, done_at FROM inbox")
    assert row is not None and row["body"] == b"" and row["done_at"] is not None


async def test_different_chats_are_handled_at_once_and_one_chat_in_order(
        harness: Harness) -> None:
    harness.request.latency = 0.02
    inbox = Inbox(harness.app, harness.services)
    people = [responder(918_000_001 + i) for i in range(12)]
    batch = []
    for person in people:
        batch += [person.command("/start"), person.command("/help"), person.text("hello?")]
    await inbox.receive(batch)
    await inbox.settled()
    assert harness.request.most_in_flight >= 6  # chats overlapped
    for person in people:
        assert harness.request.most_in_chat[person.user_id] == 1  # one chat never did
        replies = harness.texts_to(person.user_id)
        assert "thank you for reaching out" in replies[0]
        assert len(replies) == 3


def test_a_button_waits_in_the_lane_of_who_pressed_it() -> None:
    sam, alex = peer(), responder()
    assert lane_of(alex.text("hi")) == alex.user_id
    assert lane_of(sam.press("claim:abc")) == sam.user_id
    assert lane_of({"update_id": 1, "poll": {}}) == 0
    assert lane_of({"update_id": 1, "message": {"chat": "not a chat"}}) == 0


async def test_an_update_that_cannot_be_parsed_is_set_aside_and_the_rest_go_on(
        harness: Harness) -> None:
    inbox = Inbox(harness.app, harness.services)
    alex, blake = responder(), responder(918_273_602, "Blake")
    poison = alex.text("a poll without its id")
    poison["message"]["date"] = "notanint"
    await inbox.receive([poison, alex.command("/start"), blake.command("/start")])
    await inbox.settled()
    assert "thank you for reaching out" in harness.texts_to(alex.user_id)[0]
    assert "thank you for reaching out" in harness.texts_to(blake.user_id)[0]
    assert await harness.services.inbox.set_aside_count() == 1
    assert await harness.services.inbox.unfinished() == []


async def test_an_update_found_unfinished_at_start_is_handled(harness: Harness) -> None:
    alex = responder()
    # Stored by a run that died before handling it.
    await harness.services.inbox.store([alex.command("/start")], [alex.user_id],
                                       harness.services.clock(), "a-previous-run")
    inbox = Inbox(harness.app, harness.services)
    await inbox.recover()
    await inbox.settled()
    assert "thank you for reaching out" in harness.texts_to(alex.user_id)[0]
    assert await harness.services.inbox.unfinished() == []


async def test_a_message_that_cannot_be_stored_is_not_relayed_and_the_sender_knows(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    before = len(harness.texts_to(sam.user_id))
    await harness.services.db.conn.execute("PRAGMA query_only = ON")  # a read-only database
    await _through_inbox(harness, [alex.text("Please don't lose this.")])
    await harness.services.db.conn.execute("PRAGMA query_only = OFF")
    reply = harness.texts_to(alex.user_id)[-1]
    assert "could not be stored" in reply and "988" in reply
    assert len(harness.texts_to(sam.user_id)) == before
    assert not any("Please don't lose this" in t for t in harness.texts_to(sam.user_id))
    assert code
    harness.errors.clear()  # the storage error was expected and answered


async def test_handling_an_update_again_after_a_crash_sends_nothing_twice(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    raw = alex.text("Only once, please.")
    await _through_inbox(harness, [raw])
    # The process died before the done-mark was written: it is found unfinished at start.
    await _start_again_before_done_marks(harness)
    relayed = [t for t in harness.texts_to(sam.user_id) if "Only once, please." in t]
    assert relayed == [f"{code}: Only once, please."]
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    stored = [m.text for m in await harness.services.messages.conversation(request.id)]
    assert stored.count("Only once, please.") == 1


async def test_a_relay_caught_mid_call_by_a_crash_is_not_repeated_and_its_sender_is_told(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    outbox = harness.services.outbox
    request = await harness.services.requests.live_for_responder(alex.user_id)
    assert request is not None
    # Two rows as a crash would leave them: made, and marked as being sent, then nothing.
    harness.request.network_down = True
    await outbox.send_text(alex.user_id, "a notice caught mid-call")
    await outbox.send_text(sam.user_id, "relayed words caught mid-call",
                           purpose=Purpose("relay", request.id, "responder"), relayed=True)
    harness.request.network_down = False
    await harness.services.db.conn.execute(
        "UPDATE outbox SET state = 'sending', not_before = 0 WHERE state = 'pending'")
    with caplog.at_level(logging.INFO, logger="bot.platform.outbox.sender"):
        await outbox.recover()
    await outbox.flush()
    assert not any("caught mid-call" in t for t in harness.texts_to(sam.user_id))
    # The bot's own notice goes again (it may arrive twice), and the log says so, with counts.
    assert [r.getMessage() for r in caplog.records if "took over" in r.getMessage()] == [
        "outbox: took over 2 row(s) caught mid-call: 1 sent again (each may arrive twice), "
        "1 relayed marked uncertain"]
    assert harness.texts_to(alex.user_id)[-2:] == [
        "a notice caught mid-call",
        "Your message could not be delivered just now. It is saved, but your peer may not have "
        "seen it yet. If you need to talk to someone now, call or text 988."]


async def test_a_relayed_message_goes_first_and_its_crisis_screen_follows_once(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    raw = alex.text("I want to kill myself tonight.")
    await _through_inbox(harness, [raw])
    to_peer = harness.texts_to(sam.user_id)
    relayed = to_peer.index(f"{code}: I want to kill myself tonight.")
    assert any(t.startswith(f"URGENT, {code}") for t in to_peer[relayed + 1:])
    crisis = [t for t in harness.texts_to(alex.user_id)
              if "call 911" in t and "Thank you for telling us" in t]
    assert len(crisis) == 1
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.high_risk
    # The process died before the done-mark: handled again at start, nothing sent twice.
    sent = len(harness.request.calls)
    await _start_again_before_done_marks(harness)
    assert [c for c in harness.request.calls[sent:]
            if c.method in ("sendMessage", "copyMessage")] == []
    assert await harness.services.inbox.unfinished() == []


async def test_a_done_mark_the_database_refuses_leaves_the_update_for_the_next_start(
        harness: Harness) -> None:
    alex = responder()
    inbox = Inbox(harness.app, harness.services)
    await inbox.receive([alex.command("/start")])
    await inbox.handled()
    await harness.services.db.conn.execute("PRAGMA query_only = ON")  # the disk gives out
    await asyncio.wait_for(inbox.settled(), 5)  # settles instead of waiting forever
    await harness.services.db.conn.execute("PRAGMA query_only = OFF")
    [left] = await harness.services.inbox.unfinished()  # handled again at start: no harm
    assert left.raw is not None and left.raw["message"]["text"] == "/start"
