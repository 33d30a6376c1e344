"""Relayed messages that may not have arrived, kept so that their writer can send them again.
Only this module adds, reads and marks them; storage/outbox.py deletes them.

A row names a stored message (its request and place in it: the words stay sealed in
`messages`), who wrote it (the keyed index of their chat) and where it stands: held
(not yet named to the writer), offered (named in a notice, its `batch`), resent. Its token is
the Send again button's only data. Rows go with their request (/forget, the retention purge:
see `OutboxRepository.forget_requests`), and a day after they were resent
(`OutboxRepository.prune`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from storage.backend import Database, Row
from storage.messages import Sender
from storage.session import Session, Write

HELD, OFFERED, RESENT = "held", "offered", "resent"


class AlreadyResentError(Exception):
    """The message was sent again already (a second press of its button)."""


class AlreadyOfferedError(Exception):
    """A message was named in a notice already (by another instance, at the same time)."""


@dataclass(frozen=True)
class Resend:
    token: str
    request_id: str
    seq: int
    sender: Sender
    chat_key: str  # the writer's chat, as `OutboxRepository.chat_key` indexes it
    state: str
    batch: str | None
    held_at: int


class ResendRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def _row(row: Row) -> Resend:
        return Resend(row["token"], row["request_id"], row["seq"], row["sender"],
                      row["chat_key"], row["state"], row["batch"], row["held_at"])

    async def hold(self, request_id: str, seq: int, sender: Sender, chat_key: str,
                   now: int) -> None:
        """Keep a message to name to its writer (whose chat `chat_key` indexes). The same
        message held again (its Send again did not go through either) keeps its token, so an
        older button still works, and waits for the next notice."""
        await self._db.write(
            "INSERT INTO resends (token, request_id, seq, sender, chat_key, held_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, seq) DO UPDATE SET "
            "state = 'held', batch = NULL, held_at = excluded.held_at, done_at = NULL, "
            "chat_key = excluded.chat_key",
            (secrets.token_hex(8), request_id, seq, sender, chat_key, now))

    async def held(self, request_id: str, sender: Sender) -> list[Resend]:
        rows = await self._db.fetch_all(
            "SELECT * FROM resends WHERE request_id = ? AND sender = ? AND state = 'held' "
            "ORDER BY seq", (request_id, sender))
        return [self._row(row) for row in rows]

    async def held_writers(self) -> list[tuple[str, Sender]]:
        """Every (request, sender) with messages not yet named (at start: left by a stop)."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT request_id, sender FROM resends WHERE state = 'held'")
        return [(row["request_id"], row["sender"]) for row in rows]

    async def latest_batch(self, request_id: str, sender: Sender) -> str | None:
        row = await self._db.fetch_one(
            "SELECT batch FROM resends WHERE request_id = ? AND sender = ? AND batch IS NOT "
            "NULL ORDER BY held_at DESC, seq DESC LIMIT 1", (request_id, sender))
        return str(row["batch"]) if row else None

    async def batch(self, batch: str) -> list[Resend]:
        rows = await self._db.fetch_all(
            "SELECT * FROM resends WHERE batch = ? ORDER BY seq", (batch,))
        return [self._row(row) for row in rows]

    async def get(self, token: str) -> Resend | None:
        row = await self._db.fetch_one("SELECT * FROM resends WHERE token = ?", (token,))
        return self._row(row) if row else None

    async def unsend(self, token: str) -> None:
        """Sending it again was refused: its button works again."""
        await self._db.write("UPDATE resends SET state = 'offered', done_at = NULL "
                             "WHERE token = ? AND state = 'resent'", (token,))

    @staticmethod
    def offering(tokens: Sequence[str], batch: str) -> Write[None]:
        """The write that marks these named in notice `batch`, kept in the transaction of the
        notice's outbox row: named and queued together, or neither. Raises
        AlreadyOfferedError (and nothing is queued) if one of them was named meanwhile: two
        instances announcing the same messages send one notice."""
        def offer(conn: Session) -> None:
            for token in tokens:
                cursor = conn.execute(
                    "UPDATE resends SET state = 'offered', batch = ? WHERE token = ? "
                    "AND state = 'held'", (batch, token))
                if cursor.rowcount != 1:
                    raise AlreadyOfferedError(token)

        return offer

    @staticmethod
    def resending(token: str, now: int) -> Write[None]:
        """The write that marks a message sent again, kept in the transaction of the outbox
        row that sends it; raises AlreadyResentError (so nothing is sent) if it was already."""
        def resend(conn: Session) -> None:
            cursor = conn.execute(
                "UPDATE resends SET state = 'resent', done_at = ? WHERE token = ? "
                "AND state != 'resent'", (now, token))
            if cursor.rowcount != 1:
                raise AlreadyResentError(token)

        return resend
