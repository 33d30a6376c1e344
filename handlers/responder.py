"""Responder handlers: /start, the intake buttons, /end, /resources, /selfcheck and the feedback
tap."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Update, User
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.platform import guards, keyboards
from bot.platform.context import BotContext
from bot.platform.outbox import DeliveryError, send_scope
from bot.platform.replies import Answer
from bot.requests import checkins, closing, intake
from bot.safety import directory, erasure, referrals, selfcheck
from handlers.common import PRIVATE_COMMAND, answer_button, edit_reply, send_reply


@guards.needs_sender
async def on_start(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """/start in private: welcome, register a peer, or show the open request."""
    reply = await intake.greet(context.services, user.id, user.first_name)
    await send_reply(context, chat.id, reply)


@guards.needs_sender
async def on_talk(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """"Talk to a peer": start (or restart) the intake."""
    await answer_button(update, context, Answer())
    reply = await intake.begin(context.services, user.id, chat.id)
    await send_reply(context, chat.id, reply)


async def on_resources(update: Update, context: BotContext) -> None:
    """/resources and the "Resources" button: crisis lines first, in a new message."""
    chat = update.effective_chat
    if chat is None:
        return
    await answer_button(update, context, Answer())
    services = context.services
    await _send_view(context, chat.id, directory.crisis_lines(
        services.settings.resources, await services.texts_for(chat.id)))


async def on_directory(update: Update, context: BotContext) -> None:
    """"Clinician directory" on a waiting update: the directory, in a new message."""
    chat = update.effective_chat
    if chat is None:
        return
    await answer_button(update, context, Answer())
    services = context.services
    await _send_view(context, chat.id, directory.directory_page(
        services.settings.resources, await services.texts_for(chat.id), 0))


@guards.needs_button
async def on_browse(update: Update, context: BotContext, query: CallbackQuery,
                    chat: Chat) -> None:
    """A button inside the resources message: it turns into the page asked for."""
    services = context.services
    view = directory.browse(services.settings.resources, await services.texts_for(chat.id),
                            query.data or "")
    await answer_button(update, context, Answer() if view else Answer("stale_button"))
    if view is None or query.message is None:
        return
    text, keyboard = view
    try:
        await services.outbox.edit_text(chat.id, query.message.message_id, text, keyboard)
    except DeliveryError:
        await _send_view(context, chat.id, view)  # too old to edit: show it anew


async def _send_view(context: BotContext, chat_id: int, view: directory.View) -> None:
    text, keyboard = view
    await context.services.outbox.notify(chat_id, text, keyboard, what="a resources page")


@guards.needs_button
async def on_referral_answer(update: Update, context: BotContext, query: CallbackQuery,
                             chat: Chat) -> None:
    """The responder's answer to a peer's referral: their peer is told, the buttons go."""
    answer = await referrals.answer(context.services, query.from_user.id, query.data or "")
    await answer_button(update, context, answer)
    if answer.key != "stale_button" and query.message is not None:
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)


async def on_intake_choice(update: Update, context: BotContext) -> None:
    """One tap on an intake question: the question turns into the next one."""
    query, user = update.callback_query, update.effective_user
    choice = keyboards.parse_intake(query.data or "") if query else None
    if query is None or user is None or choice is None:
        return
    answer, reply = await intake.answer(context.services, user.id, choice)
    await answer_button(update, context, answer)
    message = query.message
    if reply is None or message is None:
        return
    await edit_reply(context, message.chat.id, message.message_id, reply)


@guards.needs_sender
async def on_selfcheck(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """/selfcheck: the first question of a short self-check (nothing of it is stored)."""
    await send_reply(context, chat.id, selfcheck.begin(context.services, user.id))


@guards.needs_button
async def on_selfcheck_tap(update: Update, context: BotContext, query: CallbackQuery,
                           chat: Chat) -> None:
    """One tap in a self-check (an answer, Stop, Start again): the message turns into what
    comes next."""
    answer, reply = await selfcheck.tap(context.services, query.from_user.id, query.data or "")
    await answer_button(update, context, answer)
    if query.message is not None:
        await edit_reply(context, chat.id, query.message.message_id, reply)


@guards.needs_button
async def on_selfcheck_share(update: Update, context: BotContext, query: CallbackQuery,
                             chat: Chat) -> None:
    """Share on a self-check's result: its summary goes to the responder's peer."""
    message_id = query.message.message_id if query.message is not None else 0
    answer, reply = await selfcheck.share(context.services, query.from_user.id, chat.id,
                                          message_id, query.data or "")
    await answer_button(update, context, answer)
    if reply is not None and query.message is not None:
        await edit_reply(context, chat.id, message_id, reply)


@guards.needs_button
async def on_checkin_choice(update: Update, context: BotContext, query: CallbackQuery,
                            chat: Chat) -> None:
    """A tap on the check-in offer after a conversation: the offer turns into the answer."""
    answer, reply = await checkins.choose(context.services, query.from_user.id, query.data or "")
    await answer_button(update, context, answer)
    if reply is not None and query.message is not None:
        await edit_reply(context, chat.id, query.message.message_id, reply)


@guards.needs_button
async def on_checkin_answer(update: Update, context: BotContext, query: CallbackQuery,
                            chat: Chat) -> None:
    """I'm OK, Talk to a peer again or Resources on a follow-up check-in."""
    outcome = await checkins.answer(context.services, query.from_user.id, chat.id,
                                    query.data or "")
    await answer_button(update, context, outcome.answer)
    if outcome.clear and query.message is not None:
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    if outcome.reply is not None:
        await send_reply(context, chat.id, outcome.reply)
    if outcome.resources:
        services = context.services
        await _send_view(context, chat.id, directory.crisis_lines(
            services.settings.resources, await services.texts_for(chat.id)))


