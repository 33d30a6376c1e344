"""Claim notices sent to on-call peers in private; the only place that touches `notices`."""

from __future__ import annotations

from storage.db import Database


class NoticeRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, request_id: str, chat_id: int, message_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO notices (request_id, chat_id, message_id) VALUES (?, ?, ?)",
                (request_id, chat_id, message_id))

    async def all(self, request_id: str) -> list[tuple[int, int]]:
        rows = await self._db.fetch_all(
            "SELECT chat_id, message_id FROM notices WHERE request_id = ?", (request_id,))
        return [(int(r[0]), int(r[1])) for r in rows]

    async def take_all(self, request_id: str) -> list[tuple[int, int]]:
        """The (chat, message) of every notice of a request, forgetting them."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT chat_id, message_id FROM notices WHERE request_id = ?", (request_id,))
            rows = [(int(r[0]), int(r[1])) for r in await cursor.fetchall()]
            await conn.execute("DELETE FROM notices WHERE request_id = ?", (request_id,))
        return rows
