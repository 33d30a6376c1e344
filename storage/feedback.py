"""Anonymous 1-5 ratings, one per request; the only place that touches `feedback`."""

from __future__ import annotations

from storage.backend import Database
from storage.errors import ConflictError
from storage.session import Session, Write


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

    @staticmethod
    def recording(request_id: str, rating: int, now: int) -> Write[None]:
        """`record` as a write kept in the transaction of another (the thanks' outbox row:
        both are kept, or neither): raises ConflictError, and nothing of that transaction is
        kept, if this request was rated already."""
        def insert(conn: Session) -> None:
            cursor = conn.execute(
                "INSERT INTO feedback (request_id, rating, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING", (request_id, rating, now))
            if cursor.rowcount != 1:
                raise ConflictError("this request was rated already")

        return insert
