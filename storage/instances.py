"""Who is running: each instance of the bot on this database says it is alive every few
seconds; and which one runs a periodic job this time. The only place that touches `instances`
and `job_leases`.

Several instances share one PostgreSQL database in webhook mode (bot/platform/instances.py).
What one holds, an update it handles (`inbox.owner`) or a row it sends (`outbox.owner`), names
it; an owner not seen for DEAD_AFTER_SECONDS is dead, and what it held is taken over by the
others (storage/inbox.py and storage/outbox.py, `take_over`). How many are alive splits
Telegram's flood budget between them (bot/platform/outbox/pacing.py).

Times are the instances' own clocks (Unix seconds): machines that share a database keep time
with NTP, far closer than DEAD_AFTER_SECONDS.
"""

from __future__ import annotations

from storage.backend import Database

HEARTBEAT_SECONDS = 2
DEAD_AFTER_SECONDS = 10  # five missed heartbeats: the process or its machine is gone
# Rows of instances gone this long are deleted (what they held was taken over long before).
FORGET_AFTER_SECONDS = 24 * 3600

def alive_since(now: int) -> int:
    """The oldest heartbeat of an instance still alive at `now`."""
    return now - DEAD_AFTER_SECONDS


class InstanceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def beat(self, instance_id: str, now: int) -> None:
        """This instance is alive (the first beat registers it)."""
        await self._db.write(
            "INSERT INTO instances (id, started_at, seen_at) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
            (instance_id, now, now))

    async def leave(self, instance_id: str, now: int) -> None:
        """This instance stops: what it still holds is taken over at once, not in
        DEAD_AFTER_SECONDS; rows of instances long gone are deleted."""
        await self._db.write("DELETE FROM instances WHERE id = ? OR seen_at < ?",
                             (instance_id, now - FORGET_AFTER_SECONDS))

    async def alive(self, now: int) -> int:
        """How many instances are alive (at least this one, once it has beaten)."""
        row = await self._db.fetch_one("SELECT COUNT(*) FROM instances WHERE seen_at >= ?",
                                       (alive_since(now),))
        return int(row[0]) if row else 0

    async def release_job(self, name: str, instance_id: str) -> None:
        """The job `name` this instance took was stopped before it ended (a shutdown): the
        next instance to look (another, or this one's next start) runs it."""
        await self._db.write("DELETE FROM job_leases WHERE name = ? AND owner = ?",
                             (name, instance_id))

    async def take_job(self, name: str, instance_id: str, now: int, seconds: int) -> bool:
        """Atomic: True for one instance, which runs the job `name` for the next `seconds`
        (its period); the others skip it until then, or until the one that took it stops
        taking it (it died)."""
        changed = await self._db.write(
            "INSERT INTO job_leases (name, owner, until) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until "
            "WHERE job_leases.until <= ?4 OR job_leases.owner = excluded.owner",
            (name, instance_id, now + seconds, now))
        return changed == 1
