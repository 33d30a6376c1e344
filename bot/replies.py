"""What the core asks the handler to say to the person who acted.

The core decides *what* to say (a locale key, its values, a keyboard); the handler renders it
in the person's language and sends it through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup


@dataclass(frozen=True)
class Reply:
    key: str
    values: dict[str, object] = field(default_factory=dict)
    keyboard: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class Answer:
    """The short notice shown when someone presses a button (answerCallbackQuery)."""

    key: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    alert: bool = False
