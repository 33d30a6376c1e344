"""issue 15, item 2: a relayed message whose fate is uncertain ends delivered, or named to its
writer (its first words) with a one-tap Send again; one notice per writer and stall."""

from __future__ import annotations

import logging
import re

import pytest
from conftest import Harness, in_group, peer, responder
from offline import Person

from bot.platform import keyboards
from bot.platform.outbox import MAX_ATTEMPTS
from bot.requests import resend
from bot.safety import erasure
from storage.messages import Sender

JOINED = "Sam from the Peer Support Team has joined."


async def _request_id(harness: Harness, person: Person) -> str:
    request = await harness.services.requests.live_for_responder(person.user_id)
    assert request is not None
    return request.id


async def _announce(harness: Harness, request_id: str, sender: Sender = "responder") -> None:
    """What the timer does once the collecting window is over, now; then deliver it."""
    services = harness.services
    services.timers.cancel(f"again:{request_id}:{sender}")
    real = services.clock
    services.clock = lambda: real() + resend.COLLECT_SECONDS + 1
    try:
        await resend.announce(services, request_id, sender)
    finally:
        services.clock = real
    await services.outbox.flush()


async def _timed_out(harness: Harness, person: Person, to: Person, text: str) -> None:
    """`person` writes `text`; its relay to `to` times out after it may have left."""
    harness.request.time_out.add(to.user_id)
    await harness.send(person.text(text))


async def _stall_over(harness: Harness) -> None:
    """Telegram answers a call again."""
    await harness.services.outbox.send_text(918273690, "any call Telegram answers")
    assert not harness.services.outbox.stalled


def _notices(harness: Harness, person: Person) -> list[str]:
    """The notices `person` got (edits of one are not another)."""
    return [c.text for c in harness.request.to(person.user_id, "sendMessage")
            if "may not have reached" in c.text]


async def test_a_timed_out_message_is_named_and_send_again_delivers_it_once(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    words = "I keep seeing the crash scene every time I close my eyes at night"
    await _timed_out(harness, alex, sam, words)
    # Nothing vague at once: whether it arrived is not known yet.
    assert harness.texts_to(alex.user_id)[-1] == JOINED
    await _stall_over(harness)
    await _announce(harness, await _request_id(harness, alex))
    notice = harness.last_to(alex.user_id)
    assert "this message may not have reached your peer" in notice.text
    assert "“I keep seeing the crash scene every time…”" in notice.text
    assert "call or text 988" in notice.text
    [button] = notice.buttons
    assert button["text"] == "Send again"
    assert re.fullmatch(r"again:[0-9a-f]{16}", button["callback_data"])

    await harness.press(alex, "^Send again$")
    assert harness.request.answers()[-1] == "Sent again."
    assert harness.texts_to(sam.user_id).count(f"{code}: {words}") == 1
    edited = harness.request.to(alex.user_id, "editMessageText")[-1]
    assert "(sent again)" in edited.text and not edited.buttons

    await harness.send(alex.press(button["callback_data"]))  # the same button, again
    assert harness.request.answers()[-1] == "This message was sent again already."
    tries = [c for c in harness.request.to(sam.user_id, attempts=True) if words in c.text]
    assert len(tries) == 2  # the one that timed out, and the one Send again made
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("bot", "storage", "handlers")]
    assert ours and not any("crash scene" in r.getMessage() for r in ours)


