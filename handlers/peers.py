"""Peer handlers: Claim, the private-chat commands, and /start or /help inside the peer group.

Most peer commands are "take the argument, ask the core, say what it answers"; `peer_command`
builds those, and the table in `handlers()` says which command runs which core function.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Chat, Update, User
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.oversight import tools as oversight
from bot.platform import commands as menus
from bot.platform import guards, keyboards, language
from bot.platform.context import BotContext
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.requests import claims, closing, notes, snippets, transfers
from bot.safety import referrals
from bot.team import care, departures, roster
from bot.team import members as team
from handlers.common import PRIVATE_COMMAND, answer_button, edit_reply, send_reply

Action = Callable[[Services, int, str | None], Awaitable[Reply]]


def peer_command(action: Action) -> guards.Handler:
    """A handler that passes the sender and the command's argument (if any) to `action`."""

    @guards.needs_sender
    async def handle(update: Update, context: BotContext, user: User, chat: Chat) -> None:
        argument = " ".join(context.args).strip() if context.args else None
        await send_reply(context, chat.id, await action(context.services, user.id, argument))

    handle.__doc__ = action.__doc__
    return handle


async def _off_call(services: Services, user_id: int, _: str | None) -> Reply:
    return await roster.go_off_call(services, user_id)


async def on_claim(update: Update, context: BotContext) -> None:
    """Claim from a card: the first peer wins; everyone else gets a short answer."""
    query, user = update.callback_query, update.effective_user
    match = keyboards.CLAIM_PATTERN.match(query.data or "") if query else None
    if query is None or user is None or match is None:
        return
    answer = await claims.claim(context.services, match.group(1), user.id)
    await answer_button(update, context, answer)


@guards.needs_button
async def on_extend(update: Update, context: BotContext, query: CallbackQuery,
                    chat: Chat) -> None:
    """The reminder's one-tap extension of an on-call period."""
    await answer_button(update, context, Answer())
    if query.message is not None:
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    await send_reply(context, chat.id, await roster.extend(context.services, query.from_user.id))


@guards.needs_button
async def on_refer_pick(update: Update, context: BotContext, query: CallbackQuery,
                        chat: Chat) -> None:
    """A tap in the /refer picker: the picker turns a page, or says what was sent."""
    picker = query.message.message_id if query.message is not None else 0
    answer, reply = await referrals.pick(context.services, query.from_user.id, query.data or "",
                                         picker)
    await answer_button(update, context, answer)
    if reply is None or query.message is None:
        return
    await edit_reply(context, chat.id, query.message.message_id, reply)


@guards.needs_button
async def on_snippet(update: Update, context: BotContext, query: CallbackQuery,
                     chat: Chat) -> None:
    """A saved reply tapped: it goes to the responder as if the peer had written it, and the
    picker shows what was sent (a peer who left the peer group passes nothing on)."""
    left = await departures.before_relay(context.services, query.from_user.id)
    if left is not None:
        await answer_button(update, context, Answer())
        await send_reply(context, chat.id, left)
        return
    picker = query.message.message_id if query.message is not None else 0
    answer, reply = await snippets.press(context.services, query.from_user.id,
                                         query.data or "", picker)
    await answer_button(update, context, answer)
    if reply is not None and query.message is not None:
        await edit_reply(context, chat.id, query.message.message_id, reply)


@guards.needs_sender
async def on_note(update: Update, context: BotContext, user: User, chat: Chat) -> None:
    """/note TEXT: a private note on the current conversation, for the team only. The text is
    everything after the command, line breaks included, as written (no Markdown)."""
    message = update.effective_message
    if message is None:
        return
    parts = (message.text or "").split(maxsplit=1)
    text = parts[1].strip() if len(parts) > 1 else None
    reply = await notes.add(context.services, user.id, text, message_id=message.message_id)
    await send_reply(context, chat.id, reply)


@guards.needs_button
async def on_debrief(update: Update, context: BotContext, query: CallbackQuery,
                     chat: Chat) -> None:
    """Ask for a debrief, after a high-risk conversation: the coordinators are told, once."""
    answer, reply = await care.ask_debrief(context.services, query.from_user.id,
                                           query.data or "")
    await answer_button(update, context, answer)
    if reply is None:
        return
    if query.message is not None:
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    await send_reply(context, chat.id, reply)


@guards.needs_button
async def on_transfer(update: Update, context: BotContext, query: CallbackQuery,
                      chat: Chat) -> None:
    """Accept, Decline or Withdraw a hand-over (/transfer): the buttons go once it is used."""
    answer, reply = await transfers.press(context.services, query.from_user.id, query.data or "")
    await answer_button(update, context, answer)
    if query.message is not None and (reply is not None or answer.key == "transfer_accepted"):
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    if reply is not None:
        await send_reply(context, chat.id, reply)


async def on_group_start(update: Update, context: BotContext) -> None:
    """/start, /help or a peer command in the peer group: all of that happens in private."""
    if update.effective_chat is not None:
        await send_reply(context, update.effective_chat.id, Reply("group_start"))


def handlers(peer_group_id: int) -> list[BaseHandler[Update, BotContext, None]]:
    commands: dict[str, Action] = {
        "close": closing.close_by_peer,      # /close [CODE]
        "release": closing.release_by_peer,  # /release [reason]
        "switch": team.switch,               # /switch CODE
        "transfer": transfers.offer,         # /transfer ALIAS
        "snippets": snippets.show,           # /snippets
        "refer": referrals.refer,            # /refer [CODE]
        "languages": language.peer_languages,  # /languages es,en
        "concern": referrals.concern,        # /concern [CODE]
        "urgent": referrals.urgent,          # /urgent [CODE]
        "notes": notes.show,                 # /notes [CODE]
        "alias": team.set_alias,             # /alias NAME
        "oncall": roster.go_on_call,         # /oncall [8h]
        "offcall": _off_call,                # /offcall
        "agency": roster.set_agency,         # /agency NAME
    }
    return [
        *(CommandHandler(name, peer_command(action), filters=PRIVATE_COMMAND)
          for name, action in commands.items()),
        CommandHandler("note", on_note, filters=PRIVATE_COMMAND),  # /note TEXT
        # Every command of the bot, typed in the group, points to the private chat (a
        # responder's /end or /forget there too: never "unknown command", never acted on).
        CommandHandler(sorted({"start", "help", *commands, "note",
                               *oversight.COORDINATOR_COMMANDS,
                               *menus.names(menus.Audience.RESPONDER)}),
                       on_group_start,
                       filters=filters.Chat(peer_group_id) & filters.UpdateType.MESSAGE),
        CallbackQueryHandler(on_claim, pattern=keyboards.CLAIM_PATTERN),
        CallbackQueryHandler(on_extend, pattern=f"^{keyboards.EXTEND_ON_CALL}$"),
        CallbackQueryHandler(on_refer_pick, pattern=referrals.REFER_PATTERN),
        CallbackQueryHandler(on_snippet, pattern=snippets.PATTERN),
        CallbackQueryHandler(on_debrief, pattern=keyboards.DEBRIEF_PATTERN),
        CallbackQueryHandler(on_transfer, pattern=keyboards.TRANSFER_PATTERN),
    ]
