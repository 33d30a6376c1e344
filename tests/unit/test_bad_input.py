"""Bad input gets a clear answer and changes nothing."""

from __future__ import annotations

from conftest import GROUP, Harness, in_group, peer, responder

from bot.requests.content import MAX_TEXT_CHARS


async def _claimed(harness: Harness) -> str:
    await harness.register_peer(peer())
    code = await harness.open_request(responder())
    await harness.press(in_group(peer()), "Claim", in_chat=GROUP)
    return code


async def test_over_long_message_is_refused_and_not_stored(harness: Harness) -> None:
    code = await _claimed(harness)
    alex, sam = responder(), peer()
    before = len(harness.texts_to(sam.user_id))
    await harness.send(alex.text("x" * (MAX_TEXT_CHARS + 1)))
    assert "too long" in harness.texts_to(alex.user_id)[-1]
    assert len(harness.texts_to(sam.user_id)) == before
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    assert len(await harness.services.messages.conversation(request.id)) == 1


async def test_sticker_cannot_be_passed_on(harness: Harness) -> None:
    await _claimed(harness)
    alex, sam = responder(), peer()
    before = len(harness.texts_to(sam.user_id))
    await harness.send(alex.message(sticker={
        "file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False,
        "is_video": False, "type": "regular"}))
    assert "can't be passed on" in harness.texts_to(alex.user_id)[-1]
    assert len(harness.texts_to(sam.user_id)) == before


async def test_end_with_nothing_open(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/end"))
    assert "no open conversation" in harness.texts_to(alex.user_id)[-1]


async def test_close_by_someone_who_is_not_the_claiming_peer(harness: Harness) -> None:
    code = await _claimed(harness)
    alex, kim = responder(), peer(2002, "Kim")
    await harness.send(alex.command("/close"))
    assert "for peers" in harness.texts_to(alex.user_id)[-1]
    await harness.register_peer(kim)
    await harness.send(kim.command(f"/close {code}"))
    assert "isn't one of your open conversations" in harness.texts_to(kim.user_id)[-1]
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.state == "claimed"


async def test_forged_and_stale_buttons(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await harness.open_request(alex)
    claim_data, card_id = harness.button(GROUP, "Claim")
    for forged in ("claim:0123456789abcdef", "claim:../../etc", "fb:0123456789abcdef:9",
                   "in:0123456789abcdef:u:now", "anything"):
        await harness.send(in_group(sam).press(forged))
        assert harness.request.answers()[-1] == "This button is no longer valid."
    await harness.send(alex.command("/end"))
    assert "Closed by the responder" in harness.request.to(GROUP, "editMessageText")[-1].text
    await harness.send(in_group(sam).press(claim_data, card_id))
    assert harness.request.answers()[-1] == "This request is closed."
    assert not any("You have claimed" in t for t in harness.texts_to(sam.user_id))


async def test_intake_button_pressed_twice_is_stale(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    data, message_id = harness.button(alex.user_id, "^Today$")
    await harness.send(alex.press(data, message_id))
    await harness.send(alex.press(data, message_id))
    assert harness.request.answers()[-1] == "That question has already been answered."


async def test_someone_else_cannot_answer_a_responders_intake(harness: Harness) -> None:
    alex, mallory = responder(), responder(918273699, "Mallory")
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    data, message_id = harness.button(alex.user_id, "^Now$")
    await harness.send(mallory.press(data, message_id))
    assert harness.request.answers()[-1] == "This button is no longer valid."


async def test_unknown_command_and_idle_text(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/frobnicate"))
    assert "don't know that command" in harness.texts_to(alex.user_id)[-1]
    await harness.send(alex.text("hello"))
    reply = harness.last_to(alex.user_id)
    assert "hasn't been sent to anyone" in reply.text
    assert any(b["text"] == "Talk to a peer" for b in reply.buttons)


async def test_outsider_and_unregistered_member_cannot_claim(harness: Harness) -> None:
    alex = responder()
    await harness.open_request(alex)
    outsider = in_group(responder(3001, "Outsider"))
    await harness.press(outsider, "Claim", in_chat=GROUP)
    assert "Only members" in harness.request.answers()[-1]
    unregistered = in_group(peer(2003, "Lee"))
    await harness.press(unregistered, "Claim", in_chat=GROUP)
    assert "send /start first" in harness.request.answers()[-1]
    request = await harness.services.requests.live_for_responder(alex.user_id)
    assert request is not None and request.state == "open"


async def test_edits_are_not_relayed_silently(harness: Harness) -> None:
    alex = responder()
    await harness.open_request(alex)
    raw = alex.text("edited words")
    raw["edited_message"] = raw.pop("message")
    raw["edited_message"]["edit_date"] = raw["edited_message"]["date"]
    await harness.send(raw)
    assert "Edits can't be passed on" in harness.texts_to(alex.user_id)[-1]


async def test_group_messages_other_than_commands_are_ignored(harness: Harness) -> None:
    sam = in_group(peer())
    before = len(harness.request.calls)
    await harness.send(sam.text("chatting in the group"))
    assert len(harness.request.calls) == before
    await harness.send(sam.command("/start"))
    assert "private chat" in harness.texts_to(GROUP)[-1]


async def test_a_long_agency_without_a_list_says_there_is_no_list(harness: Harness) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await harness.send(sam.command("/agency " + "x" * 500))
    reply = harness.texts_to(sam.user_id)[-1]
    assert reply.startswith("No agencies are configured") and "40 characters" in reply
    await harness.send(sam.command("/agency Metro PD"))
    assert harness.texts_to(sam.user_id)[-1] == "Your agency is now Metro PD."
