"""The peer group's digest message; the only place that touches `digests`."""

from __future__ import annotations

from storage.db import Database

# A digest send not confirmed after this long (failed, or its follow-up lost in a crash) is
# tried again rather than waited for forever.
STALE_SEND_SECONDS = 120


class DigestRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def message_id(self, chat_id: int) -> int | None:
        row = await self._db.fetch_one("SELECT message_id FROM digests WHERE chat_id = ?",
                                       (chat_id,))
        return int(row[0]) if row and row[0] is not None else None

    async def start_sending(self, chat_id: int, now: int) -> bool:
        """Atomic: true for the one caller that should send a new digest message."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO digests (chat_id, sending, updated_at) VALUES (?, 1, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET sending = 1, updated_at = ? "
                "WHERE message_id IS NULL AND (sending = 0 OR updated_at < ?)",
                (chat_id, now, now, now - STALE_SEND_SECONDS))
            return cursor.rowcount == 1

    async def sent(self, chat_id: int, message_id: int, now: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE digests SET message_id = ?, sending = 0, updated_at = ? "
                "WHERE chat_id = ?", (message_id, now, chat_id))

    async def retire(self, chat_id: int) -> None:
        """The digest is done with; the next busy spell starts a new one at the bottom."""
        async with self._db.transaction() as conn:
            await conn.execute("DELETE FROM digests WHERE chat_id = ?", (chat_id,))
