"""What a person sent, reduced to what may be relayed, and the limits that apply to it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.platform.replies import Reply

# Telegram caps a message at 4096 characters and a caption at 1024; the label the relay adds
# ("R-7K4Q: ", "Alias: ") must still fit.
MAX_TEXT_CHARS = 4000
MAX_CAPTION_CHARS = 960


class Kind(StrEnum):
    TEXT = "text"
    MEDIA = "media"  # photo, voice, audio, video, video note, document: relayed by copyMessage
    UNSUPPORTED = "unsupported"  # stickers, contacts, locations, polls, ...


@dataclass(frozen=True)
class Content:
    kind: Kind
    chat_id: int
    message_id: int
    text: str | None = None  # the text, or a media message's caption
    captionless: bool = False  # a video note takes no caption: its label goes before it
    media: str | None = None  # which media: photo, voice, audio, video, video_note, document


def refusal(content: Content) -> Reply | None:
    """Why this content cannot be passed on, or None if it can."""
    if content.kind is Kind.UNSUPPORTED:
        return Reply("unsupported_kind")
    limit = MAX_TEXT_CHARS if content.kind is Kind.TEXT else MAX_CAPTION_CHARS
    length = len(content.text or "")
    if length > limit:
        return Reply("message_too_long", {"length": length, "limit": limit})
    if content.kind is Kind.TEXT and not (content.text or "").strip():
        return Reply("unsupported_kind")
    return None
