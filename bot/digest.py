"""The peer group's digest: when the group is near Telegram's flood limit (about 20 messages a
minute), new requests are listed in one message, edited as requests come and go, each with its
own Claim button, instead of a card each queued for minutes. Private notices keep flowing."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import render
from bot.outbox import DeliveryError
from bot.services import Services
from storage.requests import Request

_log = logging.getLogger(__name__)
MAX_BUTTONS = 90  # Telegram allows 100 buttons in a message
MAX_TEXT_CHARS = 3800  # and 4096 characters


async def add(services: Services, request: Request) -> None:
    await services.requests.set_in_digest(request.id, True)
    await refresh(services)


async def refresh(services: Services) -> None:
    """Make the digest show exactly the requests still waiting in it."""
    group = services.settings.peer_group_id
    waiting = await services.requests.waiting_in_digest()
    message_id = await services.digests.message_id(group)
    texts = services.texts
    if message_id is None:
        if waiting and await services.digests.start_sending(group, services.clock()):
            text, keyboard = _render(services, waiting)
            try:  # the outbox records where it is when sent; the hook refreshes it then
                await services.outbox.send_text(group, text, keyboard, purpose="digest:")
            except DeliveryError:
                _log.error("the digest could not be posted to the peer group")
                await services.digests.retire(group)
        return
    try:
        if waiting:
            text, keyboard = _render(services, waiting)
            await services.outbox.edit_text(group, message_id, text, keyboard, team=True)
        else:
            await services.outbox.edit_text(group, message_id, texts("digest_done"), team=True)
            await services.digests.retire(group)
    except DeliveryError:
        # Deleted or no longer editable: retire it, so the next change posts a fresh one.
        _log.warning("the digest could not be updated; a new one will be posted")
        await services.digests.retire(group)


async def sent(services: Services, message_id: int) -> None:
    """The digest message went out: remember it, and catch up with what changed meanwhile."""
    await services.digests.sent(services.settings.peer_group_id, message_id, services.clock())
    await refresh(services)


def _render(services: Services, waiting: list[Request]) -> tuple[str, InlineKeyboardMarkup]:
    """Oldest first; as many lines and buttons as one message holds (the rest follow as
    earlier ones are claimed)."""
    texts, tz = services.texts, services.settings.tz
    shown = waiting[:MAX_BUTTONS]
    lines: list[str] = []
    for request in shown:
        line = texts("digest_line", **render.intake_fields(request, tz, texts))
        if request.high_risk:
            line = texts("digest_line_urgent", line=line)
        if sum(len(x) + 1 for x in lines) + len(line) > MAX_TEXT_CHARS:
            break
        lines.append(line)
    shown = shown[:len(lines)]
    if len(shown) < len(waiting):
        lines.append(texts.plural("digest_more", len(waiting) - len(shown)))
    text = texts.plural("digest", len(waiting), lines="\n".join(lines))
    buttons = [InlineKeyboardButton(texts("btn_claim_code", code=r.code),
                                    callback_data=f"claim:{r.id}") for r in shown]
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    return text, InlineKeyboardMarkup(rows)
