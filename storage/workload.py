"""How much work is waiting, as /metrics shows it: counts over requests and the outbox, read
in one statement (one consistent moment) from their state indexes, nothing decrypted, no code
or id returned."""

from __future__ import annotations

from dataclasses import dataclass

from storage.backend import Database

# Standard SQL both backends run; each count is served by a partial or state index.
_WORKLOAD = (
    "SELECT "
    "(SELECT COUNT(*) FROM requests WHERE state = 'open') AS waiting, "
    "(SELECT MIN(COALESCE(queued_at, opened_at)) FROM requests WHERE state = 'open') AS oldest, "
    "(SELECT COUNT(*) FROM requests WHERE state = 'claimed') AS conversations, "
    "(SELECT COUNT(*) FROM outbox WHERE state = 'pending') "
    "+ (SELECT COUNT(*) FROM outbox WHERE state = 'sending') AS backlog")


@dataclass(frozen=True)
class Workload:
    waiting: int  # requests in the queue, not claimed
    oldest_waiting_seconds: int  # how long the longest-waiting one has been there (0: none)
    conversations_open: int  # claimed and not closed
    outbox_backlog: int  # outbox rows not sent yet (waiting, or on their way)


class WorkloadRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def read(self, now: int) -> Workload:
        row = await self._db.fetch_one(_WORKLOAD)
        if row is None:  # an aggregate always answers one row
            return Workload(0, 0, 0, 0)
        oldest = row["oldest"]
        return Workload(
            waiting=int(row["waiting"]),
            oldest_waiting_seconds=max(0, now - int(oldest)) if oldest is not None else 0,
            conversations_open=int(row["conversations"]),
            outbox_backlog=int(row["backlog"]))