@guards.needs_sender
async def on_end(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """/end: the responder ends their conversation or request."""
    await send_reply(context, chat.id, await closing.end_by_responder(context.services, user.id))


@guards.needs_button
async def on_feedback(update: Update, context: BotContext, query: CallbackQuery,
                      chat: Chat) -> None:
    """A 1-5 tap after a conversation; the buttons disappear once it is recorded, and the
    thanks comes as a message."""
    match = keyboards.FEEDBACK_PATTERN.match(query.data or "")
    if match is None:
        return
    request_id, choice = match.groups()
    services = context.services
    request = await closing.ratable(services, query.from_user.id, request_id)
    if request is None:
        await answer_button(update, context, Answer("stale_button"))
        return
    if query.message is not None:
        await services.outbox.clear_keyboard(chat.id, query.message.message_id)
    await answer_button(update, context, await closing.rate(services, chat.id, request, choice))


@guards.needs_button
async def on_keep_waiting(update: Update, context: BotContext, query: CallbackQuery,
                          chat: Chat) -> None:
    """"Keep waiting" on an escalation update: tidy the buttons away, and reassure with a
    message (if the request is still waiting): once per update message, under a key of that
    message, so a second tap before its buttons are gone finds it sent."""
    await answer_button(update, context, Answer())
    reply = await intake.keep_waiting(context.services, query.from_user.id)
    if query.message is None:
        await send_reply(context, chat.id, reply)
        return
    await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    with send_scope(f"kw{query.message.message_id}"):
        await send_reply(context, chat.id, reply)


@guards.needs_sender
async def on_forget(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """/forget: ask before deleting everything about this responder."""
    await send_reply(context, chat.id, await erasure.ask(context.services, user.id))


@guards.needs_button
async def on_forget_choice(update: Update, context: BotContext, query: CallbackQuery,
                           chat: Chat) -> None:
    """The confirmation tap (or Cancel) of /forget."""
    user = query.from_user
    cancel = query.data == erasure.CANCEL
    if not cancel and not erasure.confirmed(context.services, user.id, query.data or ""):
        # Not a prompt shown to this person recently: nothing is erased.
        await answer_button(update, context, Answer("forget_stale", alert=True))
        return
    if query.message is not None:  # first: the erasure then takes this chat's rows away
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    if cancel:
        answer = Answer("forget_cancelled")
    else:
        answer = await erasure.forget(context.services, user.id, chat.id)
    await answer_button(update, context, answer)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("start", on_start, filters=PRIVATE_COMMAND),
        CommandHandler("end", on_end, filters=PRIVATE_COMMAND),
        CommandHandler("resources", on_resources, filters=PRIVATE_COMMAND),
        CommandHandler("forget", on_forget, filters=PRIVATE_COMMAND),
        CommandHandler("selfcheck", on_selfcheck, filters=PRIVATE_COMMAND),
        CallbackQueryHandler(on_selfcheck_tap, pattern=selfcheck.PATTERN),
        CallbackQueryHandler(on_selfcheck_share, pattern=selfcheck.SHARE_PATTERN),
        CallbackQueryHandler(on_forget_choice, pattern=erasure.CHOICE_PATTERN),
        CallbackQueryHandler(on_talk, pattern=f"^{keyboards.TALK}$"),
        CallbackQueryHandler(on_resources, pattern=f"^{keyboards.RESOURCES}$"),
        CallbackQueryHandler(on_directory, pattern=f"^{keyboards.DIRECTORY}$"),
        CallbackQueryHandler(on_browse, pattern=directory.BROWSE_PATTERN),
        CallbackQueryHandler(on_referral_answer, pattern=referrals.ANSWER_PATTERN),
        CallbackQueryHandler(on_intake_choice, pattern=keyboards.INTAKE_PATTERN),
        CallbackQueryHandler(on_feedback, pattern=keyboards.FEEDBACK_PATTERN),
        CallbackQueryHandler(on_checkin_choice, pattern=keyboards.CHECKIN_OFFER_PATTERN),
        CallbackQueryHandler(on_checkin_answer, pattern=keyboards.CHECKIN_ANSWER_PATTERN),
        CallbackQueryHandler(on_keep_waiting, pattern=f"^{keyboards.KEEP_WAITING}$"),
    ]
