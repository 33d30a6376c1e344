"""The request card in the peer group, and the claim notices on-call peers get in private:
posted when a request enters the queue, rewritten (losing the Claim button) as it moves on."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup

from bot.platform import keyboards
from bot.platform.outbox import DeliveryError, Purpose
from bot.platform.services import Services
from bot.requests import digest, render
from storage.requests import Request, State

_log = logging.getLogger(__name__)


async def post(services: Services, request: Request) -> bool:
    """Show a request to the team with its Claim button (in the digest while the group is
    busy); False if the group is unreachable."""
    if await services.outbox.busy(services.settings.peer_group_id):
        await digest.add(services, services.settings.peer_group_id, request)
        return True
    if request.in_digest:
        await services.requests.set_in_digest(request.id, False)
    texts = services.texts
    try:  # the outbox records the card's message id when it is sent (now or later)
        await services.outbox.send_text(
            services.settings.peer_group_id, render.card(request, services.settings.tz, texts),
            keyboards.claim(texts, request.id), purpose=Purpose.card(request.id))
    except DeliveryError:
        _log.error("request %s: its card could not be posted to the peer group", request.code)
        return False
    return True


async def repost(services: Services, request: Request, old_card_key: str) -> bool:
    """Bring a waiting request back to the bottom of the group: the old card says why and
    loses its button, a new card (or the digest) takes its place."""
    if request.in_digest and request.state is State.OPEN:  # listed there; it stays current
        await digest.refresh(services, services.settings.peer_group_id)
        return True
    await _edit_card(services, request, old_card_key)
    return await post(services, request)


async def rewrite(services: Services, request: Request, key: str, **values: str) -> None:
    """The request was claimed or closed: rewrite its card and every private notice, and take
    it out of every digest (the group's, on-call peers')."""
    await digest.request_left(services, request)
    await _edit_card(services, request, key, **values)
    for chat_id, message_id in await services.notices.take_all(request.id):
        reader = await services.texts_for(chat_id)
        text = reader(key, card=render.card(request, services.settings.tz, reader), **values)
        await edit(services, chat_id, message_id, text, None,
                   what=f"request {request.code}: a private notice")


async def edit(services: Services, chat_id: int, message_id: int, text: str,
               keyboard: InlineKeyboardMarkup | None, *, what: str) -> None:
    """Best effort: a card or notice that cannot be edited (deleted, too old) stays as it was."""
    try:
        await services.outbox.edit_text(chat_id, message_id, text, keyboard, team=True)
    except DeliveryError:
        _log.warning("%s could not be updated", what)


async def _edit_card(services: Services, request: Request, key: str, **values: str) -> None:
    texts = services.texts
    text = texts(key, card=render.card(request, services.settings.tz, texts), **values)
    if request.card_message_id is None:
        return
    await edit(services, services.settings.peer_group_id, request.card_message_id, text, None,
               what=f"request {request.code}: its card")


async def refresh_waiting(services: Services, request: Request) -> None:
    """A waiting request changed (flagged URGENT, another language): rewrite its card (or the
    digest) and the private notices and peers' digests, keeping their Claim buttons."""
    await digest.request_changed(services, request)
    texts, tz = services.texts, services.settings.tz
    if request.card_message_id is not None and not request.in_digest:
        await edit(services, services.settings.peer_group_id, request.card_message_id,
                   render.card(request, tz, texts), keyboards.claim(texts, request.id),
                   what=f"request {request.code}: its card")
    for chat_id, message_id in await services.notices.all(request.id):
        reader = await services.texts_for(chat_id)
        notice = reader("oncall_notice", card=render.card(request, tz, reader))
        await edit(services, chat_id, message_id, notice, keyboards.claim(reader, request.id),
                   what=f"request {request.code}: a private notice")
