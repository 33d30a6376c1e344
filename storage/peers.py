"""Registered peers; the only place that touches `peers`."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.db import Database


@dataclass(frozen=True)
class Peer:
    user_id: int
    alias: str
    current_request_id: str | None


def _peer(row: aiosqlite.Row) -> Peer:
    return Peer(row["user_id"], row["alias"], row["current_request_id"])


class PeerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Peer | None:
        row = await self._db.fetch_one("SELECT * FROM peers WHERE user_id = ?", (user_id,))
        return _peer(row) if row else None

    async def register(self, user_id: int, alias: str, now: int) -> tuple[Peer, bool]:
        """The peer, and whether they are new; an existing peer keeps their alias."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute("SELECT * FROM peers WHERE user_id = ?", (user_id,))
            row = await cursor.fetchone()
            if row is not None:
                await conn.execute("UPDATE peers SET last_active_at = ? WHERE user_id = ?",
                                   (now, user_id))
                return _peer(row), False
            await conn.execute(
                "INSERT INTO peers (user_id, alias, registered_at, last_active_at)"
                " VALUES (?, ?, ?, ?)", (user_id, alias, now, now))
        return Peer(user_id, alias, None), True

    async def set_alias(self, user_id: int, alias: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE peers SET alias = ? WHERE user_id = ?", (alias, user_id))

    async def set_current(self, user_id: int, request_id: str | None, now: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE peers SET current_request_id = ?, last_active_at = ? WHERE user_id = ?",
                (request_id, now, user_id))
