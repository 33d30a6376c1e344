"""Digest messages (the peer group's and each on-call peer's, page by page) and which requests
a peer's digest lists; the only place that writes `digests` and `digest_entries`
(storage/requests.py reads a page's entries with the requests they list)."""

from __future__ import annotations

from collections.abc import Sequence

from storage.backend import Database
from storage.session import Session

# A digest send not confirmed after this long (failed, or its follow-up lost in a crash) is
# tried again rather than waited for forever.
STALE_SEND_SECONDS = 120

Page = tuple[int, int]  # (chat, page)


class DigestRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def message_id(self, chat_id: int, page: int = 0) -> int | None:
        row = await self._db.fetch_one(
            "SELECT message_id FROM digests WHERE chat_id = ? AND page = ?", (chat_id, page))
        return int(row[0]) if row and row[0] is not None else None

    async def start_sending(self, chat_id: int, page: int, now: int) -> bool:
        """Atomic: true for the one caller that should send a new digest message."""
        changed = await self._db.write(
            "INSERT INTO digests (chat_id, page, sending, updated_at) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (chat_id, page) DO UPDATE SET sending = 1, updated_at = ? "
            "WHERE digests.message_id IS NULL "
            "AND (digests.sending = 0 OR digests.updated_at < ?)",
            (chat_id, page, now, now, now - STALE_SEND_SECONDS))
        return changed == 1

    async def sent(self, chat_id: int, page: int, message_id: int, now: int) -> None:
        await self._db.write(
            "UPDATE digests SET message_id = ?, sending = 0, updated_at = ? "
            "WHERE chat_id = ? AND page = ?", (message_id, now, chat_id, page))

    async def retire(self, chat_id: int, page: int = 0) -> None:
        """The page is done with; the next busy spell starts a new one at the bottom."""
        await self._db.write("DELETE FROM digests WHERE chat_id = ? AND page = ?",
                             (chat_id, page))

    # --- A peer's digest: which requests it lists, on which page ---------------------------

    async def add_entry(self, chat_id: int, request_id: str, page_size: int) -> int:
        """List a request in this chat's digest, on its newest page while that has room (on a
        new page after it when not); the page it is on (where it was, if listed already)."""
        def add(conn: Session) -> int:
            found = conn.execute(
                "SELECT page FROM digest_entries WHERE chat_id = ? AND request_id = ?",
                (chat_id, request_id)).fetchone()
            if found is not None:
                return int(found[0])
            newest = conn.execute(
                "SELECT page, COUNT(*) FROM digest_entries WHERE chat_id = ? "
                "GROUP BY page ORDER BY page DESC LIMIT 1", (chat_id,)).fetchone()
            page = 0 if newest is None else int(newest[0]) + (int(newest[1]) >= page_size)
            conn.execute(
                "INSERT INTO digest_entries (chat_id, request_id, page) VALUES (?, ?, ?)",
                (chat_id, request_id, page))
            return page

        return await self._db.run(add)

    async def page_of(self, chat_id: int, request_id: str) -> int | None:
        """The page of this chat's digest that lists the request; None if none does."""
        row = await self._db.fetch_one(
            "SELECT page FROM digest_entries WHERE chat_id = ? AND request_id = ?",
            (chat_id, request_id))
        return int(row[0]) if row is not None else None

    async def pages_listing(self, request_id: str) -> list[Page]:
        rows = await self._db.fetch_all(
            "SELECT chat_id, page FROM digest_entries WHERE request_id = ? ORDER BY chat_id",
            (request_id,))
        return [(int(row[0]), int(row[1])) for row in rows]

    async def take_entries(self, request_ids: Sequence[str]) -> list[Page]:
        """The pages that list any of these requests, which they list no more (claimed,
        closed, forgotten or purged)."""
        if not request_ids:
            return []

        def take(conn: Session) -> set[Page]:
            pages: set[Page] = set()
            for request_id in request_ids:
                rows = conn.execute(
                    "DELETE FROM digest_entries WHERE request_id = ? RETURNING chat_id, page",
                    (request_id,)).fetchall()
                pages.update((int(row[0]), int(row[1])) for row in rows)
            return pages

        return sorted(await self._db.run(take))
