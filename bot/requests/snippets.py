"""Saved replies: /snippets shows the peer holding a conversation the texts of SNIPPETS_FILE
(bot/requests/snippets_file.py) as buttons; a tap sends one to the responder exactly as if the
peer had written it (relay.to_responder: kept sealed, signed with their alias, Send again if it
may not have arrived, their last activity noted), in the responder's language.

Callback data, `sn:<request>:<snippet key>`: the conversation the buttons were shown for and a
digest of the snippet, never its text. A tap does nothing but say why when that conversation
is no longer the peer's current one, or the snippet is no longer in the file.

One reply per picker: what is sent is kept as coming from the picker (a negative message id,
which no Telegram message has, so it never meets a message the peer typed), so a second tap,
or the same tap handled again after a restart, sends nothing more; the picker then shows what
was sent.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.platform import guards
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.requests import relay
from bot.requests.content import Content, Kind
from bot.team import members as team
from locales import Texts
from storage.peers import Peer
from storage.requests import State

PATTERN = re.compile(r"^sn:([0-9a-f]{16}):([0-9a-f]{12})$")


@guards.peers_only
async def show(services: Services, peer: Peer, _: str | None) -> Reply:
    """/snippets: the saved replies, as buttons, for the peer's current conversation."""
    request = await team.current_conversation(services, peer)
    if isinstance(request, Reply):
        return request  # no conversation, or several and none chosen
    snippets = services.settings.snippets.entries
    if not snippets:
        return Reply("snippets_none")

    def keyboard(texts: Texts) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(snippet.name(texts.language),
                                  callback_data=f"sn:{request.id}:{snippet.key}")]
            for snippet in snippets])

    return Reply("snippets_choose", {"code": request.code, "alias": peer.alias}, keyboard)


async def press(services: Services, user_id: int, data: str, picker_message_id: int,
                ) -> tuple[Answer, Reply | None]:
    """A tap on a saved reply: the answer to the tap, and what the picker becomes (None: it
    stays as it is)."""
    match = PATTERN.match(data)
    if match is None or picker_message_id <= 0:
        return Answer("stale_button"), None
    request_id, key = match.groups()
    peer = await services.peers.get(user_id)
    request = await services.requests.get(request_id)
    if peer is None or (request is not None and request.peer_id not in (None, user_id)):
        return Answer("snippet_not_yours", alert=True), None
    if request is None or request.state is not State.CLAIMED or request.peer_id != user_id:
        return Answer("snippet_conversation_ended", alert=True), None
    current = await team.current_conversation(services, peer)
    if isinstance(current, Reply) or current.id != request.id:
        return Answer("snippet_conversation_changed", {"code": request.code}, alert=True), None
    snippet = services.settings.snippets.get(key)
    if snippet is None:
        return Answer("snippet_gone", alert=True), None
    source = services.messages.source(user_id, -picker_message_id)
    if await services.messages.seq_of(request.id, source) is not None:
        return Answer("snippet_already_sent"), None
    language = (await services.texts_for(request.responder_chat_id)).language
    text = snippet.text(language)
    failed = await relay.to_responder(
        services, peer, request, Content(Kind.TEXT, user_id, -picker_message_id, text))
    if failed is not None:
        return Answer(), failed
    return Answer(), Reply("snippet_sent", {"code": request.code, "alias": peer.alias,
                                            "text": text})
