"""The hand-off through the real application and handlers, on an offline Bot API, on each
database."""

from __future__ import annotations

import pytest
from conftest import GROUP, Harness, in_group, peer, responder

from bot.requests import relay
from bot.requests.content import Content, Kind
from storage.requests import State


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """Every test here runs on SQLite and on a new PostgreSQL database."""
    return str(request.getfixturevalue("postgres_url")) if backend == "postgres" else None


async def test_welcome_for_a_responder_states_the_limits_of_confidentiality(
        harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/start"))
    welcome = harness.last_to(alex.user_id)
    assert "confidential" in welcome.text and "clinicians" in welcome.text
    assert [b["text"] for b in welcome.buttons] == ["Talk to a peer", "Resources"]
    assert await harness.services.peers.get(alex.user_id) is None  # not a team member


async def test_intake_answers_reach_the_card_but_no_identity_or_text(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    await harness.press(alex, "^Now$")
    await harness.press(alex, "^No$")  # the safety question
    await harness.press(alex, "outside my agency")
    await harness.press(alex, "^EMS$")
    await harness.send(alex.text("The call with the child keeps coming back."))
    card = harness.last_to(GROUP)
    assert "How soon: Now" in card.text and "Field: EMS" in card.text
    assert "Agency: outside-agency requested" in card.text
    assert [b["text"] for b in card.buttons] == ["Claim"]
    for secret in ("child", "Alexandra", "alex_private", str(alex.user_id)):
        assert secret not in str(card.params)


async def test_typing_straight_away_skips_the_questions(harness: Harness) -> None:
    alex = responder()
    code = await harness.open_request(alex, "Just need to talk.")
    card = harness.last_to(GROUP)
    assert code in card.text and "How soon: not given" in card.text


async def test_claim_relay_and_close(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    code = await harness.open_request(alex, "First words.")
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)

    to_sam = harness.texts_to(sam.user_id)
    assert any(f"You have claimed {code}" in t for t in to_sam)
    assert f"{code}: First words." in to_sam
    assert harness.texts_to(alex.user_id)[-1] == "Sam from the Peer Support Team has joined."
    card_edit = harness.request.to(GROUP, "editMessageText")[-1]
    assert "Claimed by Sam" in card_edit.text and not card_edit.buttons

    await harness.send(sam.text("I'm here."))
    assert harness.texts_to(alex.user_id)[-1] == "Sam: I'm here."
    await harness.send(alex.text("Thanks."))
    assert harness.texts_to(sam.user_id)[-1] == f"{code}: Thanks."

    await harness.send(sam.command("/close"))
    # The closing message with the rating, then the offer of a follow-up check-in.
    assert "has closed this conversation" in harness.texts_to(alex.user_id)[-2]
    assert [b["text"] for b in harness.request.to(alex.user_id)[-2].buttons][:5] == list(
        "12345")
    assert "check in on you later" in harness.texts_to(alex.user_id)[-1]
    assert f"Conversation {code} is closed" in harness.texts_to(sam.user_id)[-1]
    await harness.send(alex.text("hello?"))
    assert "hasn't been sent to anyone" in harness.texts_to(alex.user_id)[-1]


async def test_a_message_written_while_the_request_is_claimed_reaches_the_peer(
        harness: Harness) -> None:
    """The responder's message was read against the waiting request, and the claim (which
    shows the peer every message so far) committed before it was kept: it is relayed, once,
    instead of being kept for a peer who has already read the history."""
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    code = await harness.open_request(alex, "First words.")
    waiting = await harness.services.requests.live_for_responder(alex.user_id)
    assert waiting is not None and waiting.state is State.OPEN
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)

    reply = await relay.from_responder(
        harness.services, waiting, Content(Kind.TEXT, alex.user_id, 777, "Written meanwhile."))

    assert reply is None  # not "Saved for your peer": it went
    assert harness.texts_to(sam.user_id).count(f"{code}: Written meanwhile.") == 1
    history = await harness.services.messages.conversation(waiting.id)
    assert [m.text for m in history] == ["First words.", "Written meanwhile."]


async def test_a_claim_whose_handling_died_is_finished_when_the_press_comes_again(
        harness: Harness) -> None:
    """The claim was committed, then the bot died before briefing the peer (a crash, or an
    instance killed): the press, handled again, finishes it instead of answering "already
    claimed" to the very peer who holds it. A later press by the same peer changes nothing."""
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    code = await harness.open_request(alex, "First words.")
    waiting = await harness.services.requests.live_for_responder(alex.user_id)
    assert waiting is not None
    assert await harness.services.requests.claim(waiting.id, sam.user_id,
                                                 harness.services.clock())

    await harness.press(in_group(sam), "Claim", in_chat=GROUP)

    assert any(f"You have claimed {code}" in t for t in harness.texts_to(sam.user_id))
    assert f"{code}: First words." in harness.texts_to(sam.user_id)
    assert harness.texts_to(alex.user_id)[-1] == "Sam from the Peer Support Team has joined."
    assert "Claimed by Sam" in harness.request.to(GROUP, "editMessageText")[-1].text
    held = await harness.services.peers.get(sam.user_id)
    assert held is not None and held.current_request_id == waiting.id
    sent = len(harness.request.calls)

    await harness.press(in_group(sam), "Claim", in_chat=GROUP)  # the stale card, again

    later = [c.method for c in harness.request.calls[sent:] if c.method != "getChatMember"]
    assert later == ["answerCallbackQuery"]
    assert harness.texts_to(alex.user_id).count("Sam from the Peer Support Team has joined.") == 1


async def test_media_is_copied_never_forwarded(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    code = await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(alex.message(voice={"file_id": "v", "file_unique_id": "v",
                                           "duration": 3}))
    copy = harness.last_to(sam.user_id)
    assert copy.method == "copyMessage"
    assert copy.params["caption"] == f"{code}:"
    assert all(c.method != "forwardMessage" for c in harness.request.calls)


async def test_second_start_shows_the_open_request(harness: Harness) -> None:
    alex = responder()
    code = await harness.open_request(alex)
    await harness.send(alex.command("/start"))
    assert f"You already have an open request, {code}" in harness.texts_to(alex.user_id)[-1]
    await harness.press(alex, "Talk to a peer", in_chat=alex.user_id)
    assert "already have an open request" in harness.texts_to(alex.user_id)[-1]
    assert len(harness.request.to(GROUP, "sendMessage")) == 1


async def test_peer_who_cannot_be_reached_does_not_keep_the_claim(harness: Harness) -> None:
    sam, kim, alex = peer(), peer(2002, "Kim"), responder()
    await harness.register_peer(sam)
    await harness.register_peer(kim)
    await harness.open_request(alex)
    harness.request.blocked.add(sam.user_id)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    assert "couldn't write to you" in harness.request.answers()[-1]
    await harness.press(in_group(kim), "Claim", in_chat=GROUP)
    assert "is yours" in harness.request.answers()[-1]
    assert harness.texts_to(alex.user_id)[-1] == "Kim from the Peer Support Team has joined."


async def test_responder_is_told_when_their_message_did_not_arrive(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    harness.request.blocked.add(sam.user_id)
    await harness.send(alex.text("Are you there?"))
    assert "could not be delivered" in harness.texts_to(alex.user_id)[-1]


async def test_own_request_cannot_be_claimed(harness: Harness) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await harness.press(sam, "Talk to a peer")
    await harness.send(sam.text("I need someone too."))
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    assert "your own request" in harness.request.answers()[-1]


async def test_peer_juggles_two_conversations(harness: Harness) -> None:
    sam, alex, bea = peer(), responder(), responder(918273602, "Bea")
    await harness.register_peer(sam)
    first = await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    second = await harness.open_request(bea)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(sam.text("to the latest"))
    assert harness.texts_to(bea.user_id)[-1] == "Sam: to the latest"
    await harness.send(sam.command(f"/switch {first}"))
    await harness.send(sam.text("to the first"))
    assert harness.texts_to(alex.user_id)[-1] == "Sam: to the first"
    await harness.send(sam.command("/close"))
    assert f"now go to {second}" in harness.texts_to(sam.user_id)[-1]
    await harness.send(sam.text("still here"))
    assert harness.texts_to(bea.user_id)[-1] == "Sam: still here"


async def test_alias_is_what_responders_see(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await harness.send(sam.command("/alias Robin H."))
    assert "Robin H." in harness.texts_to(sam.user_id)[-1]
    await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    assert harness.texts_to(alex.user_id)[-1] == "Robin H. from the Peer Support Team has joined."
    for bad in ("/alias @sam", "/alias https://x.y", "/alias 12345", "/alias " + "a" * 33):
        await harness.send(sam.command(bad))
        assert "can't be used" in harness.texts_to(sam.user_id)[-1]
    assert (await harness.services.peers.get(sam.user_id)).alias == "Robin H."  # type: ignore[union-attr]


async def test_feedback_is_recorded_once(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.register_peer(sam)
    await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(alex.command("/end"))
    assert "helpful" in harness.texts_to(alex.user_id)[-1]
    data, message_id = harness.button(alex.user_id, "^5$")
    await harness.send(alex.press(data, message_id))
    # The thanks is a message that stays in the chat; the tap's own answer is silent.
    assert harness.request.answers()[-1] == ""
    assert harness.texts_to(alex.user_id)[-1] == "Thank you. Your answer is anonymous."
    assert [c.method for c in harness.request.to(alex.user_id)][-2:] == [
        "editMessageReplyMarkup", "sendMessage"]  # the buttons go, then the thanks
    sent = len(harness.texts_to(alex.user_id))
    await harness.send(alex.press(data, message_id))
    assert "already recorded" in harness.request.answers()[-1]
    assert len(harness.texts_to(alex.user_id)) == sent  # a second tap: a notice, no message
    rows = await harness.services.db.fetch_all("SELECT rating FROM feedback")
    assert [r["rating"] for r in rows] == [5]


async def test_an_alias_is_letters_only_not_reserved_and_not_another_peers(
        harness: Harness) -> None:
    sam, kim = peer(2001, "Sam"), peer(2002, "Kim")
    await harness.register_peer(sam)
    await harness.register_peer(kim)
    for bad in ("call 555-0100 now", "Dr Smith 988", "Sam_2"):
        await harness.send(sam.command(f"/alias {bad}"))
        assert "can't be used" in harness.texts_to(sam.user_id)[-1], bad
    for reserved in ("Peer Support Team", "PEER SUPPORT", "Équipe de soutien par les pairs"):
        await harness.send(sam.command(f"/alias {reserved}"))
        assert "could be mistaken for the bot" in harness.texts_to(sam.user_id)[-1], reserved
    await harness.send(sam.command("/alias kim"))
    assert "Another peer is already called kim" in harness.texts_to(sam.user_id)[-1]
    await harness.send(sam.command("/alias Renée O'Neil-Diaz"))
    assert "Renée O'Neil-Diaz" in harness.texts_to(sam.user_id)[-1]
    assert (await harness.services.peers.get(sam.user_id)).alias == "Renée O'Neil-Diaz"  # type: ignore[union-attr]
