"""Referrals made with /refer; the only place that touches `referrals`."""

from __future__ import annotations

from dataclasses import dataclass

from storage.backend import Database
from storage.errors import ConflictError


@dataclass(frozen=True)
class Referral:
    id: int
    request_id: str
    entry_id: str
    peer_id: int
    answer: str | None


class ReferralRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, request_id: str, entry_id: str, peer_id: int, picker_message_id: int,
                  now: int) -> int | None:
        """The new referral's id; None if this picker already sent one (a double tap)."""
        try:
            made = await self._db.run(lambda conn: conn.execute(
                "INSERT INTO referrals (request_id, entry_id, peer_id, picker_message_id, "
                "sent_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                (request_id, entry_id, peer_id, picker_message_id, now)).fetchone())
        except ConflictError:
            return None
        return int(made[0])

    async def withdraw(self, referral_id: int) -> None:
        """It could not be delivered: as if it had not been made (the peer may try again)."""
        await self._db.write("DELETE FROM referrals WHERE id = ?", (referral_id,))

    async def get(self, referral_id: int) -> Referral | None:
        row = await self._db.fetch_one("SELECT * FROM referrals WHERE id = ?", (referral_id,))
        if row is None:
            return None
        return Referral(row["id"], row["request_id"], row["entry_id"], row["peer_id"],
                        row["answer"])

    async def answer(self, referral_id: int, answer: str, now: int) -> bool:
        """Atomic: true for the first answer only."""
        changed = await self._db.write(
            "UPDATE referrals SET answer = ?, answered_at = ? "
            "WHERE id = ? AND answer IS NULL", (answer, now, referral_id))
        return changed == 1
