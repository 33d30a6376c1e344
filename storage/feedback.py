"""Anonymous 1-5 ratings, one per request; the only place that touches `feedback`."""

from __future__ import annotations

from storage.backend import Database
from storage.errors import ConflictError


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def ratings(self, since: int | None) -> list[tuple[int, int]]:
        """(when, rating) of every rating given at or after `since` (all if None)."""
        rows = await self._db.fetch_all(
            "SELECT created_at, rating FROM feedback WHERE created_at >= ? ORDER BY created_at",
            (since if since is not None else 0,))
        return [(int(row["created_at"]), int(row["rating"])) for row in rows]

    async def record(self, request_id: str, rating: int, now: int) -> bool:
        """False if this request was already rated (a second tap changes nothing)."""
        try:
            await self._db.write(
                "INSERT INTO feedback (request_id, rating, created_at) VALUES (?, ?, ?)",
                (request_id, rating, now))
        except ConflictError:
            return False
        return True
