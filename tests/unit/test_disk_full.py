"""A database that cannot write (disk full, read-only): each person gets one answer, the true
one, never "could not be stored" followed by an answer as if it had been."""

from __future__ import annotations

from conftest import Harness, peer, responder

from bot.platform.inbox import Inbox


async def _read_only(harness: Harness, on: bool) -> None:
    await harness.services.db.conn.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


async def test_a_new_responders_start_gets_one_answer_the_true_one(harness: Harness) -> None:
    alex = responder()
    await _read_only(harness, True)
    inbox = Inbox(harness.app, harness.services)
    await inbox.receive([alex.command("/start")])
    await inbox.settled()
    await _read_only(harness, False)
    replies = harness.texts_to(alex.user_id)
    assert len(replies) == 1, replies
    assert "could not be stored" in replies[0] and "988" in replies[0]
    assert not any("Talk to a peer" in button["text"]
                   for call in harness.request.to(alex.user_id) for button in call.buttons)
    # Once the disk has room again, the same /start gets the welcome.
    await harness.send(alex.command("/start"))
    assert "confidential" in harness.texts_to(alex.user_id)[-1]


async def test_a_new_persons_button_gets_one_answer_too(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/start"))
    await harness.services.forget_language(alex.user_id)  # as someone not met before
    sent = len(harness.texts_to(alex.user_id))
    await _read_only(harness, True)
    await harness.press(alex, "Talk to a peer")
    await _read_only(harness, False)
    assert "could not be stored" in (harness.request.answers()[-1] or "")
    assert len(harness.texts_to(alex.user_id)) == sent  # no question as if it had begun


async def test_someone_already_known_is_answered_as_before(harness: Harness) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await _read_only(harness, True)
    await harness.send(sam.command("/help"))  # reads only: still answered
    await _read_only(harness, False)
    assert "peer" in harness.texts_to(sam.user_id)[-1]
