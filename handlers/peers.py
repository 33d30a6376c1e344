"""Peer handlers: Claim, /close, /switch, /alias, and /start or /help inside the peer group."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import claims, closing, keyboards, roster, team
from bot.context import BotContext
from bot.replies import Answer, Reply
from handlers.common import PRIVATE, answer_button, send_reply


def _argument(context: BotContext) -> str | None:
    return " ".join(context.args).strip() if context.args else None


async def on_claim(update: Update, context: BotContext) -> None:
    """Claim from a card: the first peer wins; everyone else gets a short answer."""
    query, user = update.callback_query, update.effective_user
    match = keyboards.CLAIM_PATTERN.match(query.data or "") if query else None
    if query is None or user is None or match is None:
        return
    answer = await claims.claim(context.services, match.group(1), user.id)
    await answer_button(update, context, answer)


async def on_close(update: Update, context: BotContext) -> None:
    """/close [CODE]: the peer ends their current (or the named) conversation."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    reply = await closing.close_by_peer(context.services, user.id, _argument(context))
    await send_reply(context, chat.id, reply)


async def on_switch(update: Update, context: BotContext) -> None:
    """/switch CODE: choose which conversation the peer's messages go to."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    await send_reply(context, chat.id,
                     await team.switch(context.services, user.id, _argument(context)))


async def on_alias(update: Update, context: BotContext) -> None:
    """/alias NAME: the name responders see."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    await send_reply(context, chat.id,
                     await team.set_alias(context.services, user.id, _argument(context)))


async def on_oncall(update: Update, context: BotContext) -> None:
    """/oncall [8h]: the peer is notified of new requests until then."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    await send_reply(context, chat.id,
                     await roster.go_on_call(context.services, user.id, _argument(context)))


async def on_offcall(update: Update, context: BotContext) -> None:
    """/offcall: no more notices until the next /oncall."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    await send_reply(context, chat.id, await roster.go_off_call(context.services, user.id))


async def on_extend(update: Update, context: BotContext) -> None:
    """The reminder's one-tap extension of an on-call period."""
    user, chat, query = update.effective_user, update.effective_chat, update.callback_query
    if user is None or chat is None or query is None:
        return
    await answer_button(update, context, Answer())
    if query.message is not None:
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    await send_reply(context, chat.id, await roster.extend(context.services, user.id))


async def on_agency(update: Update, context: BotContext) -> None:
    """/agency NAME: the peer's agency, so "outside my agency" requests skip them."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    await send_reply(context, chat.id,
                     await roster.set_agency(context.services, user.id, _argument(context)))


async def on_release(update: Update, context: BotContext) -> None:
    """/release [reason]: hand the current conversation back to the queue."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    await send_reply(context, chat.id,
                     await closing.release_by_peer(context.services, user.id,
                                                   _argument(context)))


async def on_group_start(update: Update, context: BotContext) -> None:
    """/start or /help in the peer group: registration happens in private."""
    if update.effective_chat is not None:
        await send_reply(context, update.effective_chat.id, Reply("group_start"))


def handlers(peer_group_id: int) -> list[BaseHandler[Update, BotContext, None]]:
    in_group = filters.Chat(chat_id=peer_group_id)
    return [
        CommandHandler("close", on_close, filters=PRIVATE),
        CommandHandler("switch", on_switch, filters=PRIVATE),
        CommandHandler("alias", on_alias, filters=PRIVATE),
        CommandHandler("oncall", on_oncall, filters=PRIVATE),
        CommandHandler("offcall", on_offcall, filters=PRIVATE),
        CommandHandler("agency", on_agency, filters=PRIVATE),
        CommandHandler("release", on_release, filters=PRIVATE),
        CallbackQueryHandler(on_extend, pattern=f"^{keyboards.EXTEND_ON_CALL}$"),
        CommandHandler(["start", "help"], on_group_start, filters=in_group),
        CallbackQueryHandler(on_claim, pattern=keyboards.CLAIM_PATTERN),
    ]
