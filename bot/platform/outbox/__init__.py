"""The one way out: every message and edit the bot makes for a chat is an outbox row first,
delivered in the chat's order, under Telegram's limits, and never sent twice (but the
bot's own message a crash caught mid-call, which goes again: see `Sender.recover`).

What it offers: `Outbox` (send_text, copy, edit_text, replace, clear_keyboard, notify, ...);
`DeliveryError` for a chat that refused; `Purpose`, what a row is for; `send_scope`, the keys
that make work done again after a crash send nothing twice.

Delivery keeps each chat's order, paces itself under Telegram's limits (about 30 messages a
second overall and 20 a minute into one group), honours 429 `retry_after` for the chat it names
(and briefly for everyone), and retries network errors with capped backoff. A row that could
not go now stays pending and the sender task delivers it later, after a restart too; a sent row
is never sent again. A relayed message whose request timed out is *not* repeated (it may have
arrived): it is recorded as uncertain, and its `on_failed` follow-up runs at once, whether or
not a caller waits, as it does for a relayed message given up on after retrying: that
follow-up names the message to its writer with a Send again button (bot/requests/resend.py), so
the caller need not say anything (`DeliveryError.followed_up`).

Callers get the message id when delivery happens at once, 0 when the message is kept for later
(not a failure: it will go), or `DeliveryError` when the chat refused it. What a row's
`purpose` names (a card, a notice, a relayed message) is followed up by hooks when the row is
sent, or when it fails later in the background, so nothing depends on the caller waiting
(bot/platform/delivery.py).

Log lines name the Bot API method and the error class only: never a chat id or a text.

    api.py       Outbox: what callers use
    sender.py    delivery: rows to Telegram, the background sender, follow-ups
    pacing.py    the pacing and retry policy: budgets, priorities, backoff, 429s, timeouts
    telegram.py  a row turned into its Bot API call
    scope.py     send scopes and their keys
    errors.py    DeliveryError
"""

from bot.platform.outbox.api import Outbox
from bot.platform.outbox.errors import DeliveryError
from bot.platform.outbox.pacing import (
    MAX_ATTEMPTS,
    PERSON,
    TEAM,
    TIDY,
    priority_of,
    seconds_of,
)
from bot.platform.outbox.scope import SendScope, current_scope, send_scope
from bot.platform.outbox.sender import Hook
from storage.outbox import OutboxRow, Purpose

__all__ = [
    "MAX_ATTEMPTS",
    "PERSON",
    "TEAM",
    "TIDY",
    "DeliveryError",
    "Hook",
    "Outbox",
    "OutboxRow",
    "Purpose",
    "SendScope",
    "current_scope",
    "priority_of",
    "seconds_of",
    "send_scope",
]
