"""Coordinator handlers: /stats, /export, /roster, /peers, /removepeer, /audit (private chat).

Each passes the sender and the argument to bot.oversight.tools, which refuses anyone who is not a
coordinator with the same short answer, and sends what it returns: a text or a file.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Chat, Update, User
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.oversight import tools as oversight
from bot.platform import guards
from bot.platform.context import BotContext
from bot.platform.outbox import DeliveryError
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from handlers.common import PRIVATE_COMMAND, answer_button, send_reply

_log = logging.getLogger(__name__)
Action = Callable[[Services, int, str | None], Awaitable[Reply | oversight.Upload]]


def coordinator_command(action: Action) -> guards.Handler:
    """A handler that passes the sender and the command's argument (if any) to `action`, and
    sends what it returns: a text or a file."""

    @guards.needs_sender
    async def handle(update: Update, context: BotContext, user: User, chat: Chat) -> None:
        argument = " ".join(context.args).strip() if context.args else None
        result = await action(context.services, user.id, argument)
        if isinstance(result, Reply):
            await send_reply(context, chat.id, result)
            return
        try:
            await context.services.outbox.upload(chat.id, result.kind, result.filename,
                                                 result.data, result.caption)
        except DeliveryError:
            _log.warning("a coordinator's %s could not be sent", result.kind)
            await send_reply(context, chat.id, Reply("upload_failed"))

    handle.__doc__ = action.__doc__
    return handle


@guards.needs_button
async def on_remove_choice(update: Update, context: BotContext, query: CallbackQuery,
                           chat: Chat) -> None:
    """One of several peers with the same alias, chosen for /removepeer."""
    reply = await oversight.remove_chosen(context.services, query.from_user.id, query.data or "")
    await answer_button(update, context, Answer() if reply else Answer("stale_button"))
    if query.message is not None and reply is not None:
        await context.services.outbox.clear_keyboard(chat.id, query.message.message_id)
    await send_reply(context, chat.id, reply)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    commands: dict[str, Action] = {
        "stats": oversight.show_stats,       # /stats [period] | /stats chart [period]
        "export": oversight.export,          # /export [period]
        "roster": oversight.roster,          # /roster
        "peers": oversight.peers,            # /peers
        "removepeer": oversight.remove_peer,  # /removepeer ALIAS
        "audit": oversight.audit,            # /audit
    }
    return [
        *(CommandHandler(name, coordinator_command(action), filters=PRIVATE_COMMAND)
          for name, action in commands.items()),
        CallbackQueryHandler(on_remove_choice, pattern=rf"^{oversight.REMOVE_PREFIX}\d+$"),
    ]
