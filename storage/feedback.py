"""Anonymous 1-5 ratings, one per request; the only place that touches `feedback`."""

from __future__ import annotations

import sqlite3

from storage.db import Database


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, request_id: str, rating: int, now: int) -> bool:
        """False if this request was already rated (a second tap changes nothing)."""
        try:
            async with self._db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO feedback (request_id, rating, created_at) VALUES (?, ?, ?)",
                    (request_id, rating, now))
        except sqlite3.IntegrityError:
            return False
        return True
