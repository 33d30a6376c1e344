"""Forgetting: /forget erases a responder now; retention purges closed conversations later."""

from __future__ import annotations

import hashlib
import hmac
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.requests import cards, digest
from bot.team import members as team
from locales import Texts
from storage import retention
from storage.requests import State

_log = logging.getLogger(__name__)
CANCEL = "forget:no"
# "forget:yes:<when asked>:<seal>": the seal is a keyed hash of the person and the time, so a
# confirmation only counts if the bot showed this person this prompt, less than
# CONFIRM_SECONDS ago; a pressed "forget:yes" of someone's own making erases nothing.
CHOICE_PATTERN = r"^forget:(?:yes:\d{1,12}:[0-9a-f]{16}|yes|no)$"
CONFIRM_SECONDS = 10 * 60
RETENTION_TIMER_SECONDS = 3600


def _seal(services: Services, user_id: int, asked_at: int) -> str:
    message = f"forget-confirm:{user_id}:{asked_at}".encode()
    return hmac.new(services.settings.index_key, message, hashlib.sha256).hexdigest()[:16]


def confirmed(services: Services, user_id: int, data: str) -> bool:
    """True if `data` is the Delete button of a prompt shown to `user_id` recently."""
    parts = data.split(":")
    if len(parts) != 4 or parts[:2] != ["forget", "yes"] or not parts[2].isdigit():
        return False
    asked_at = int(parts[2])
    fresh = 0 <= services.clock() - asked_at <= CONFIRM_SECONDS
    return fresh and hmac.compare_digest(parts[3], _seal(services, user_id, asked_at))


async def ask(services: Services, user_id: int) -> Reply:
    """The confirmation. A peer is told that only what they asked for as a responder goes: their
    registration and the conversations they hold for others stay."""
    is_peer = await services.peers.get(user_id) is not None
    asked_at = services.clock()
    confirm = f"forget:yes:{asked_at}:{_seal(services, user_id, asked_at)}"

    def keyboard(texts: Texts) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(texts("btn_forget_confirm"), callback_data=confirm)],
            [InlineKeyboardButton(texts("btn_forget_cancel"), callback_data=CANCEL)]])

    return Reply("forget_confirm_peer" if is_peer else "forget_confirm", keyboard=keyboard)


async def forget(services: Services, user_id: int, chat_id: int) -> Answer:
    """Close what is open (the peer gets a neutral notice), delete every row about this
    responder, empty the WAL so the text is gone from it too, then say it is done."""
    live = await services.requests.live_for_responder(user_id)
    if live is not None and live.state is not State.INTAKE:
        await services.requests.close(live.id, "responder", services.clock())
        await cards.rewrite(services, live, "card_closed")
        if live.state is State.CLAIMED and live.peer_id is not None:
            await services.say(live.peer_id, Reply("peer_conversation_ended", {"code": live.code}),
                               what=f"request {live.code}: the notice that it ended")
            await team.move_on(services, live.peer_id, live)
    is_peer = await services.peers.get(user_id) is not None
    # Rendered now, in their language, and sent only once everything is deleted: queued
    # before, it could be deleted with the rest of their chat's rows and never arrive.
    done, _ = Reply("forget_done_peer" if is_peer else "forget_done").render(
        await services.texts_for(chat_id))
    request_ids = await services.requests.ids_of_responder(user_id)
    listing = await services.digests.take_entries(request_ids)  # peers' digests listing them
    deleted = await services.requests.forget_responder(user_id)
    await services.checkins.forget_responder(user_id)  # follow-up check-ins, pending or sent
    await services.audit.record(services.clock(), "responder", "forget")
    await services.outbox.rows.forget_requests(request_ids)
    if not is_peer:  # a peer's chat (its rows, its language) also serves their work for others
        await services.forget_language(chat_id)
        await services.outbox.rows.forget_chat(chat_id)
    if live is not None and live.in_digest:
        await digest.refresh(services, services.settings.peer_group_id)
    for peer_chat, page in listing:
        await digest.refresh(services, peer_chat, page)
    await services.db.checkpoint()
    _log.info("a responder was forgotten (%d requests)", deleted)
    await services.outbox.send_untracked(chat_id, done, what="the confirmation of a /forget")
    return Answer("forget_answer")


async def purge(services: Services) -> int:
    """Retention: closed conversations older than RETENTION_DAYS lose their content."""
    purged = await retention.purge(services.db, services.requests, services.inbox,
                                   services.outbox.rows, services.digests, now=services.clock(),
                                   retention_days=services.settings.retention_days)
    if purged:
        _log.info("retention: %d closed conversations purged", purged)
    return purged
