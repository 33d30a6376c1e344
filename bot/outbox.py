"""The one way out: every message, edit and callback answer the bot makes goes through here.

It retries what Telegram asks to be retried (429 `retry_after`, connection errors) and turns
"this person cannot be reached" into `DeliveryError`, so callers can tell the sender. A request
that timed out after it was sent is *not* repeated, because the message may have arrived and a
repeat would duplicate a relayed message; the caller is told delivery is uncertain instead.

Log lines name the Bot API method and the error class only: never a chat id or a text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, BotCommand, BotCommandScope, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

_log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 4
MAX_BACKOFF_SECONDS = 8.0
MAX_RETRY_AFTER_SECONDS = 60.0


class DeliveryError(Exception):
    """The message did not reach (or may not have reached) its recipient.

    `unreachable` is true when the chat itself refused us (blocked, left, never started the
    bot), as opposed to one message that Telegram would not take (a deleted original, say).
    """

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class Outbox:
    def __init__(self, bot: Bot, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 ) -> None:
        self._bot = bot
        self._sleep = sleep

    async def _call(self, method: str, call: Callable[[], Awaitable[T]]) -> T:
        backoff = 0.5
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await call()
            except RetryAfter as exc:
                wait = exc.retry_after
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                if seconds > MAX_RETRY_AFTER_SECONDS or attempt == MAX_ATTEMPTS:
                    _log.warning("%s: flood limit, gave up after %d attempts", method, attempt)
                    raise DeliveryError(f"{method}: flood limited") from exc
                _log.info("%s: flood limit, waiting %.0f s as Telegram asks", method, seconds)
                await self._sleep(seconds)
            except TimedOut as exc:
                _log.warning("%s: timed out; not repeated (it may have been delivered)", method)
                raise DeliveryError(f"{method}: delivery uncertain") from exc
            except Forbidden as exc:
                _log.warning("%s: the chat refused the bot (%s)", method, type(exc).__name__)
                raise DeliveryError(f"{method}: forbidden", unreachable=True) from exc
            except BadRequest as exc:
                _log.warning("%s: refused by Telegram (%s)", method, type(exc).__name__)
                gone = "chat not found" in exc.message.lower()
                raise DeliveryError(f"{method}: refused", unreachable=gone) from exc
            except NetworkError as exc:
                if attempt == MAX_ATTEMPTS:
                    _log.warning("%s: network error, gave up after %d attempts", method, attempt)
                    raise DeliveryError(f"{method}: network error") from exc
                await self._sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            except ChatMigrated as exc:
                _log.error("%s: the chat became a supergroup with a new id; update "
                           "PEER_GROUP_ID (or BACKUP_CHAT_ID) and restart", method)
                raise DeliveryError(f"{method}: chat migrated", unreachable=True) from exc
            except TelegramError as exc:
                _log.warning("%s: failed (%s)", method, type(exc).__name__)
                raise DeliveryError(f"{method}: failed") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def send_text(self, chat_id: int, text: str,
                        keyboard: InlineKeyboardMarkup | None = None) -> int:
        """Send plain text (no parse mode, so nothing a person wrote is interpreted)."""
        message = await self._call("sendMessage", lambda: self._bot.send_message(
            chat_id=chat_id, text=text, reply_markup=keyboard))
        return message.message_id

    async def copy(self, chat_id: int, from_chat_id: int, message_id: int,
                   caption: str | None) -> int:
        """Re-send a media message without its origin (copyMessage never shows the sender)."""
        result = await self._call("copyMessage", lambda: self._bot.copy_message(
            chat_id=chat_id, from_chat_id=from_chat_id, message_id=message_id, caption=caption))
        return result.message_id

    async def edit_text(self, chat_id: int, message_id: int, text: str,
                        keyboard: InlineKeyboardMarkup | None = None) -> None:
        """Edit a message; "message is not modified" counts as done."""
        try:
            await self._call("editMessageText", lambda: self._bot.edit_message_text(
                chat_id=chat_id, message_id=message_id, text=text, reply_markup=keyboard))
        except DeliveryError as exc:
            cause = exc.__cause__
            if isinstance(cause, BadRequest) and "not modified" in cause.message.lower():
                return
            raise

    async def clear_keyboard(self, chat_id: int, message_id: int) -> None:
        """Remove a message's buttons once they have done their job; best effort."""
        with contextlib.suppress(DeliveryError):
            await self._call("editMessageReplyMarkup", lambda: self._bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None))

    async def answer(self, callback_query_id: str, text: str | None = None,
                     alert: bool = False) -> None:
        """Answer a button press; best effort, since the press itself is already handled."""
        with contextlib.suppress(DeliveryError):
            await self._call("answerCallbackQuery", lambda: self._bot.answer_callback_query(
                callback_query_id=callback_query_id, text=text, show_alert=alert))

    async def set_commands(self, commands: Sequence[tuple[str, str]],
                           scope: BotCommandScope) -> None:
        """Publish a command menu for one audience; best effort."""
        menu = [BotCommand(name, description) for name, description in commands]
        with contextlib.suppress(DeliveryError):
            await self._call("setMyCommands", lambda: self._bot.set_my_commands(menu, scope))
