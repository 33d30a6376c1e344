"""The audit log: who did what to which request, and when. Never content, never a responder's
identity. Only this module writes it (and /forget, in `RequestRepository.forget_responder`,
unlinks entries from the requests it deletes, in the same transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.backend import Database

Actor = Literal["peer", "coordinator", "responder", "system"]


@dataclass(frozen=True)
class AuditEntry:
    at: int
    actor: Actor
    actor_id: int | None
    action: str
    request_code: str | None
    detail: str | None


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, now: int, actor: Actor, action: str, *, actor_id: int | None = None,
                     request_id: str | None = None, request_code: str | None = None,
                     detail: str | None = None) -> None:
        if actor == "responder" and actor_id is not None:
            raise ValueError("a responder's id is never written to the audit log")
        await self._db.write(
            "INSERT INTO audit (at, actor, actor_id, action, request_id, request_code, "
            "detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now, actor, actor_id, action, request_id, request_code, detail))

    async def latest(self, limit: int = 50) -> list[AuditEntry]:
        rows = await self._db.fetch_all(
            "SELECT at, actor, actor_id, action, request_code, detail FROM audit "
            "ORDER BY at DESC, id DESC LIMIT ?", (limit,))
        return [AuditEntry(r["at"], r["actor"], r["actor_id"], r["action"], r["request_code"],
                           r["detail"]) for r in rows]

    async def actors(self, action: str, since: int | None) -> set[int]:
        """Who did `action` at or after `since` (all if None), by Telegram id."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT actor_id FROM audit WHERE action = ? AND at >= ? "
            "AND actor_id IS NOT NULL", (action, since if since is not None else 0))
        return {int(row["actor_id"]) for row in rows}

    async def recorded(self, actions: tuple[str, ...], request_id: str, actor_id: int,
                       since: int) -> bool:
        """Whether `actor_id` did one of `actions` on the request at or after `since`."""
        marks = ", ".join("?" for _ in actions)
        row = await self._db.fetch_one(
            f"SELECT 1 AS found FROM audit WHERE action IN ({marks}) AND request_id = ? "  # noqa: S608  (only placeholders)
            "AND actor_id = ? AND at >= ? LIMIT 1", (*actions, request_id, actor_id, since))
        return row is not None

    async def count(self, action: str, since: int | None) -> int:
        """How many times `action` was recorded at or after `since` (all if None)."""
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM audit WHERE action = ? AND at >= ?",
            (action, since if since is not None else 0))
        return int(row["n"]) if row is not None else 0

    async def count_by_detail(self, action: str, since: int | None) -> dict[str, int]:
        """How many times `action` was recorded at or after `since`, by its detail."""
        rows = await self._db.fetch_all(
            "SELECT detail, COUNT(*) AS n FROM audit WHERE action = ? AND at >= ? "
            "GROUP BY detail", (action, since if since is not None else 0))
        return {str(row["detail"]): int(row["n"]) for row in rows}
