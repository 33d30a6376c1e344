"""Case notes: what the peers holding a conversation write about it for whoever holds it next,
sealed at rest like a message and never shown to the responder. Only this module adds and reads
them (the retention purge in storage/requests.py deletes them, /forget by the foreign key, and
storage/rotation.py re-seals them). A note is not activity with the responder: keeping one
leaves the request's deadlines alone."""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.backend import Database, Row
from storage.crypto import Keyring
from storage.sealed import NOTE_BODY
from storage.session import Session


@dataclass(frozen=True)
class Note:
    request_id: str
    seq: int
    alias: str  # the alias of the peer who wrote it, as it was then
    text: str
    created_at: int


@dataclass(frozen=True)
class Added:
    """What `add` did: the note's place in its conversation, whether it is new (False: the
    same /note was kept before, and is not kept twice), or None in `seq` if the conversation
    already holds `limit` notes."""

    seq: int | None
    new: bool
    count: int  # the conversation's notes now


class NoteRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring

    def source(self, chat_id: int, message_id: int) -> str:
        """Which Telegram message a note came from, without storing the chat id."""
        return self._keys.blind_index("note", f"{chat_id}:{message_id}")

    async def add(self, request_id: str, alias: str, text: str, now: int, *, source: str,
                  limit: int) -> Added:
        """Keep a note of `request_id`'s, once per source message and at most `limit`."""
        def insert(conn: Session) -> Added:
            [(already, count)] = conn.execute(
                "SELECT (SELECT seq FROM notes WHERE request_id = ? AND source = ?), "
                "(SELECT COUNT(*) FROM notes WHERE request_id = ?)",
                (request_id, source, request_id)).fetchall()
            if already is not None:
                return Added(int(already), False, int(count))
            if count >= limit:
                return Added(None, False, int(count))
            [(seq,)] = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM notes WHERE request_id = ?",
                (request_id,)).fetchall()
            body = json.dumps({"text": text, "alias": alias})
            conn.execute(
                "INSERT INTO notes (request_id, seq, body, source, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (request_id, seq, NOTE_BODY.seal(self._keys, body, request_id, seq), source, now))
            return Added(int(seq), True, int(count) + 1)

        return await self._db.run(insert)

    async def of_request(self, request_id: str) -> list[Note]:
        """A conversation's notes, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT seq, body, created_at FROM notes WHERE request_id = ? ORDER BY seq",
            (request_id,))
        return [self._note(request_id, row) for row in rows]

    def _note(self, request_id: str, row: Row) -> Note:
        body = json.loads(NOTE_BODY.open(self._keys, bytes(row["body"]), request_id,
                                         row["seq"]))
        return Note(request_id, int(row["seq"]), str(body["alias"]), str(body["text"]),
                    int(row["created_at"]))
