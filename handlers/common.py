"""Handlers for everyone: help, private messages, edits, unknown commands, stale buttons."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.platform import guards, keyboards, language
from bot.platform.context import BotContext
from bot.platform.outbox import DeliveryError
from bot.platform.replies import Answer, Reply
from bot.requests import relay, resend
from bot.requests.content import Content, Kind
from bot.team import departures
from storage.errors import StorageError

_log = logging.getLogger(__name__)
PRIVATE = filters.ChatType.PRIVATE
# Commands act only on new messages: an edited "/end" must not end a conversation again.
PRIVATE_COMMAND = PRIVATE & filters.UpdateType.MESSAGE

_MEDIA_ATTRIBUTES = ("photo", "voice", "audio", "video", "video_note", "document")


def content_of(message: Message) -> Content:
    """What a message holds, as far as the relay is concerned."""
    if message.text is not None:
        return Content(Kind.TEXT, message.chat_id, message.message_id, message.text)
    media = next((name for name in _MEDIA_ATTRIBUTES if getattr(message, name)), None)
    if media is not None:
        return Content(Kind.MEDIA, message.chat_id, message.message_id, message.caption,
                       captionless=message.video_note is not None, media=media)
    return Content(Kind.UNSUPPORTED, message.chat_id, message.message_id)


async def send_reply(context: BotContext, chat_id: int, reply: Reply | None) -> None:
    """Render a Reply in the person's language and send it; a failure is logged, not raised."""
    if reply is None:
        return
    services = context.services
    text, keyboard = reply.render(await services.texts_for(chat_id))
    try:
        await services.outbox.send_text(chat_id, text, keyboard)
    except DeliveryError:
        _log.warning("a reply could not be delivered")


async def edit_reply(context: BotContext, chat_id: int, message_id: int, reply: Reply) -> None:
    """Turn the message a button was pressed on into `reply`; a new message if it cannot be
    edited any more."""
    text, keyboard = reply.render(await context.services.texts_for(chat_id))
    try:
        await context.services.outbox.edit_text(chat_id, message_id, text, keyboard)
    except DeliveryError:
        await send_reply(context, chat_id, reply)


async def answer_button(update: Update, context: BotContext, answer: Answer) -> None:
    query = update.callback_query
    if query is None:
        return
    text = answer.render(await context.services.texts_for(query.from_user.id))
    await context.services.outbox.answer(query.id, text, answer.alert)


