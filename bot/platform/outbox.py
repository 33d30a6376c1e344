"""The one way out: every message and edit the bot makes for a chat is an outbox row first.

Delivery keeps each chat's order, paces itself under Telegram's limits (about 30 messages a
second overall and 20 a minute into one group), honours 429 `retry_after` for the chat it names
(and briefly for everyone), and retries network errors with capped backoff. A row that could
not go now stays pending and the sender task delivers it later, after a restart too; a sent row
is never sent again. A relayed message whose request timed out is *not* repeated (it may have
arrived): it is recorded as uncertain, and its `on_failed` follow-up runs at once, whether or
not a caller waits, as it does for a relayed message given up on after retrying: that
follow-up names the message to its writer with a Send again button (bot/requests/resend.py), so the
caller need not say anything (`DeliveryError.followed_up`).

Callers get the message id when delivery happens at once, 0 when the message is kept for later
(not a failure: it will go), or `DeliveryError` when the chat refused it. What a row's
`purpose` names (a card, a notice, a relayed message) is followed up by hooks when the row is
sent, or when it fails later in the background, so nothing depends on the caller waiting.

Log lines name the Bot API method and the error class only: never a chat id or a text.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageId,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from storage.errors import StorageError
from storage.outbox import OutboxRepository, OutboxRow
from storage.session import Write

_log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0
MAX_ATTEMPTS = 60
GROUP_PER_MINUTE = 19  # Telegram: about 20 a minute into one group
BUSY_GROUP_PER_MINUTE = 10  # past this, new cards go into the digest (leaves room for edits)
_SENDS = ("sendMessage", "copyMessage")
OVERALL_PER_SECOND = 28  # Telegram: about 30 a second overall (2 spare for network jitter)
SENDER_TICK_SECONDS = 0.25
Hook = Callable[[str, OutboxRow, int | None], Awaitable[None]]
_TEAM_PURPOSES = ("card", "notice", "digest")


class DeliveryError(Exception):
    """The message did not reach (or may not have reached) its recipient.

    `unreachable` is true when the chat itself refused us (blocked, left, never started the
    bot), as opposed to one message that Telegram would not take (a deleted original, say).
    `followed_up` is true when the row's `on_failed` follow-up tells whoever should know (a
    relayed message that may not have arrived): the caller says nothing more.
    """

    def __init__(self, message: str, unreachable: bool = False,
                 followed_up: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable
        self.followed_up = followed_up


class _Queued(Exception):  # noqa: N818 (not an error: the message will go)
    """The row stays pending and the sender delivers it later (flood limit, network)."""


class SendScope:
    """While one piece of work runs (handling an update, taking a ladder step), its sends get
    keys <label>.<chat>.<method>.<n>, the n-th call of that method to that chat: doing the
    same work again after a crash finds the rows made the first time instead of sending twice,
    and a replay that takes another path (the state moved on) does not borrow the key of a
    different message."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._sends: collections.Counter[tuple[str, str]] = collections.Counter()

    def next_key(self, chat_key: str, method: str) -> str:
        self._sends[chat_key, method] += 1
        return f"{self.label}.{chat_key[:16]}.{method}.{self._sends[chat_key, method]}"


current_scope: contextvars.ContextVar[SendScope | None] = contextvars.ContextVar(
    "current_scope", default=None)


@contextlib.contextmanager
def send_scope(label: str | SendScope | None) -> Iterator[None]:
    """Sends made inside get keys of this scope (a new one for a label; an existing one to
    carry on its count, as work that follows an update's answer does)."""
    scope = SendScope(label) if isinstance(label, str) else label
    token = current_scope.set(scope)
    try:
        yield
    finally:
        current_scope.reset(token)


def _may_have_arrived(exc: Exception) -> bool:
    """Did the request leave? A connect or pool timeout, or a refused connection, never sent
    it; a read timeout or a dropped connection after sending may have delivered it."""
    cause = exc.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return False
    if isinstance(exc, TimedOut):
        return True
    return isinstance(cause, httpx.ReadError | httpx.RemoteProtocolError | httpx.ReadTimeout)


PERSON, TEAM, TIDY = 0, 1, 2  # who waits on a row: see `priority_of`


