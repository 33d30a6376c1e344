"""Registered peers; the only place that touches `peers`.

A peer a coordinator removed keeps their row (requests and the audit log refer to it) but is
no longer a peer anywhere: `get` and the lists skip them, and `register` will not revive them.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.backend import Database, Row
from storage.session import Session, Write


@dataclass(frozen=True)
class Peer:
    user_id: int
    alias: str
    current_request_id: str | None
    on_call_until: int | None = None
    on_call_since: int | None = None
    on_call_reminded: bool = False
    agency: str | None = None
    last_active_at: int | None = None
    languages: tuple[str, ...] = ()  # spoken, from /languages: requests in them come first
    cooldown_until: int | None = None  # no on-call notices before this (bot/team/care.py)

    def cooling_down(self, now: int) -> bool:
        """In a pause from on-call notices after a high-risk conversation."""
        return self.cooldown_until is not None and self.cooldown_until > now


def _peer(row: Row) -> Peer:
    spoken = tuple(code for code in (row["languages"] or "").split(",") if code)
    return Peer(row["user_id"], row["alias"], row["current_request_id"], row["on_call_until"],
                row["on_call_since"], bool(row["on_call_reminded"]), row["agency"],
                row["last_active_at"], spoken, row["cooldown_until"])


class PeerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Peer | None:
        row = await self._db.fetch_one(
            "SELECT * FROM peers WHERE user_id = ? AND removed_at IS NULL", (user_id,))
        return _peer(row) if row else None

    async def register(self, user_id: int, alias: str, now: int) -> tuple[Peer | None, bool]:
        """The peer, and whether they are new; an existing peer keeps their alias. (None,
        False) for someone a coordinator removed."""
        def register(conn: Session) -> tuple[Peer | None, bool]:
            row = conn.execute("SELECT * FROM peers WHERE user_id = ?", (user_id,)).fetchone()
            if row is not None and row["removed_at"] is not None:
                return None, False
            if row is not None:
                conn.execute("UPDATE peers SET last_active_at = ? WHERE user_id = ?",
                             (now, user_id))
                return _peer(row), False
            conn.execute(
                "INSERT INTO peers (user_id, alias, registered_at, last_active_at)"
                " VALUES (?, ?, ?, ?)", (user_id, alias, now, now))
            return Peer(user_id, alias, None), True

        return await self._db.run(register)

    async def set_alias(self, user_id: int, alias: str) -> None:
        await self._db.write("UPDATE peers SET alias = ? WHERE user_id = ?", (alias, user_id))

    async def set_current(self, user_id: int, request_id: str | None, now: int) -> None:
        await self._db.write(
            "UPDATE peers SET current_request_id = ?, last_active_at = ? WHERE user_id = ?",
            (request_id, now, user_id))

    async def set_languages(self, user_id: int, languages: tuple[str, ...]) -> None:
        await self._db.write("UPDATE peers SET languages = ? WHERE user_id = ?",
                             (",".join(languages) or None, user_id))

    @staticmethod
    def touching(user_id: int, now: int) -> Write[object]:
        """The peer did something (wrote to a responder): their last activity, for /peers; a
        write to run in the transaction that keeps what they wrote."""
        def touch(conn: Session) -> None:
            conn.execute("UPDATE peers SET last_active_at = ? WHERE user_id = ?", (now, user_id))

        return touch

    async def set_agency(self, user_id: int, agency: str | None) -> None:
        await self._db.write("UPDATE peers SET agency = ? WHERE user_id = ?", (agency, user_id))

    async def set_on_call(self, user_id: int, since: int | None, until: int | None) -> None:
        """On call from `since` until `until` (None: off call); a new period, a new reminder."""
        await self._db.write(
            "UPDATE peers SET on_call_since = ?, on_call_until = ?, on_call_reminded = 0 "
            "WHERE user_id = ?", (since, until, user_id))

    async def on_call(self, now: int) -> list[Peer]:
        rows = await self._db.fetch_all(
            "SELECT * FROM peers WHERE on_call_until > ? AND removed_at IS NULL ORDER BY user_id",
            (now,))
        return [_peer(row) for row in rows]

    async def with_on_call_period(self) -> list[Peer]:
        rows = await self._db.fetch_all(
            "SELECT * FROM peers WHERE on_call_until IS NOT NULL AND removed_at IS NULL")
        return [_peer(row) for row in rows]

    async def mark_reminded(self, user_id: int, until: int) -> bool:
        """Atomic: true once per on-call period."""
        changed = await self._db.write(
            "UPDATE peers SET on_call_reminded = 1 "
            "WHERE user_id = ? AND on_call_until = ? AND on_call_reminded = 0",
            (user_id, until))
        return changed == 1

    async def end_on_call(self, user_id: int, now: int) -> bool:
        """Atomic: true if the peer's on-call period had run out and is now closed."""
        changed = await self._db.write(
            "UPDATE peers SET on_call_since = NULL, on_call_until = NULL, "
            "on_call_reminded = 0 "
            "WHERE user_id = ? AND on_call_until <= ?", (user_id, now))
        return changed == 1

    async def start_cooldown(self, user_id: int, until: int) -> None:
        """No on-call notices before `until`; a pause already running longer is kept."""
        await self._db.write(
            "UPDATE peers SET cooldown_until = ? WHERE user_id = ? AND removed_at IS NULL "
            "AND (cooldown_until IS NULL OR cooldown_until < ?)", (until, user_id, until))

    async def cooldowns_due(self, now: int) -> list[int]:
        """Peers whose pause has run out and who were not told yet."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM peers WHERE cooldown_until <= ? AND removed_at IS NULL "
            "ORDER BY user_id", (now,))
        return [int(row["user_id"]) for row in rows]

    async def next_cooldown_end(self) -> int | None:
        row = await self._db.fetch_one(
            "SELECT MIN(cooldown_until) AS at FROM peers WHERE cooldown_until IS NOT NULL "
            "AND removed_at IS NULL")
        return int(row["at"]) if row is not None and row["at"] is not None else None

    async def end_cooldown(self, user_id: int, now: int) -> bool:
        """Atomic: true once, when the peer's pause had run out and is now over."""
        changed = await self._db.write(
            "UPDATE peers SET cooldown_until = NULL WHERE user_id = ? AND cooldown_until <= ?",
            (user_id, now))
        return changed == 1

    async def all(self) -> list[Peer]:
        rows = await self._db.fetch_all(
            "SELECT * FROM peers WHERE removed_at IS NULL ORDER BY lower(alias), user_id")
        return [_peer(row) for row in rows]

    async def named(self, alias: str) -> list[Peer]:
        """Peers whose alias is `alias`, ignoring case in any alphabet (aliases need not be
        unique). Compared here, not in SQL: SQLite's lower() folds ASCII letters only."""
        wanted = alias.casefold()
        rows = await self._db.fetch_all(
            "SELECT * FROM peers WHERE removed_at IS NULL ORDER BY user_id")
        return [_peer(row) for row in rows if str(row["alias"]).casefold() == wanted]

    async def aliases(self) -> dict[int, str]:
        """Every alias ever registered, removed peers' too (the audit log names them)."""
        rows = await self._db.fetch_all("SELECT user_id, alias FROM peers")
        return {int(row["user_id"]): str(row["alias"]) for row in rows}

    async def was_removed(self, user_id: int) -> bool:
        row = await self._db.fetch_one(
            "SELECT 1 FROM peers WHERE user_id = ? AND removed_at IS NOT NULL", (user_id,))
        return row is not None

    async def remove(self, user_id: int, now: int) -> bool:
        """Revoke a peer: off call, no current conversation, never a peer again by /start."""
        changed = await self._db.write(
            "UPDATE peers SET removed_at = ?, on_call_since = NULL, on_call_until = NULL, "
            "current_request_id = NULL WHERE user_id = ? AND removed_at IS NULL",
            (now, user_id))
        return changed == 1
