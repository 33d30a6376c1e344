"""What the rest of the bot calls to write to a chat: `Outbox`.

Each method says what a send is (a text, a copy, an edit, a notice nobody waits on) and hands
it to the delivery machinery (bot/platform/outbox/sender.py) as a row; the few calls that keep
no row (a file made on request, a button's answer, the command menus, the confirmation of
/forget) are made at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand, BotCommandScope, InlineKeyboardMarkup, InputFile
from telegram.error import RetryAfter, TelegramError

from bot.platform.outbox.errors import DeliveryError
from bot.platform.outbox.pacing import PERSON, TEAM
from bot.platform.outbox.sender import Sender
from storage.outbox import Purpose
from storage.session import Write

_log = logging.getLogger(__name__)


class Outbox(Sender):
    """The one way out (see the package's docstring)."""

    # --- The limits (tests and benchmarks lift them) ------------------------------------------

    @property
    def overall_per_second(self) -> int:
        return self.pacing.overall_per_second

    @overall_per_second.setter
    def overall_per_second(self, value: int) -> None:
        self.pacing.overall_per_second = value

    @property
    def group_per_minute(self) -> int:
        return self.pacing.group_per_minute

    @group_per_minute.setter
    def group_per_minute(self, value: int) -> None:
        self.pacing.group_per_minute = value

    @property
    def busy_per_minute(self) -> int:
        return self.pacing.busy_per_minute

    @busy_per_minute.setter
    def busy_per_minute(self, value: int) -> None:
        self.pacing.busy_per_minute = value

    # --- Messages -----------------------------------------------------------------------------

    async def send_text(self, chat_id: int, text: str,
                        keyboard: InlineKeyboardMarkup | None = None, *,
                        purpose: Purpose | None = None, relayed: bool = False,
                        along: Write[object] | None = None) -> int:
        """Send plain text (no parse mode, so nothing a person wrote is interpreted).

        `along`: a write kept in the same transaction as the row (the relayed message itself:
        stored and queued together, or neither). If that transaction fails, the error is
        raised and nothing is sent."""
        params: dict[str, Any] = {"text": text}
        if keyboard is not None:
            params["reply_markup"] = keyboard.to_dict()
        return await self._submit(chat_id, "sendMessage", params, purpose, relayed,
                                  along=along)

    async def copy(self, chat_id: int, from_chat_id: int, message_id: int,
                   caption: str | None, *, purpose: Purpose | None = None,
                   along: Write[object] | None = None) -> int:
        """Re-send a media message without its origin (copyMessage never shows the sender).
        `along`: as for `send_text`."""
        params: dict[str, Any] = {"from_chat_id": from_chat_id, "message_id": message_id}
        if caption is not None:
            params["caption"] = caption
        return await self._submit(chat_id, "copyMessage", params, purpose, True, along=along)

    async def notify(self, chat_id: int, text: str,
                     keyboard: InlineKeyboardMarkup | None = None, *, what: str) -> bool:
        """Send a notice whose failure nobody waits on: a refusal is logged as "`what` could
        not be delivered" (say what it was, never to whom) and False returned."""
        try:
            await self.send_text(chat_id, text, keyboard)
        except DeliveryError:
            _log.warning("%s could not be delivered", what)
            return False
        return True

    async def send_untracked(self, chat_id: int, text: str, *, what: str) -> bool:
        """Send at once and keep no row: the confirmation of /forget, which must neither leave
        a row about that chat behind nor be deleted with its other rows. Best effort (the
        button's answer says it too)."""
        try:
            await self._direct(chat_id, "sendMessage", {"text": text})
        except DeliveryError:
            _log.warning("%s could not be delivered", what)
            return False
        return True

    async def edit_text(self, chat_id: int, message_id: int, text: str,
                        keyboard: InlineKeyboardMarkup | None = None, *,
                        team: bool = False) -> None:
        """Edit a message (in the chat's turn); "message is not modified" counts as done.
        `team`: a card, notice or digest, which waits behind what people are waiting on."""
        params: dict[str, Any] = {"message_id": message_id, "text": text}
        if keyboard is not None:
            params["reply_markup"] = keyboard.to_dict()
        await self._submit(chat_id, "editMessageText", params, None, False,
                           priority=TEAM if team else PERSON)

    async def replace(self, chat_id: int, purpose: Purpose, text: str,
                      keyboard: InlineKeyboardMarkup | None = None, *,
                      along: Write[object] | None = None) -> bool:
        """Rewrite a message of this chat and `purpose` that is still waiting to go (kept for
        later), in the chat's turn, so that it grows while it waits instead of a second one
        following it; `along` is written in the same transaction. False if there is none
        waiting (it has gone, or is going): then send a new one."""
        params: dict[str, Any] = {"text": text}
        if keyboard is not None:
            params["reply_markup"] = keyboard.to_dict()
        chat_key = self._rows.chat_key(chat_id)
        async with self._locks[chat_key]:
            return await self._rows.replace_pending(chat_key, purpose, params, along=along)

    async def clear_keyboard(self, chat_id: int, message_id: int) -> None:
        """Remove a message's buttons once they have done their job; best effort."""
        with contextlib.suppress(DeliveryError):
            await self._submit(chat_id, "editMessageReplyMarkup", {"message_id": message_id},
                               None, False)

    # --- Calls that keep no row ---------------------------------------------------------------

    async def upload(self, chat_id: int, kind: str, filename: str, data: bytes,
                     caption: str) -> None:
        """Send a file made on request (a chart, an export) at once, as a photo or a document.
        It is not kept as a row: it holds nothing a person wrote and can be made again, so a
        refusal raises DeliveryError for the caller to say so."""
        upload = InputFile(data, filename=filename)
        try:
            if kind == "photo":
                await self._bot.send_photo(chat_id, upload, caption=caption)
            else:
                await self._bot.send_document(chat_id, upload, caption=caption)
        except TelegramError as exc:
            self._flood_counted(exc)
            raise DeliveryError(f"the {kind} was refused ({type(exc).__name__})") from None

    async def answer(self, callback_query_id: str, text: str | None = None,
                     alert: bool = False) -> None:
        """Answer a button press at once (it expires in seconds); best effort."""
        try:
            await self._bot.answer_callback_query(callback_query_id=callback_query_id,
                                                  text=text, show_alert=alert)
        except TelegramError as exc:
            self._flood_counted(exc)

    async def set_commands(self, commands: Sequence[tuple[str, str]],
                           scope: BotCommandScope, language_code: str | None = None) -> None:
        """Publish a command menu for one audience (for users of one app language, if
        given); best effort."""
        menu = [BotCommand(name, description) for name, description in commands]
        try:
            await self._bot.set_my_commands(menu, scope, language_code)
        except TelegramError as exc:
            self._flood_counted(exc)

    def _flood_counted(self, exc: TelegramError) -> None:
        """A call made at once (no row) was refused: a 429 is counted as the rows' are."""
        if isinstance(exc, RetryAfter):
            self._metrics.flood_limited()

    # --- The chat's load ----------------------------------------------------------------------

    async def busy(self, chat_id: int) -> bool:
        """True when this chat is near or at its flood limit, or has messages waiting: time to
        coalesce (the group's digest) rather than add one more message."""
        key = self._rows.chat_key(chat_id)
        if self.pacing.busy(key):
            return True
        return await self._rows.pending_count(key) > 0
