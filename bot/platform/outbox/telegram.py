"""The Bot API calls of the outbox: a row turned into python-telegram-bot's call, and back.

A row holds a Bot API method's name and its parameters as JSON (storage/outbox.py), so that it
can wait in the database; this is the one place that knows which call each method is.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message, MessageId

from storage.outbox import OutboxRow


async def call(bot: Bot, row: OutboxRow) -> Any:
    """Make the row's call; Telegram's errors are raised as python-telegram-bot raises them."""
    p, chat = row.params, row.chat_id
    markup = p.get("reply_markup")
    keyboard = InlineKeyboardMarkup.de_json(markup, bot) if markup else None
    if row.method == "sendMessage":
        return await bot.send_message(chat_id=chat, text=p["text"], reply_markup=keyboard)
    if row.method == "copyMessage":
        return await bot.copy_message(chat_id=chat, from_chat_id=p["from_chat_id"],
                                      message_id=p["message_id"], caption=p.get("caption"))
    if row.method == "editMessageText":
        return await bot.edit_message_text(chat_id=chat, message_id=p["message_id"],
                                           text=p["text"], reply_markup=keyboard)
    if row.method == "editMessageReplyMarkup":
        return await bot.edit_message_reply_markup(
            chat_id=chat, message_id=p["message_id"], reply_markup=None)
    raise ValueError(f"the outbox does not send {row.method}")


def message_id_of(result: Any) -> int | None:
    """The id of the message a call made (a send, a copy), or None (an edit answers True)."""
    return result.message_id if isinstance(result, Message | MessageId) else None
