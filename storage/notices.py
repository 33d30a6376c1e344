"""Claim notices sent to on-call peers in private. Only this module adds and reads them (the
retention purge in storage/requests.py deletes a purged request's)."""

from __future__ import annotations

from storage.backend import Database
from storage.session import Session


class NoticeRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, request_id: str, chat_id: int, message_id: int) -> None:
        await self._db.write(
            "INSERT INTO notices (request_id, chat_id, message_id) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING", (request_id, chat_id, message_id))

    async def all(self, request_id: str) -> list[tuple[int, int]]:
        rows = await self._db.fetch_all(
            "SELECT chat_id, message_id FROM notices WHERE request_id = ?", (request_id,))
        return [(int(r[0]), int(r[1])) for r in rows]

    async def take_all(self, request_id: str) -> list[tuple[int, int]]:
        """The (chat, message) of every notice of a request, forgetting them."""
        def take(conn: Session) -> list[tuple[int, int]]:
            rows = conn.execute(
                "SELECT chat_id, message_id FROM notices WHERE request_id = ?",
                (request_id,)).fetchall()
            conn.execute("DELETE FROM notices WHERE request_id = ?", (request_id,))
            return [(int(r[0]), int(r[1])) for r in rows]

        return await self._db.run(take)