async def test_one_stall_gives_one_notice_naming_each_message(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    request_id = await _request_id(harness, alex)
    lines = ["First thing I wanted to say.", "Second thing, about the night shift.",
             "Third: are you still there?"]
    for line in lines:
        await _timed_out(harness, alex, sam, line)
    outbox = harness.services.outbox
    assert outbox.stalled
    await _announce(harness, request_id)
    assert not _notices(harness, alex)  # the network has not answered since: wait for it
    await _stall_over(harness)
    await _announce(harness, request_id)
    [notice] = _notices(harness, alex)
    assert "these 3 messages may not have reached your peer" in notice
    for line in lines:
        assert f"“{line}”" in notice
    last = harness.last_to(alex.user_id)
    assert [b["text"] for b in last.buttons] == [
        "Send again: First thing I wanted…", "Send again: Second thing, about the…",
        "Send again: Third: are you still…"]
    await harness.press(alex, "^Send again: Second")
    assert harness.texts_to(sam.user_id)[-1] == f"{code}: {lines[1]}"
    edited = harness.request.to(alex.user_id, "editMessageText")[-1]
    assert "Second thing, about the night shift.” (sent again)" in edited.text
    assert len(edited.buttons) == 2
    await _announce(harness, request_id)  # nothing more held: nothing more said
    assert len(_notices(harness, alex)) == 1


async def test_a_notice_still_waiting_to_go_names_what_follows_it(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    request_id = await _request_id(harness, alex)
    await _timed_out(harness, alex, sam, "Before the notice.")
    await _stall_over(harness)
    harness.request.flood[alex.user_id] = 1  # the notice is kept for later
    await _announce(harness, request_id)
    assert not _notices(harness, alex)
    harness.services.outbox.pacing.all_paused_until = 0  # only the responder's chat waits
    await _timed_out(harness, alex, sam, "After the notice.")
    await _stall_over(harness)
    await _announce(harness, request_id)
    outbox = harness.services.outbox
    outbox.pacing.paused_until.clear()
    outbox.pacing.all_paused_until = 0
    await harness.services.db.conn.execute("UPDATE outbox SET not_before = 0")
    await outbox.flush()
    [notice] = _notices(harness, alex)
    assert "“Before the notice.”" in notice and "“After the notice.”" in notice
    assert len(harness.last_to(alex.user_id).buttons) == 2


async def test_a_message_given_up_on_after_retrying_is_named_too(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    harness.request.network_down = True  # refused connections: surely not sent, so retried
    await harness.send(alex.text("Kept trying for half an hour."))
    assert harness.texts_to(alex.user_id)[-1] == JOINED  # kept for later: nothing to say yet
    db, outbox = harness.services.db, harness.services.outbox
    await db.conn.execute("UPDATE outbox SET attempts = ?, not_before = 0 WHERE relayed = 1 "
                          "AND state = 'pending'", (MAX_ATTEMPTS,))
    await outbox.flush()  # the last try: given up on
    row = await db.fetch_one("SELECT state FROM outbox WHERE relayed = 1 ORDER BY id DESC")
    assert row is not None and row["state"] == "failed"
    harness.request.network_down = False
    await _stall_over(harness)
    await _announce(harness, await _request_id(harness, alex))
    [notice] = _notices(harness, alex)
    assert "“Kept trying for half an hour.”" in notice
    await harness.press(alex, "^Send again$")
    assert harness.texts_to(sam.user_id)[-1] == f"{code}: Kept trying for half an hour."


async def test_a_peer_is_told_the_same_and_media_is_named_by_what_it_was(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    request_id = await _request_id(harness, alex)
    photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 10, "height": 10}]
    harness.request.time_out.add(alex.user_id)
    await harness.send(sam.message(photo=photo))
    harness.request.time_out.add(alex.user_id)
    await harness.send(sam.message(voice={"file_id": "v1", "file_unique_id": "u2",
                                          "duration": 3}, caption="Listen to this please"))
    await _stall_over(harness)
    await _announce(harness, request_id, "peer")
    [notice] = _notices(harness, sam)
    assert f"may not have reached the responder of {code}" in notice
    assert "• a photo\n• a voice message: “Listen to this please”" in notice
    assert "988" not in notice  # the crisis line is for responders
    await harness.press(sam, "^Send again: a photo$")
    copies = harness.request.to(alex.user_id, "copyMessage")
    assert copies[-1].params["caption"] == "Sam:"


async def test_only_its_writer_can_send_it_again_and_only_while_the_conversation_goes_on(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    request_id = await _request_id(harness, alex)
    await _timed_out(harness, alex, sam, "Only mine to send again.")
    await _stall_over(harness)
    await _announce(harness, request_id)
    data, _ = harness.button(alex.user_id, "^Send again$")
    await harness.send(sam.press(data))  # a forged press, by someone else
    assert harness.request.answers()[-1] == (
        "Only the person who wrote this message can send it again.")
    await harness.send(in_group(sam).press(data))
    assert harness.request.answers()[-1] == (
        "Only the person who wrote this message can send it again.")
    await harness.send(alex.command("/end"))
    await harness.send(alex.press(data))
    assert harness.request.answers()[-1] == (
        "This conversation has ended, so this message can't be sent again.")
    sent = [c for c in harness.request.to(sam.user_id) if "Only mine" in c.text]
    assert not sent
    await harness.send(alex.press("again:0123456789abcdef"))
    assert harness.request.answers()[-1] == (
        "This message is no longer kept, so it can't be sent again.")


async def test_forget_erases_what_was_kept_to_send_again(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    request_id = await _request_id(harness, alex)
    await _timed_out(harness, alex, sam, "Forget this one too.")
    await _stall_over(harness)
    await _announce(harness, request_id)
    db = harness.services.db
    [held] = await db.fetch_all("SELECT token FROM resends")
    await harness.send(alex.command("/forget"))
    await harness.press(alex, "Yes, delete everything")
    for query in ("SELECT COUNT(*) FROM resends",
                  "SELECT COUNT(*) FROM outbox WHERE purpose_kind = 'resend_notice'"):
        row = await db.fetch_one(query)
        assert row is not None and row[0] == 0, query
    await harness.send(alex.press(f"again:{held['token']}"))
    assert harness.request.answers()[-1] == (
        "This message is no longer kept, so it can't be sent again.")


async def test_the_retention_purge_erases_what_was_kept_to_send_again(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    request_id = await _request_id(harness, alex)
    await _timed_out(harness, alex, sam, "Purged with the rest.")
    await _stall_over(harness)
    await _announce(harness, request_id)
    await harness.send(alex.command("/end"))
    services = harness.services
    now = services.clock()
    services.clock = lambda: now + 31 * 86400
    assert await erasure.purge(services) == 1
    row = await services.db.fetch_one("SELECT COUNT(*) FROM resends")
    assert row is not None and row[0] == 0


async def test_messages_held_when_the_bot_stopped_are_named_at_the_next_start(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    await _timed_out(harness, alex, sam, "Caught by a stop.")
    await _stall_over(harness)
    services = harness.services
    services.timers.cancel(f"again:{await _request_id(harness, alex)}:responder")
    assert not _notices(harness, alex)
    real = services.clock
    services.clock = lambda: real() + resend.COLLECT_SECONDS + 1
    for request_id, sender in await services.outbox.rows.resends.held_writers():
        await resend.announce(services, request_id, sender)
    services.clock = real
    await services.outbox.flush()
    [notice] = _notices(harness, alex)
    assert "“Caught by a stop.”" in notice


def test_first_words_are_short_and_on_one_line() -> None:
    assert resend.first_words("Short one.") == "Short one."
    assert resend.first_words("one two three four five six seven eight nine") == (
        "one two three four five six seven eight…")
    assert resend.first_words("line one\nline two") == "line one line two"
    long_word = "x" * 100
    assert resend.first_words(long_word) == "x" * resend.NOTICE_CHARS + "…"
    assert keyboards.parse_again("again:0123456789abcdef") == "0123456789abcdef"
    assert keyboards.parse_again("again:0123456789abcdef:x") is None