def priority_of(method: str, purpose: str | None) -> int:
    """Who waits on a row, for when Telegram's overall limit holds rows back: the person being
    answered or written to (PERSON) before the team's cards, notices and digest (TEAM), before
    taking the buttons off an old message (TIDY)."""
    if method == "editMessageReplyMarkup":
        return TIDY
    if purpose is not None and purpose.partition(":")[0] in _TEAM_PURPOSES:
        return TEAM
    return PERSON


def seconds_of(wait: int | timedelta) -> float:
    """retry_after as seconds, whether python-telegram-bot gives an int or a timedelta."""
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class Outbox:
    def __init__(self, bot: Bot, rows: OutboxRepository,
                 clock: Callable[[], float] = time.time) -> None:
        self._bot = bot
        self._rows = rows
        self.rows = rows
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = collections.defaultdict(asyncio.Lock)
        self._paused_until: dict[str, float] = {}
        self._all_paused_until = 0.0
        self._recent: collections.deque[float] = collections.deque()
        self._group_recent: dict[str, collections.deque[float]] = collections.defaultdict(
            collections.deque)
        self.overall_per_second = OVERALL_PER_SECOND
        self.group_per_minute = GROUP_PER_MINUTE
        self.busy_per_minute = BUSY_GROUP_PER_MINUTE
        self.on_sent: dict[str, Hook] = {}
        self.on_failed: dict[str, Hook] = {}
        self.wake = asyncio.Event()
        # True from a call lost to the network (timed out, no connection) until the next call
        # Telegram answers: notices about a stall wait for its end (bot/requests/resend.py).
        self.stalled = False
        self._delivering: dict[str, asyncio.Task[None]] = {}  # chat -> the sender's task
        # Follow-ups run after the chat's lock is released: a hook may itself send or edit in
        # the same chat (the digest, a late card), which would otherwise wait on itself.
        self._followups: collections.deque[tuple[Hook, str, OutboxRow, int | None]] = (
            collections.deque())

    # --- What callers use -------------------------------------------------------------------

    async def send_text(self, chat_id: int, text: str,
                        keyboard: InlineKeyboardMarkup | None = None, *,
                        purpose: str | None = None, relayed: bool = False,
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
                   caption: str | None, *, purpose: str | None = None,
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

    async def replace(self, chat_id: int, purpose: str, text: str,
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
            raise DeliveryError(f"the {kind} was refused ({type(exc).__name__})") from None

    async def answer(self, callback_query_id: str, text: str | None = None,
                     alert: bool = False) -> None:
        """Answer a button press at once (it expires in seconds); best effort."""
        with contextlib.suppress(TelegramError):
            await self._bot.answer_callback_query(callback_query_id=callback_query_id,
                                                  text=text, show_alert=alert)

    async def set_commands(self, commands: Sequence[tuple[str, str]],
                           scope: BotCommandScope, language_code: str | None = None) -> None:
        """Publish a command menu for one audience (for users of one app language, if
        given); best effort."""
        menu = [BotCommand(name, description) for name, description in commands]
        with contextlib.suppress(TelegramError):
            await self._bot.set_my_commands(menu, scope, language_code)

    async def busy(self, chat_id: int) -> bool:
        """True when this chat is near or at its flood limit, or has messages waiting: time to
        coalesce (the group's digest) rather than add one more message."""
        key = self._rows.chat_key(chat_id)
        if self._paused_until.get(key, 0.0) > self._clock():
            return True
        self._group_full(key)  # drops sends older than a minute
        if len(self._group_recent.get(key, ())) >= self.busy_per_minute:
            return True
        return await self._rows.pending_count(key) > 0

    # --- Delivery ---------------------------------------------------------------------------

    async def _submit(self, chat_id: int, method: str, params: dict[str, Any],
                      purpose: str | None, relayed: bool, *, along: Write[object] | None = None,
                      priority: int | None = None) -> int:
        scope = current_scope.get()
        chat_key = self._rows.chat_key(chat_id)
        rank = priority_of(method, purpose) if priority is None else priority
        if rank != PERSON and along is None and self._locks[chat_key].locked():
            # The team's cards, notices and digests do not wait for a chat in use (the group,
            # in a burst): queued behind what is there, for the sender, which sends only the
            # newest of several edits of one message.
            return await self._queue(chat_id, method, params, purpose=purpose, relayed=relayed,
                                     rank=rank,
                                     key=scope.next_key(chat_key, method) if scope else None)
        try:
            async with self._locks[chat_key]:
                try:
                    # Nothing waits before it and no limit applies: the row is stored already
                    # marked sending (one write instead of three) and sent at once.
                    row, state = await self._rows.add(
                        chat_id, method, params, purpose=purpose, relayed=relayed,
                        now=int(self._clock()),
                        key=scope.next_key(chat_key, method) if scope else None,
                        start=self._wait_for(chat_key, chat_id, method) == 0, along=along,
                        priority=rank)
                except StorageError as exc:
                    if along is not None:
                        raise  # what it carries was not kept either: the caller says so
                    # The database cannot keep it (disk full, read-only): still try once,
                    # directly, so that "your message could not be stored" reaches the person.
                    _log.error("%s: the outbox cannot store a row (%s); sending directly",
                               method, type(exc).__name__)
                    return await self._direct(chat_id, method, params)
                if state == "sent":  # made and delivered before a crash: not again
                    return row.message_id or 0
                if state in ("failed", "uncertain"):  # and its sender was told then
                    return 0
                try:
                    if state == "started":
                        return await self._attempt(row, background=False, started=True)
                    first = await self._rows.first_pending(chat_key)
                    if first is None or first.id != row.id or first.not_before > self._clock():
                        self.wake.set()  # behind earlier messages, or in a wait: kept in order
                        return 0
                    return await self._attempt(first, background=False)
                except _Queued:
                    return 0
        finally:
            await self._run_followups()

    async def _queue(self, chat_id: int, method: str, params: dict[str, Any], *,
                     purpose: str | None, relayed: bool, rank: int, key: str | None) -> int:
        """Store a row for the sender and return (0: it will go); a made row is not made
        again."""
        try:
            row, state = await self._rows.add(chat_id, method, params, purpose=purpose,
                                              relayed=relayed, now=int(self._clock()), key=key,
                                              priority=rank)
        except StorageError as exc:
            _log.error("%s: the outbox cannot store a row (%s)", method, type(exc).__name__)
            raise DeliveryError(f"{method}: not stored") from exc
        self.wake.set()
        return (row.message_id or 0) if state == "sent" else 0

    async def _direct(self, chat_id: int, method: str, params: dict[str, Any]) -> int:
        row = OutboxRow(0, self._rows.chat_key(chat_id), chat_id, method, params, None, False,
                        0, 0.0)
        try:
            result = await self._call(row)
        except TelegramError as exc:
            raise DeliveryError(f"{method}: failed") from exc
        return result.message_id if isinstance(result, Message | MessageId) else 0

    def _overall_wait(self) -> float:
        """Seconds until anything may be sent, under the overall pacing and a brief pause for
        everyone after a 429."""
        now = self._clock()
        waits = [self._all_paused_until - now]
        if self._sent_last_second() >= self.overall_per_second:
            waits.append(self._recent[0] + 1 - now)
        return max(0.0, *waits)

    def _wait_for(self, key: str, chat_id: int, method: str) -> float:
        """Seconds until this chat may be sent to, under the waits and pacing we know of."""
        now = self._clock()
        waits = [self._paused_until.get(key, 0.0) - now, self._overall_wait()]
        if chat_id < 0 and method in _SENDS and self._group_full(key):
            waits.append(self._group_recent[key][0] + 60 - now)
        return max(0.0, *waits)

    def _group_full(self, key: str) -> bool:
        recent = self._group_recent.get(key)
        if not recent:
            return False
        now = self._clock()
        while recent and now - recent[0] > 60:
            recent.popleft()
        return len(recent) >= self.group_per_minute

    async def _attempt(self, row: OutboxRow, background: bool, started: bool = False) -> int:
        """Send one row now. `started`: it was stored already marked sending."""
        await self._start(row, started)
        try:
            result = await self._call(row)
        except RetryAfter as exc:
            seconds = seconds_of(exc.retry_after)
            now = self._clock()
            self._paused_until[row.chat_key] = now + seconds
            self._all_paused_until = max(self._all_paused_until, now + min(seconds, 1.0))
            await self._rows.defer_chat(row.chat_key, now + seconds)
            _log.info("%s: flood limit, this chat waits %.0f s as Telegram asks", row.method,
                      seconds)
            self.wake.set()
            raise _Queued(f"{row.method}: flood limited") from exc
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                await self._rows.mark_sent(row.id, None, int(self._clock()))
                return 0
            unreachable = "chat not found" in exc.message.lower()
            await self._fail(row, exc, unreachable, background,
                             "unreachable" if unreachable else "refused")
        except (TimedOut, NetworkError) as exc:  # BadRequest, a NetworkError too, is above
            if not _may_have_arrived(exc):
                await self._retry_later(row, exc, background)
            if row.relayed:
                _log.warning("%s: timed out; not repeated, it may have arrived", row.method)
                await self._rows.mark_uncertain(row.id, int(self._clock()))
                # Followed up even for a caller still waiting: its writer is told which
                # message, with a Send again button, once the stall is over.
                await self._hook(self.on_failed, replace(row, outcome="uncertain"), None)
                raise DeliveryError(f"{row.method}: delivery uncertain",
                                    followed_up=True) from exc
            await self._retry_later(row, exc, background)
        except (Forbidden, ChatMigrated) as exc:
            if isinstance(exc, ChatMigrated):
                _log.error("%s: the chat became a supergroup with a new id; update "
                           "PEER_GROUP_ID (or BACKUP_CHAT_ID) and restart", row.method)
            await self._fail(row, exc, True, background, "unreachable")
        except TelegramError as exc:
            await self._fail(row, exc, False, background, "refused")
        now = self._clock()
        message_id = result.message_id if isinstance(result, Message | MessageId) else None
        await self._rows.mark_sent(row.id, message_id, int(now))
        await self._hook(self.on_sent, row, message_id)
        return message_id or 0

    async def _start(self, row: OutboxRow, marked: bool) -> None:
        """Mark a row sending (unless it was stored `marked` so), or put it back to pending
        (raising _Queued) if a limit applies: for a `marked` row, one that others reached
        while it was being written (the budget spent, a 429)."""
        wait = self._wait_for(row.chat_key, row.chat_id, row.method)
        if wait > 0:
            await self._rows.defer(row.id, self._clock() + wait)
            self.wake.set()
            raise _Queued(f"{row.method}: waiting {wait:.1f} s for the flood limit")
        # Counted now, before any await: sends to other chats under way at the same time see
        # it, so together they stay under Telegram's limits.
        now = self._clock()
        self._recent.append(now)
        if row.chat_id < 0 and row.method in _SENDS:  # the group limit counts new messages
            self._group_recent[row.chat_key].append(now)
        if not marked:
            await self._rows.mark_sending(row.id)

    async def _retry_later(self, row: OutboxRow, exc: Exception, background: bool) -> None:
        if row.attempts >= MAX_ATTEMPTS:  # about half an hour of trying: give up and say so
            await self._fail(row, exc, False, background, "failed")
        backoff = min(0.5 * 2 ** row.attempts, MAX_BACKOFF_SECONDS)
        _log.warning("%s: %s; retrying in %.1f s", row.method, type(exc).__name__, backoff)
        await self._rows.defer(row.id, self._clock() + backoff)
        self.wake.set()
        raise _Queued(f"{row.method}: network trouble") from exc

    async def _fail(self, row: OutboxRow, exc: Exception, unreachable: bool,
                    background: bool, outcome: str) -> None:
        """Telegram refused the row, or it was given up on (`outcome`, see OutboxRow). A
        caller still waiting is told by the exception; for a row sent later, and for a relayed
        message given up on, the `on_failed` follow-up tells whoever should know."""
        _log.warning("%s: refused by Telegram (%s)", row.method, type(exc).__name__)
        await self._rows.mark_failed(row.id, int(self._clock()))
        followed_up = background or (row.relayed and outcome == "failed")
        if followed_up:
            await self._hook(self.on_failed, replace(row, outcome=outcome), None)
        raise DeliveryError(f"{row.method}: refused", unreachable=unreachable,
                            followed_up=followed_up) from exc

    async def _hook(self, hooks: dict[str, Hook], row: OutboxRow, message_id: int | None,
                    ) -> None:
        """Queue the follow-up this row's purpose names; `_run_followups` runs it."""
        if not row.purpose:
            return
        kind, _, argument = row.purpose.partition(":")
        hook = hooks.get(kind)
        if hook is not None:
            self._followups.append((hook, argument, row, message_id))

    async def _run_followups(self) -> None:
        while self._followups:
            hook, argument, row, message_id = self._followups.popleft()
            try:
                with send_scope(None):  # a follow-up is its own work, not the caller's
                    await hook(argument, row, message_id)
            except Exception as exc:
                _log.exception("an outbox follow-up failed (%s)", type(exc).__name__)

    async def _call(self, row: OutboxRow) -> Any:
        """Make the row's Bot API call, noting whether the network answered (`stalled`)."""
        try:
            result = await self._dispatch(row)
        except TelegramError as exc:  # BadRequest is a NetworkError that Telegram answered
            self.stalled = isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)
            raise
        self.stalled = False
        return result

    async def _dispatch(self, row: OutboxRow) -> Any:
        p, chat = row.params, row.chat_id
        markup = p.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self._bot) if markup else None
        if row.method == "sendMessage":
            return await self._bot.send_message(chat_id=chat, text=p["text"],
                                                reply_markup=keyboard)
        if row.method == "copyMessage":
            return await self._bot.copy_message(chat_id=chat, from_chat_id=p["from_chat_id"],
                                                message_id=p["message_id"],
                                                caption=p.get("caption"))
        if row.method == "editMessageText":
            return await self._bot.edit_message_text(chat_id=chat, message_id=p["message_id"],
                                                     text=p["text"], reply_markup=keyboard)
        if row.method == "editMessageReplyMarkup":
            return await self._bot.edit_message_reply_markup(
                chat_id=chat, message_id=p["message_id"], reply_markup=None)
        raise ValueError(f"the outbox does not send {row.method}")

    async def recover(self) -> None:
        """At start: rows a crash caught mid-call. A relayed message may or may not have
        arrived, so it is not repeated and its sender is told; anything else goes again."""
        for row in await self._rows.in_flight():
            if row.relayed:
                await self._rows.mark_uncertain(row.id, int(self._clock()))
                await self._hook(self.on_failed, replace(row, outcome="uncertain"), None)
            else:
                await self._rows.requeue(row.id)
        await self._run_followups()

    async def run(self, stopping: asyncio.Event) -> None:
        """The sender: deliver whatever is due, chat by chat in order, many chats at once,
        until stopped; then let the deliveries under way finish."""
        while not stopping.is_set():
            try:
                await self._start_due()
            except Exception as exc:  # one bad pass must not stop delivery for good
                _log.exception("the outbox sender failed a pass (%s); trying again",
                               type(exc).__name__)
                await asyncio.sleep(1.0)
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), SENDER_TICK_SECONDS)
        if self._delivering:
            await asyncio.gather(*self._delivering.values(), return_exceptions=True)

    async def flush(self) -> None:
        """Deliver what is due now and wait for it (the sender does this continuously)."""
        await self._start_due()
        if self._delivering:
            await asyncio.gather(*self._delivering.values(), return_exceptions=True)
        await self._run_followups()

    async def _start_due(self) -> None:
        """Start delivering to the chats with something due, the most awaited first (see
        `priority_of`), as many at once as the overall limit has room for this second: each
        call waits on the network, so one chat at a time would send ten a second at most. A
        chat already being delivered to is left to that delivery."""
        room = self.overall_per_second - self._sent_last_second()
        if room <= 0 or self._all_paused_until > self._clock():
            return
        due = [key for key in await self._rows.chats_due(self._clock())
               if key not in self._delivering]  # a chat in use is delivered after that use
        for chat_key in due[:room]:
            task = asyncio.create_task(self._deliver(chat_key))
            self._delivering[chat_key] = task

    async def _deliver(self, chat_key: str) -> None:
        try:
            await self._flush_chat(chat_key)
        except Exception as exc:  # a broken row or a locked database: the other chats go on
            _log.exception("the outbox could not deliver to one chat (%s)", type(exc).__name__)
        finally:
            del self._delivering[chat_key]
        await self._run_followups()
        self.wake.set()  # room for the next chat

    def _sent_last_second(self) -> int:
        now = self._clock()
        while self._recent and now - self._recent[0] > 1:
            self._recent.popleft()
        return len(self._recent)

    async def _flush_chat(self, chat_key: str) -> None:
        async with self._locks[chat_key]:
            while (row := await self._rows.first_pending(chat_key)) is not None:
                if row.not_before > self._clock():
                    break
                try:
                    await self._attempt(row, background=True)
                except _Queued:
                    break
                except DeliveryError:
                    continue  # recorded as failed (and followed up); next row
