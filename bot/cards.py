"""The request card in the peer group: posted when a request opens, rewritten as it moves."""

from __future__ import annotations

import logging

from bot import keyboards, render
from bot.outbox import DeliveryError
from bot.services import Services
from storage.requests import Request

_log = logging.getLogger(__name__)


async def post(services: Services, request: Request) -> bool:
    """Show a new request to the team with its Claim button; False if the group is unreachable."""
    texts = services.texts
    try:
        message_id = await services.outbox.send_text(
            services.settings.peer_group_id, render.card(request, services.settings.tz, texts),
            keyboards.claim(texts, request.id))
    except DeliveryError:
        _log.error("request %s: its card could not be posted to the peer group", request.code)
        return False
    await services.requests.set_card(request.id, message_id)
    return True


async def rewrite(services: Services, request: Request, key: str, **values: str) -> None:
    """Replace the card's text (which drops its Claim button); best effort."""
    if request.card_message_id is None:
        return
    texts = services.texts
    text = texts(key, card=render.card(request, services.settings.tz, texts), **values)
    try:
        await services.outbox.edit_text(services.settings.peer_group_id,
                                        request.card_message_id, text)
    except DeliveryError:
        _log.warning("request %s: its card could not be updated", request.code)
