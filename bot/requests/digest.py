"""Digests: while a chat is near Telegram's flood limit (about 20 messages a minute into the
peer group, about one a second into a private chat), new requests are listed in one message
there, edited as requests come and go, each with its own Claim button, instead of a message
each queued for minutes or seconds.

The peer group has one (the requests flagged `in_digest`); each on-call peer has their own (the
requests `digest_entries` lists for their chat), so that in a burst every request becomes
claimable from the peer's private chat within seconds, not at one notice a second. A peer's
digest runs to more messages, its pages, when one message cannot hold every request: a new
request goes on the newest page while it has room (the group's has one page, and says how many
more wait). A line shows what the card shows and no more: the code and the intake answers."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.platform.outbox import DeliveryError, Purpose
from bot.platform.services import Services
from bot.requests import render
from storage.requests import Request

_log = logging.getLogger(__name__)
MAX_BUTTONS = 90  # Telegram allows 100 buttons in a message
MAX_TEXT_CHARS = 3800  # and 4096 characters
PAGE_SIZE = 36  # a peer's page: 36 of the longest lines (French, URGENT) fit in a message
CATCH_UPS = 3  # see `refresh`


@dataclass(frozen=True)
class _Waiting:
    """What a digest lists: the oldest requests waiting in it (as many as it can show) and
    how many wait in all."""

    shown: tuple[Request, ...]
    total: int


def _is_group(services: Services, chat_id: int) -> bool:
    return chat_id == services.settings.peer_group_id


async def add(services: Services, chat_id: int, request: Request) -> bool:
    """List a waiting request in this chat's digest (a new digest message if none is
    showing); False if that new message was refused (a peer who blocked the bot)."""
    page = 0  # the group's digest has one page
    if _is_group(services, chat_id):
        await services.requests.set_in_digest(request.id, True)
    else:
        page = await services.digests.add_entry(chat_id, request.id, PAGE_SIZE)
    return await refresh(services, chat_id, page)


async def request_left(services: Services, request: Request) -> None:
    """Claimed or closed: every digest that listed the request drops its line."""
    if request.in_digest:
        await refresh(services, services.settings.peer_group_id)
    for chat_id, page in await services.digests.take_entries([request.id]):
        await refresh(services, chat_id, page)


async def request_changed(services: Services, request: Request) -> None:
    """Still waiting, shown differently (URGENT, another language): every digest listing the
    request is redrawn."""
    if request.in_digest:
        await refresh(services, services.settings.peer_group_id)
    for chat_id, page in await services.digests.pages_listing(request.id):
        await refresh(services, chat_id, page)


async def refresh(services: Services, chat_id: int, page: int = 0) -> bool:
    """Make this page of a chat's digest show exactly the requests still waiting on it.

    What waits is read again after each edit, and the digest edited again if it changed
    meanwhile: two changes handled at once must not leave the older text as the last one
    sent. False only when a new digest message was refused."""
    waiting = await _waiting(services, chat_id, page)
    for _ in range(CATCH_UPS):
        message_id = await services.digests.message_id(chat_id, page)
        if message_id is None:
            return await _post(services, chat_id, page, waiting)
        if not await _edit(services, chat_id, page, message_id, waiting):
            return True  # done with, or retired: the next change starts a new one
        latest = await _waiting(services, chat_id, page)
        if latest == waiting:
            return True
        waiting = latest
    return True


async def sent(services: Services, chat_id: int, page: int, message_id: int) -> None:
    """A digest message went out: remember it, and catch up with what changed meanwhile."""
    await services.digests.sent(chat_id, page, message_id, services.clock())
    await refresh(services, chat_id, page)


async def _waiting(services: Services, chat_id: int, page: int) -> _Waiting:
    if _is_group(services, chat_id):
        shown = await services.requests.waiting_in_digest(MAX_BUTTONS)
        total = (len(shown) if len(shown) < MAX_BUTTONS
                 else await services.requests.waiting_in_digest_count())
        return _Waiting(tuple(shown), total)
    everything = await services.requests.waiting_in_peer_digest(chat_id, page)  # a page
    return _Waiting(tuple(everything[:MAX_BUTTONS]), len(everything))


async def _post(services: Services, chat_id: int, page: int, waiting: _Waiting) -> bool:
    """A new digest message, by the one caller that wins the right to send it."""
    if not waiting.total or not await services.digests.start_sending(chat_id, page,
                                                                     services.clock()):
        return True
    text, keyboard = await _render(services, chat_id, waiting)
    try:  # the outbox records where it is when sent; the `sent` hook catches up then
        await services.outbox.send_text(chat_id, text, keyboard, purpose=Purpose.digest(page))
    except DeliveryError:
        if _is_group(services, chat_id):
            _log.error("the digest could not be posted to the peer group")
        else:  # blocked the bot, say; as for a notice
            _log.warning("an on-call peer's digest could not be posted")
        await services.digests.retire(chat_id, page)
        return False
    return True


async def _edit(services: Services, chat_id: int, page: int, message_id: int,
                waiting: _Waiting) -> bool:
    """Edit the digest to list what waits; when nothing does, say so and retire it. False
    when the digest was retired."""
    try:
        if waiting.total:
            text, keyboard = await _render(services, chat_id, waiting)
            await services.outbox.edit_text(chat_id, message_id, text, keyboard, team=True)
            return True
        texts = await services.texts_for(chat_id)
        await services.outbox.edit_text(chat_id, message_id, texts("digest_done"), team=True)
    except DeliveryError:
        # Deleted or no longer editable: retire it, so the next change posts a fresh one.
        _log.warning("a digest could not be updated; a new one will be posted")
    await services.digests.retire(chat_id, page)
    return False


async def _render(services: Services, chat_id: int, waiting: _Waiting,
                  ) -> tuple[str, InlineKeyboardMarkup]:
    """Oldest first, in the reader's language; as many lines and buttons as one message
    holds (the rest follow as earlier ones are claimed)."""
    texts, tz = await services.texts_for(chat_id), services.settings.tz
    lines: list[str] = []
    for request in waiting.shown:
        line = texts("digest_line", **render.intake_fields(request, tz, texts))
        if request.high_risk:
            line = texts("digest_line_urgent", line=line)
        if sum(len(x) + 1 for x in lines) + len(line) > MAX_TEXT_CHARS:
            break
        lines.append(line)
    shown = waiting.shown[:len(lines)]
    if len(shown) < waiting.total:
        lines.append(texts.plural("digest_more", waiting.total - len(shown)))
    key = "digest" if _is_group(services, chat_id) else "digest_peer"
    text = texts.plural(key, waiting.total, lines="\n".join(lines))
    buttons = [InlineKeyboardButton(texts("btn_claim_code", code=r.code),
                                    callback_data=f"claim:{r.id}") for r in shown]
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    return text, InlineKeyboardMarkup(rows)
