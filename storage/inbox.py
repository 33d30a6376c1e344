"""Received updates, sealed; the only place that reads or writes `inbox` (but
storage/rotation.py, which re-seals every sealed column under a new key).

Each row names the instance handling it (`owner`) and its lane (`lane_key`, the keyed index
of the chat it belongs to): with several instances on one database, another takes over what a
dead one left (`take_over`), and an update waits while an earlier one of its chat is in
another instance's hands (`earlier`). See storage/instances.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.backend import Database, Row
from storage.crypto import DecryptionError, Keyring
from storage.instances import alive_since
from storage.sealed import INBOX_UPDATE
from storage.session import Session

# Telegram keeps an unconfirmed update for 24 hours; a done row older than that can no longer
# come back as a duplicate, so it is pruned.
KEEP_DONE_SECONDS = 2 * 24 * 3600
# An update set aside keeps its sealed body this long, for someone to look into, then goes.
KEEP_SET_ASIDE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Unfinished:
    update_id: int
    raw: dict[str, Any] | None  # None: its body could not be opened


@dataclass(frozen=True)
class Earlier:
    """An earlier update of a lane, not yet handled: who holds it, and if they are alive."""

    update_id: int
    owner: str | None
    alive: bool


class InboxRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring


    def lane_key(self, lane: int) -> str:
        return self._keys.blind_index("lane", lane)

    async def store(self, updates: Sequence[dict[str, Any]], lanes: Sequence[int] | None,
                    now: int, owner: str) -> list[dict[str, Any]]:
        """Keep a batch of updates in one transaction, held by `owner` (with several
        instances, each in its lane: the chat it belongs to); the ones not already here (the
        rest are redeliveries, perhaps to another instance). Committed, so a crash cannot lose
        them, but not yet on disk through a power cut: `on_disk` must return before Telegram
        is told they arrived."""
        ids = [int(update["update_id"]) for update in updates]
        lane_keys = ([self.lane_key(lane) for lane in lanes] if lanes is not None
                     else [None] * len(ids))
        rows = [(update_id, INBOX_UPDATE.seal(self._keys, json.dumps(update), update_id), key)
                for update_id, update, key in zip(ids, updates, lane_keys, strict=True)]

        def insert(conn: Session) -> list[int]:
            fresh = []
            for position, (update_id, sealed, lane_key) in enumerate(rows):
                cursor = conn.execute(
                    "INSERT INTO inbox (update_id, body, received_at, owner, lane_key) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (update_id, sealed, now, owner, lane_key))
                if cursor.rowcount == 1:
                    fresh.append(position)
            return fresh

        return [updates[i] for i in await self._db.run(insert)]

    async def on_disk(self) -> None:
        """Every update stored so far survives a power cut once this returns (see
        `Database.flush_to_disk`): before Telegram is told they arrived."""
        await self._db.flush_to_disk()

    async def unfinished(self) -> list[Unfinished]:
        """Every update stored but neither handled nor set aside, oldest first (changes
        nothing)."""
        found = await self._db.fetch_all(
            "SELECT update_id, body FROM inbox "
            "WHERE done_at IS NULL AND set_aside_at IS NULL ORDER BY update_id")
        return [self._unfinished(row) for row in found]

    def _unfinished(self, row: Row) -> Unfinished:
        update_id = int(row["update_id"])
        try:
            raw = json.loads(INBOX_UPDATE.open(self._keys, row["body"], update_id))
        except (DecryptionError, ValueError):
            raw = None
        return Unfinished(update_id, raw)

    async def take_over(self, owner: str, now: int, *, alone: bool) -> list[Unfinished]:
        """Updates stored but neither handled nor set aside, now held by `owner`, oldest
        first: all of them when this instance is `alone` on the database (at its start: any
        other holder is a previous run), else those whose holder is dead."""
        found: list[Row] = await self._db.run(lambda conn: conn.execute(
            "UPDATE inbox SET owner = ? WHERE done_at IS NULL AND set_aside_at IS NULL "
            "AND (? = 1 OR owner IS NULL "
            "OR owner NOT IN (SELECT id FROM instances WHERE seen_at >= ?)) "
            "RETURNING update_id, body", (owner, int(alone), alive_since(now))).fetchall())
        return [self._unfinished(row)
                for row in sorted(found, key=lambda row: int(row["update_id"]))]

    async def earlier(self, update_id: int, lane: int, now: int) -> list[Earlier]:
        """The updates of this lane before `update_id` not yet handled, oldest first, with
        who holds each and whether that instance is alive: a chat's updates are handled in
        the order they came, across instances."""
        rows = await self._db.fetch_all(
            "SELECT update_id, owner, owner IN (SELECT id FROM instances WHERE seen_at >= ?) "
            "AS alive FROM inbox WHERE lane_key = ? AND done_at IS NULL AND update_id < ? "
            "ORDER BY update_id", (alive_since(now), self.lane_key(lane), update_id))
        return [Earlier(int(row["update_id"]), row["owner"], bool(row["alive"]))
                for row in rows]

    async def take_over_one(self, update_id: int, owner: str, now: int) -> Unfinished | None:
        """This update, now held by `owner`, if it is still unhandled and its holder dead
        (None: someone else has it)."""
        found: list[Row] = await self._db.run(lambda conn: conn.execute(
            "UPDATE inbox SET owner = ? WHERE update_id = ? AND done_at IS NULL "
            "AND (owner IS NULL OR owner NOT IN (SELECT id FROM instances WHERE seen_at >= ?)) "
            "RETURNING update_id, body", (owner, update_id, alive_since(now))).fetchall())
        return self._unfinished(found[0]) if found else None

    async def let_go(self, update_ids: Sequence[int], owner: str) -> None:
        """`owner` stops without handling these: another instance takes them over at once."""
        await self._db.run(lambda conn: conn.executemany(
            "UPDATE inbox SET owner = NULL WHERE update_id = ? AND owner = ? "
            "AND done_at IS NULL", [(update_id, owner) for update_id in update_ids]))

    async def mark_done(self, update_ids: Sequence[int], now: int) -> None:
        """Handled: the content goes, the id stays a while to recognise a redelivery."""
        if not update_ids:
            return

        def finish(conn: Session) -> None:
            conn.executemany(
                "UPDATE inbox SET done_at = ?, body = ?, lane_key = NULL WHERE update_id = ?",
                [(now, b"", update_id) for update_id in update_ids])

        await self._db.run(finish)

    async def set_aside(self, update_id: int, reason: str, now: int) -> None:
        """Never handle this one again; it is counted, and kept sealed for a week."""
        await self._db.write(
            "UPDATE inbox SET set_aside_at = ?, set_aside_reason = ?, done_at = ?, "
            "lane_key = NULL WHERE update_id = ?", (now, reason, now, update_id))

    async def set_aside_count(self) -> int:
        row = await self._db.fetch_one("SELECT COUNT(*) FROM inbox WHERE set_aside_at IS NOT NULL")
        return int(row[0]) if row else 0

    async def prune(self, now: int) -> None:
        def prune(conn: Session) -> None:
            conn.execute(
                "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ? "
                "AND set_aside_at IS NULL AND update_id < (SELECT MAX(update_id) FROM inbox)",
                (now - KEEP_DONE_SECONDS,))
            conn.execute(
                "DELETE FROM inbox WHERE set_aside_at IS NOT NULL AND set_aside_at < ? "
                "AND update_id < (SELECT MAX(update_id) FROM inbox)",
                (now - KEEP_SET_ASIDE_SECONDS,))

        await self._db.run(prune)
