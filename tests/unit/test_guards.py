"""The guards of bot/platform/guards.py: whoever may not use a command gets the same answer as
always, before the argument is even read, and nothing changes. (The coordinators' refusal is
in test_oversight.py, /close by the wrong peer in test_bad_input.py.)"""

from __future__ import annotations

from typing import Any, cast

from conftest import Harness, peer, responder
from offline import as_update
from telegram import CallbackQuery, Chat, Update, User

from bot.platform import guards, keyboards
from bot.platform.context import BotContext

PEERS_ONLY = "This command is for peers of the Peer Support Team."
NO_CONVERSATION = "You have no open conversation. Claim a request in the peer group to start one."
# Arguments that a peer would be told are wrong (or that would change something): someone who
# is not a peer hears only that the command is for peers.
ATTEMPTS = ("/oncall", "/oncall banana", "/oncall 8h", "/offcall", "/close", "/close R-AAAA",
            "/release", "/release tired", "/switch", "/switch R-AAAA", "/refer", "/refer R-AAAA",
            "/concern", "/concern R-AAAA", "/alias", "/alias Robin", "/alias @robin", "/agency",
            "/agency Metro PD", "/agency none", "/languages", "/languages xx", "/languages es")


async def test_someone_who_is_not_a_peer_is_told_the_commands_are_for_peers(
        harness: Harness) -> None:
    alex = responder()
    await harness.open_request(alex)  # a responder with a request of their own, even
    for text in ATTEMPTS:
        await harness.send(alex.command(text))
        assert harness.texts_to(alex.user_id)[-1] == PEERS_ONLY, text
    assert await harness.services.peers.get(alex.user_id) is None
    assert await harness.services.peers.on_call(harness.services.clock()) == []


async def test_urgent_from_someone_who_is_not_a_peer_gives_the_crisis_line(
        harness: Harness) -> None:
    alex = responder()
    code = await harness.open_request(alex)
    expected = harness.services.texts_in("en")("urgent_not_a_peer")
    assert expected.startswith("/urgent is for peers of the Peer Support Team. If you are in")
    for text in ("/urgent", f"/urgent {code}"):
        await harness.send(alex.command(text))
        assert harness.texts_to(alex.user_id)[-1] == expected, text
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and not request.high_risk


async def test_the_on_call_button_pressed_by_someone_who_is_not_a_peer(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.press(keyboards.EXTEND_ON_CALL))
    assert harness.texts_to(alex.user_id)[-1] == PEERS_ONLY
    assert await harness.services.peers.on_call(harness.services.clock()) == []


async def test_only_the_peer_holding_a_conversation_acts_on_it(harness: Harness) -> None:
    sam, kim, alex = peer(2001, "Sam"), peer(2002, "Kim"), responder()
    code = await harness.claimed(alex, sam)
    await harness.register_peer(kim)
    for text in ("/close", "/release", "/refer", "/concern", "/urgent"):
        await harness.send(kim.command(text))
        assert harness.texts_to(kim.user_id)[-1] == NO_CONVERSATION, text
    for text in (f"/refer {code}", f"/concern {code.lower()}", f"/urgent  {code} "):
        await harness.send(kim.command(text))
        assert harness.texts_to(kim.user_id)[-1] == f"{code} isn't one of your open conversations."
    await harness.send(kim.command("/urgent R-AAAAAAAAAAAAAAAA"))  # shown cut to 12 characters
    assert harness.texts_to(kim.user_id)[-1].startswith("R-AAAAAAAAAA isn't one of your")
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.state == "claimed" and request.peer_id == sam.user_id
    assert not request.high_risk
    assert [e.action for e in await harness.services.audit.latest()] == ["claim"]


async def test_a_handler_is_given_the_sender_and_the_chat_or_not_called() -> None:
    seen: list[tuple[int, int]] = []

    @guards.needs_sender
    async def on_command(update: Update, context: BotContext, user: User, chat: Chat) -> None:
        seen.append((user.id, chat.id))

    @guards.needs_button
    async def on_button(update: Update, context: BotContext, query: CallbackQuery,
                        chat: Chat) -> None:
        seen.append((query.from_user.id, chat.id))

    context = cast(BotContext, None)  # neither handler reads it
    for handler in (on_command, on_button):
        await handler(Update(update_id=1), context)  # no message, no button: nobody
    assert seen == []
    alex = responder()
    bot: Any = None
    await on_command(as_update(alex.command("/start"), bot), context)
    await on_button(as_update(alex.press("anything"), bot), context)
    await on_button(as_update(alex.command("/start"), bot), context)  # not a button
    assert seen == [(alex.user_id, alex.chat_id), (alex.user_id, alex.chat_id)]
    assert on_command.__name__ == "on_command"
