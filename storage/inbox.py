"""Received updates, sealed; the only place that touches `inbox`."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storage.crypto import Keyring
from storage.db import Database

# Telegram keeps an unconfirmed update for 24 hours; a done row older than that can no longer
# come back as a duplicate, so it is pruned.
KEEP_DONE_SECONDS = 2 * 24 * 3600


class InboxRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring

    @staticmethod
    def _aad(update_id: int) -> str:
        return f"inbox:{update_id}"

    async def store(self, update: dict[str, Any], now: int) -> bool:
        """Keep an update, on disk (fsynced) before Telegram is told it arrived; False if it
        was already here (a redelivery)."""
        update_id = int(update["update_id"])
        sealed = self._keys.seal(json.dumps(update), self._aad(update_id))

        def insert(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO inbox (update_id, body, received_at) VALUES (?, ?, ?)",
                (update_id, sealed, now))
            return cursor.rowcount == 1

        return await self._db.run(insert, durable=True)

    async def pending(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = await self._db.fetch_all(
            "SELECT update_id, body FROM inbox WHERE done_at IS NULL ORDER BY update_id LIMIT ?",
            (limit,))
        return [json.loads(self._keys.open_sealed(row["body"], self._aad(row["update_id"])))
                for row in rows]

    async def mark_done(self, update_id: int, now: int) -> None:
        await self._db.write("UPDATE inbox SET done_at = ?, body = X'' WHERE update_id = ?",
                             (now, update_id))

    async def prune(self, now: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ? "
                "AND update_id < (SELECT MAX(update_id) FROM inbox)",
                (now - KEEP_DONE_SECONDS,))