@guards.needs_sender
async def on_help(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """/help: what this bot does for this person: coordinator, peer (both, for someone who is
    both) or responder."""
    coordinator = guards.is_coordinator(context.services, user.id)
    if coordinator:
        await send_reply(context, chat.id, Reply("help_coordinator"))
    peer = await context.services.peers.get(user.id)
    if peer is not None:
        await send_reply(context, chat.id, Reply("help_peer", {"alias": peer.alias}))
    elif not coordinator:
        await send_reply(context, chat.id, Reply("help_responder"))


async def on_private_message(update: Update, context: BotContext) -> None:
    """Anything written in private that is not a command: relay it, or say why not."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    # A peer who has left the peer group passes nothing on: their conversations go back first.
    reply = await departures.before_relay(context.services, user.id)
    if reply is None:
        reply = await relay.from_private_chat(context.services, user.id, content_of(message))
    await send_reply(context, message.chat_id, reply)


async def on_edited_message(update: Update, context: BotContext) -> None:
    """Edits are not passed on; say so instead of dropping them silently. What a responder
    wrote in one is still read by the crisis screen."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    await relay.screen_edit(context.services, user.id, content_of(message))
    await send_reply(context, message.chat_id, Reply("edit_not_relayed"))


async def on_unknown_command(update: Update, context: BotContext) -> None:
    """A command this bot does not have (commands addressed to other bots are not ours)."""
    message = update.effective_message
    if update.effective_chat is None or message is None or not message.text:
        return
    addressee = message.text.split()[0].partition("@")[2]
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return
    await send_reply(context, update.effective_chat.id, Reply("unknown_command"))


async def on_stale_button(update: Update, context: BotContext) -> None:
    """A button whose data matches nothing we issue: stale or forged. Nothing changes."""
    await answer_button(update, context, Answer("stale_button"))


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure without any content and tell the person, never with a stack trace."""
    error = context.error
    _log.error("a handler failed: %s", type(error).__name__,
               exc_info=(type(error), error, error.__traceback__) if error else None)
    if not isinstance(update, Update):
        return
    # A storage failure (disk full, read-only) means what the person sent was not kept, and
    # so was not passed on either: say exactly that, with the crisis line.
    await _tell_failure(update, context,
                        "storage_failed" if isinstance(error, StorageError) else "error_generic")


async def _tell_failure(update: Update, context: BotContext, key: str) -> None:
    if update.callback_query is not None:
        await answer_button(update, context, Answer(key, alert=True))
    elif update.effective_chat is not None and update.effective_chat.type == "private":
        await send_reply(context, update.effective_chat.id, Reply(key))


def fallback_handlers(peer_group_id: int) -> list[BaseHandler[Update, BotContext, None]]:
    """Registered last: what no other handler took. Other groups are ignored entirely."""
    ours = PRIVATE | filters.Chat(chat_id=peer_group_id)
    return [
        CallbackQueryHandler(on_stale_button),
        MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, on_edited_message),
        # Service messages (a pin, an auto-delete timer) carry nothing a person wrote.
        MessageHandler(PRIVATE_COMMAND & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
                       on_private_message),
        MessageHandler(ours & filters.COMMAND & filters.UpdateType.MESSAGE, on_unknown_command),
    ]


@guards.needs_sender
async def on_first_contact(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """Whoever writes in private is read to in their app's language, unless they chose.

    If that cannot be stored (disk full, read-only), nothing else this person sent can be
    either: they get that one answer, with the crisis line, and the update goes no further
    (a welcome after it would say the opposite)."""
    if chat.type != "private":
        return
    try:
        await language.first_contact(context.services, user.id, user.language_code)
    except StorageError as exc:
        _log.error("someone new could not be stored (%s)", type(exc).__name__)
        await _tell_failure(update, context, "storage_failed")
        raise ApplicationHandlerStop from exc


def first_contact_handler() -> BaseHandler[Update, BotContext, None]:
    return TypeHandler(Update, on_first_contact)


@guards.needs_sender
async def on_language(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """/language: the choices as buttons; /language es switches at once."""
    argument = " ".join(context.args).strip() if context.args else None
    await send_reply(context, chat.id, await language.ask(context.services, user.id, argument))


@guards.needs_button
async def on_language_choice(update: Update, context: BotContext, query: CallbackQuery,
                             chat: Chat) -> None:
    """A language chosen by button: the message of the choices turns into the answer."""
    answer, reply = await language.choose_by_button(context.services, query.from_user.id,
                                                    query.data or "")
    await answer_button(update, context, answer)
    if reply is not None and query.message is not None:
        await edit_reply(context, chat.id, query.message.message_id, reply)


async def on_send_again(update: Update, context: BotContext) -> None:
    """Send again, on a notice naming a message that may not have arrived: it goes once more."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    data = query.data or ""
    await answer_button(update, context, await relay.send_again(context.services, user.id, data))
    if query.message is not None:
        await resend.refresh(context.services, user.id, query.message.chat.id,
                             query.message.message_id, data)


def help_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("help", on_help, filters=PRIVATE_COMMAND),
        CommandHandler("language", on_language, filters=PRIVATE_COMMAND),
        CallbackQueryHandler(on_language_choice, pattern=rf"^{language.CHOICE_PREFIX}[a-z]+$"),
        CallbackQueryHandler(on_send_again, pattern=keyboards.AGAIN_PATTERN),
    ]
