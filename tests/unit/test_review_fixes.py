"""Edge cases found in review: edits of commands, people who are peer and responder at once,
ambiguous conversations, media that can no longer be copied, other bots' commands."""

from __future__ import annotations

import io
import logging

from conftest import GROUP, Harness, in_group, peer, responder
from offline import Person

from bot.platform import logs


async def _claimed(harness: Harness, who: Person, by: Person) -> str:
    code = await harness.open_request(who)
    data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(by).press(data, message_id))
    assert "is yours" in harness.request.answers()[-1]
    return code


async def test_an_edited_command_is_not_run_again(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await _claimed(harness, alex, sam)
    raw = alex.command("/end")
    await harness.send(raw)
    assert "The conversation has ended" in harness.texts_to(alex.user_id)[-1]
    edited = dict(raw)
    edited["edited_message"] = {**edited.pop("message"), "edit_date": 1}
    edited["update_id"] += 10_000
    await harness.send(edited)
    assert "Edits can't be passed on" in harness.texts_to(alex.user_id)[-1]


async def test_a_peer_holding_conversations_hands_them_on_before_asking_for_help(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    code = await _claimed(harness, alex, sam)
    await harness.press(sam, "Talk to a peer")
    assert f"holding conversations as a peer ({code})" in harness.texts_to(sam.user_id)[-1]
    await harness.send(sam.text("For Alex: I'm here."))
    assert harness.texts_to(alex.user_id)[-1] == "Sam: For Alex: I'm here."


async def test_a_peer_with_their_own_request_does_not_claim_others(harness: Harness) -> None:
    sam, kim, alex = peer(), peer(2002, "Kim"), responder()
    await harness.register_peer(sam)
    await harness.register_peer(kim)
    await harness.press(sam, "Talk to a peer")
    await harness.send(sam.text("I need someone myself."))
    await harness.open_request(alex)
    data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(sam).press(data, message_id))
    assert "request of your own open" in harness.request.answers()[-1]
    await harness.send(in_group(kim).press(data, message_id))
    assert "is yours" in harness.request.answers()[-1]


async def test_with_several_conversations_and_none_chosen_nothing_is_guessed(
        harness: Harness) -> None:
    sam, alex, bea = peer(), responder(), responder(918273602, "Bea")
    await harness.register_peer(sam)
    first = await _claimed(harness, alex, sam)
    second = await _claimed(harness, bea, sam)
    await harness.services.peers.set_current(sam.user_id, None, 0)
    before = len(harness.texts_to(alex.user_id)), len(harness.texts_to(bea.user_id))
    await harness.send(sam.text("Which of you gets this?"))
    reply = harness.texts_to(sam.user_id)[-1]
    assert "was not sent" in reply and first in reply and second in reply
    assert (len(harness.texts_to(alex.user_id)), len(harness.texts_to(bea.user_id))) == before


async def test_a_deleted_photo_does_not_make_the_request_unclaimable(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    code = await harness.open_request(alex)
    photo = alex.message(photo=[{"file_id": "p", "file_unique_id": "p", "width": 1,
                                 "height": 1}])
    harness.request.uncopyable.add(photo["message"]["message_id"])
    await harness.send(photo)
    data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(sam).press(data, message_id))
    assert "is yours" in harness.request.answers()[-1]
    assert f"{code}: [a message that can no longer be shown" in " ".join(
        harness.texts_to(sam.user_id))


async def test_a_video_note_is_labelled_before_it_is_copied(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    code = await _claimed(harness, alex, sam)
    await harness.send(alex.message(video_note={"file_id": "v", "file_unique_id": "v",
                                                "length": 1, "duration": 2}))
    label, copy = harness.request.to(sam.user_id)[-2:]
    assert (label.method, label.text) == ("sendMessage", f"{code}:")
    assert copy.method == "copyMessage" and "caption" not in copy.params


async def test_commands_for_other_bots_and_service_messages_get_no_answer(
        harness: Harness) -> None:
    sam, alex = in_group(peer()), responder()
    before = len(harness.request.calls)
    await harness.send(sam.command("/poll@SomeOtherBot"))
    await harness.send(alex.message(pinned_message={"message_id": 1, "date": 0, "chat": {
        "id": alex.user_id, "type": "private"}}))
    assert len(harness.request.calls) == before
    await harness.send(sam.command("/close"))
    assert "private chat" in harness.texts_to(GROUP)[-1]


def test_library_error_records_never_print_their_data() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out = io.StringIO()
    logs.configure("INFO", "1:T", out)
    try:
        logging.getLogger("telegram.ext.Updater").critical(
            "Error while parsing updates! Received data was %r", {"text": "my secret words"})
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert "secret words" not in out.getvalue()
    assert "details withheld" in out.getvalue()
