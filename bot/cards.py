"""The request card in the peer group, and the claim notices on-call peers get in private:
posted when a request enters the queue, rewritten (losing the Claim button) as it moves on."""

from __future__ import annotations

import logging

from bot import keyboards, render
from bot.outbox import DeliveryError
from bot.services import Services
from storage.requests import Request

_log = logging.getLogger(__name__)


async def post(services: Services, request: Request) -> bool:
    """Show a request to the team with its Claim button; False if the group is unreachable."""
    texts = services.texts
    try:  # the outbox records the card's message id when it is sent (now or later)
        await services.outbox.send_text(
            services.settings.peer_group_id, render.card(request, services.settings.tz, texts),
            keyboards.claim(texts, request.id), purpose=f"card:{request.id}")
    except DeliveryError:
        _log.error("request %s: its card could not be posted to the peer group", request.code)
        return False
    return True


async def repost(services: Services, request: Request, old_card_key: str) -> bool:
    """Bring a waiting request back to the bottom of the group: the old card says why and
    loses its button, a new card takes its place."""
    await _edit_card(services, request, old_card_key)
    return await post(services, request)


async def rewrite(services: Services, request: Request, key: str, **values: str) -> None:
    """The request was claimed or closed: rewrite its card and every private notice."""
    text = await _edit_card(services, request, key, **values)
    for chat_id, message_id in await services.notices.take_all(request.id):
        try:
            await services.outbox.edit_text(chat_id, message_id, text)
        except DeliveryError:
            _log.warning("request %s: a private notice could not be updated", request.code)


async def _edit_card(services: Services, request: Request, key: str, **values: str) -> str:
    texts = services.texts
    text = texts(key, card=render.card(request, services.settings.tz, texts), **values)
    if request.card_message_id is None:
        return text
    try:
        await services.outbox.edit_text(services.settings.peer_group_id,
                                        request.card_message_id, text)
    except DeliveryError:
        _log.warning("request %s: its card could not be updated", request.code)
    return text
