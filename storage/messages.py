"""Messages of a conversation, sealed at rest. Only this module adds and reads them (the
retention purge in storage/requests.py deletes them, and storage/rotation.py re-seals them);
keeping one also notes its request's last activity in `requests`, in the same write."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from storage.backend import Database, Row
from storage.crypto import Keyring
from storage.sealed import MESSAGE_BODY
from storage.session import Session, Write

Sender = Literal["responder", "peer"]


@dataclass(frozen=True)
class StoredMessage:
    """A text, or a media message to copy from `from_chat_id`/`message_id` with a caption."""

    request_id: str
    seq: int
    sender: Sender
    text: str | None = None
    from_chat_id: int | None = None
    message_id: int | None = None
    caption: str | None = None
    alias: str | None = None  # for a peer's message: the alias they wrote under
    captionless: bool = False  # media that takes no caption (a video note)
    media: str | None = None  # what media it is: photo, voice, audio, video, video_note, ...
    source: str | None = None  # the keyed index of the Telegram message it came from

    @property
    def is_media(self) -> bool:
        return self.message_id is not None


class MessageRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring


    def source(self, chat_id: int, message_id: int) -> str:
        """Which Telegram message a stored one came from, without storing the chat id."""
        return self._keys.blind_index("message", f"{chat_id}:{message_id}")

    async def add_text(self, request_id: str, sender: Sender, text: str, now: int, *,
                       alias: str | None = None, source: str | None = None) -> int:
        return await self._db.run(self.storing_text(request_id, sender, text, now,
                                                    alias=alias, source=source))

    def storing_text(self, request_id: str, sender: Sender, text: str, now: int, *,
                     alias: str | None = None, source: str | None = None,
                     ) -> Write[int]:
        """`add_text` as a write to run in another transaction (see `Database.run`)."""
        return self._storing(request_id, sender, "text", {"text": text, "alias": alias}, now,
                             source=source)

    def storing_media(self, request_id: str, sender: Sender, *, from_chat_id: int,
                      message_id: int, caption: str | None, now: int,
                      alias: str | None = None, captionless: bool = False,
                      source: str | None = None, media: str | None = None,
                      ) -> Write[int]:
        """The write that keeps a media message (to copy later), to run in a transaction of
        `Database.run`. `media`: what it is (a photo, a voice message), to name it by."""
        body: dict[str, object] = {
            "chat": from_chat_id, "message_id": message_id, "caption": caption, "alias": alias,
            "captionless": captionless, "media": media}
        return self._storing(request_id, sender, "media", body, now, source=source)

    def _storing(self, request_id: str, sender: Sender, kind: str, body: dict[str, object],
                 now: int, *, source: str | None) -> Write[int]:
        """The message's place in the conversation; the same source message is kept once. The
        request's last activity (and the peer's last message) is noted in the same write."""
        def insert(conn: Session) -> int:
            [(already, seq)] = conn.execute(
                "SELECT (SELECT seq FROM messages WHERE request_id = ?1 AND source = ?2), "
                "(SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE request_id = ?1)",
                (request_id, source)).fetchall()
            if already is not None:
                return int(already)
            sealed = MESSAGE_BODY.seal(self._keys, json.dumps(body), request_id, seq)
            conn.execute(
                "INSERT INTO messages (request_id, seq, sender, kind, body, source, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", (request_id, seq, sender, kind, sealed, source,
                                                  now))
            conn.execute(
                "UPDATE requests SET last_activity_at = ?1, peer_last_message_at = "
                "CASE WHEN ?2 = 'peer' THEN ?1 ELSE peer_last_message_at END WHERE id = ?3",
                (now, sender, request_id))
            return int(seq)

        return insert

    async def conversation(self, request_id: str) -> list[StoredMessage]:
        rows = await self._db.fetch_all(
            "SELECT seq, sender, kind, body, source FROM messages WHERE request_id = ? "
            "ORDER BY seq", (request_id,))
        return [self._message(request_id, row) for row in rows]

    async def get(self, request_id: str, seq: int) -> StoredMessage | None:
        """One message of a conversation (None once it is purged or forgotten)."""
        row = await self._db.fetch_one(
            "SELECT seq, sender, kind, body, source FROM messages WHERE request_id = ? "
            "AND seq = ?", (request_id, seq))
        return self._message(request_id, row) if row else None

    async def seq_of(self, request_id: str, source: str) -> int | None:
        """The place in its conversation of the message kept from `source`."""
        row = await self._db.fetch_one(
            "SELECT seq FROM messages WHERE request_id = ? AND source = ?", (request_id, source))
        return int(row["seq"]) if row else None

    def _message(self, request_id: str, row: Row) -> StoredMessage:
        body = json.loads(MESSAGE_BODY.open(self._keys, row["body"], request_id, row["seq"]))
        alias = body.get("alias")
        if row["kind"] == "text":
            return StoredMessage(request_id, row["seq"], row["sender"], text=body["text"],
                                 alias=alias, source=row["source"])
        return StoredMessage(request_id, row["seq"], row["sender"], from_chat_id=body["chat"],
                             message_id=body["message_id"], caption=body["caption"],
                             alias=alias, captionless=bool(body.get("captionless")),
                             media=body.get("media"), source=row["source"])
