"""Retention: what the hourly job and `python -m bot purge` both do, in one place."""

from __future__ import annotations

from storage.backend import Database
from storage.checkins import purge_ended_before
from storage.digests import DigestRepository
from storage.inbox import InboxRepository
from storage.outbox import OutboxRepository
from storage.requests import RequestRepository

DAY_SECONDS = 86400


async def purge(db: Database, requests: RequestRepository, inbox: InboxRepository,
                outbox: OutboxRepository, digests: DigestRepository, *, now: int,
                retention_days: float) -> int:
    """Closed conversations older than `retention_days` lose their content and every link to
    their responder, including the outbox rows made for them (kept a day after sending, they
    would still tie the request to the responder's chat) and any digest entry left for them
    (a closed request leaves the digests when it closes); handled updates and delivered
    messages past their use are dropped; the WAL is emptied so none of it lingers. How many
    conversations were purged."""
    kept = round(retention_days * DAY_SECONDS)
    cutoff = now - kept
    purged = await requests.purge_closed_before(cutoff)
    # Follow-up check-ins of those conversations, once sent (one due before the conversation's
    # retention end is kept until it is: see storage/checkins.py).
    await purge_ended_before(db, cutoff, kept)
    await outbox.forget_requests(purged)
    await digests.take_entries(purged)
    await inbox.prune(now)
    await outbox.prune(now)
    await db.checkpoint()
    return len(purged)
