"""What the outbox raises: `DeliveryError` to its callers, `Queued` inside it.

    Exception
    ├── DeliveryError   the message did not (or may not) reach its chat: callers catch it
    └── Queued          the row stays pending for the sender: never leaves the outbox
"""

from __future__ import annotations


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


class Queued(Exception):  # noqa: N818 (not an error: the message will go)
    """The row stays pending and the sender delivers it later (flood limit, network)."""
