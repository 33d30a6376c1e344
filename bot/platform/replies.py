"""What the core asks the handler to say to the person who acted.

The core decides *what* to say (a locale key, its values, a keyboard); the handler renders it
in the person's language and sends it through the outbox. So that nothing is rendered in the
wrong language, a keyboard may be given as a function of the texts, and a value may be a
`Phrase`: another catalog text, rendered in the same language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup

from locales import Texts

KeyboardFor = Callable[[Texts], InlineKeyboardMarkup]


@dataclass(frozen=True)
class Phrase:
    """A catalog text used as a value of another one ("Noted: {discipline}")."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


def values_in(texts: Texts, values: Mapping[str, object]) -> dict[str, object]:
    """The values with every Phrase rendered in `texts`' language."""
    return {name: texts(value.key, **values_in(texts, value.values))
            if isinstance(value, Phrase) else value for name, value in values.items()}


@dataclass(frozen=True)
class Reply:
    key: str
    values: dict[str, object] = field(default_factory=dict)
    keyboard: InlineKeyboardMarkup | KeyboardFor | None = None

    def render(self, texts: Texts) -> tuple[str, InlineKeyboardMarkup | None]:
        keyboard = self.keyboard(texts) if callable(self.keyboard) else self.keyboard
        return texts(self.key, **values_in(texts, self.values)), keyboard


@dataclass(frozen=True)
class Answer:
    """The short notice shown when someone presses a button (answerCallbackQuery)."""

    key: str | None = None
    values: dict[str, object] = field(default_factory=dict)
    alert: bool = False

    def render(self, texts: Texts) -> str | None:
        return texts(self.key, **values_in(texts, self.values)) if self.key else None
