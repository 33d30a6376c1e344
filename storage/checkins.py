"""Follow-up check-ins: the rows of bot/requests/checkins.py, and only this module writes them.

A row keeps only what the check-in needs (see migration 0022): a keyed hash of the
conversation it follows (`source`: one check-in per conversation, without naming it), the
responder's blind index, their chat id and language sealed together (`contact`, emptied once
the check-in is sent), the peer who held the conversation (offered "Talk to a peer again"
first; NULL once answered), and its times. Sending is taken by one conditional UPDATE of
`due_at` before anything is sent, so it happens once whoever tries (the timer, the sweep,
another instance). /forget deletes a responder's rows (`forget_responder`); the retention
purge those of conversations it purges once sent, never one still due before its
conversation's retention end (`purge_ended_before`, from storage/retention.py).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from storage.backend import Database, Row
from storage.crypto import Keyring
from storage.errors import ConflictError
from storage.sealed import CHECKIN_CONTACT

ANSWERS = ("ok", "talk", "resources")
FIRST, LATER = "first", "later"  # what `answer` recorded: the first answer, or one after Resources


@dataclass(frozen=True)
class Checkin:
    id: str
    responder_index: str
    chat_id: int | None  # None once sent (the contact is emptied)
    language: str | None
    peer_id: int | None
    ended_at: int
    chosen_at: int
    due_at: int | None  # None once taken for sending
    sent_at: int | None
    answer: str | None
    answered_at: int | None


class CheckinRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring

    def responder_index(self, responder_id: int) -> str:
        """The same blind index as the responder's requests (storage/requests.py)."""
        return self._keys.blind_index("responder", responder_id)

    def _source(self, request_id: str) -> str:
        return self._keys.blind_index("checkin", request_id)

    async def schedule(self, request_id: str, responder_index: str, chat_id: int,
                       language: str, peer_id: int | None, *, ended_at: int, now: int,
                       due_at: int) -> str | None:
        """A check-in chosen at the end of `request_id`'s conversation: its id, or None if
        one was chosen for that conversation already (a second tap, or two at once)."""
        checkin_id = secrets.token_hex(8)
        contact = json.dumps({"chat": chat_id, "language": language})
        try:
            await self._db.write(
                "INSERT INTO checkins (id, source, responder_index, contact, peer_id, ended_at,"
                " chosen_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (checkin_id, self._source(request_id), responder_index,
                 CHECKIN_CONTACT.seal(self._keys, contact, checkin_id), peer_id, ended_at, now,
                 due_at))
        except ConflictError:
            return None
        return checkin_id

    async def chosen_for(self, request_id: str) -> bool:
        """Whether a check-in was chosen after this conversation."""
        row = await self._db.fetch_one("SELECT 1 FROM checkins WHERE source = ?",
                                       (self._source(request_id),))
        return row is not None

    async def get(self, checkin_id: str) -> Checkin | None:
        row = await self._db.fetch_one("SELECT * FROM checkins WHERE id = ?", (checkin_id,))
        return self._checkin(row) if row is not None else None

    async def due(self, now: int) -> list[str]:
        """Check-ins due at `now` and not taken yet, earliest first."""
        rows = await self._db.fetch_all(
            "SELECT id FROM checkins WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at",
            (now,))
        return [str(row["id"]) for row in rows]

    async def unfinished(self, taken_before: int) -> list[str]:
        """Check-ins taken for sending before `taken_before` whose contact is still there:
        the instance that took one stopped before its message was queued."""
        rows = await self._db.fetch_all(
            "SELECT id FROM checkins WHERE due_at IS NULL AND sent_at IS NOT NULL "
            "AND sent_at <= ? AND length(contact) > 0", (taken_before,))
        return [str(row["id"]) for row in rows]

    async def next_due(self) -> int | None:
        row = await self._db.fetch_one(
            "SELECT MIN(due_at) AS due FROM checkins WHERE due_at IS NOT NULL")
        return int(row["due"]) if row is not None and row["due"] is not None else None

    async def take(self, checkin_id: str, now: int) -> bool:
        """Atomic: true for exactly one caller once the check-in is due."""
        return await self._db.write(
            "UPDATE checkins SET due_at = NULL, sent_at = ? "
            "WHERE id = ? AND due_at IS NOT NULL AND due_at <= ?",
            (now, checkin_id, now)) == 1

    async def sent(self, checkin_id: str) -> bool:
        """Its message is queued: the chat and language are no longer kept. True once."""
        return await self._db.write(
            "UPDATE checkins SET contact = ? WHERE id = ? AND due_at IS NULL "
            "AND length(contact) > 0", (b"", checkin_id)) == 1

    async def answer(self, checkin_id: str, answer: str, now: int) -> str | None:
        """The responder's answer, once: "resources" may be followed by "ok" or "talk"; the
        previous peer is no longer kept after either. FIRST if this is the check-in's first
        answer, LATER for "ok" or "talk" after "resources", None if nothing was recorded
        (each is decided by one conditional UPDATE, so two presses at once count once)."""
        if answer not in ANSWERS:
            raise ValueError(answer)
        if answer == "resources":
            written = await self._db.write(
                "UPDATE checkins SET answer = ?, answered_at = ? WHERE id = ? "
                "AND sent_at IS NOT NULL AND answer IS NULL", (answer, now, checkin_id))
            return FIRST if written == 1 else None
        if await self._db.write(
                "UPDATE checkins SET answer = ?, answered_at = ?, peer_id = NULL "
                "WHERE id = ? AND sent_at IS NOT NULL AND answer IS NULL",
                (answer, now, checkin_id)) == 1:
            return FIRST
        if await self._db.write(
                "UPDATE checkins SET answer = ?, peer_id = NULL "
                "WHERE id = ? AND sent_at IS NOT NULL AND answer = 'resources'",
                (answer, checkin_id)) == 1:
            return LATER
        return None

    async def forget_responder(self, responder_id: int) -> int:
        """/forget: every check-in of this responder's, pending or sent."""
        return await self._db.write("DELETE FROM checkins WHERE responder_index = ?",
                                    (self.responder_index(responder_id),))

    def _checkin(self, row: Row) -> Checkin:
        chat_id: int | None = None
        language: str | None = None
        sealed = bytes(row["contact"])
        if sealed:
            contact = json.loads(CHECKIN_CONTACT.open(self._keys, sealed, row["id"]))
            chat_id, language = int(contact["chat"]), str(contact["language"])
        return Checkin(
            id=str(row["id"]), responder_index=str(row["responder_index"]), chat_id=chat_id,
            language=language, peer_id=row["peer_id"], ended_at=int(row["ended_at"]),
            chosen_at=int(row["chosen_at"]), due_at=row["due_at"], sent_at=row["sent_at"],
            answer=row["answer"], answered_at=row["answered_at"])


async def purge_ended_before(db: Database, cutoff: int, retention_seconds: int) -> int:
    """Retention: the check-ins of conversations that ended before `cutoff` (the purge takes
    those conversations' content now) once they are sent (their contact emptied). One still
    to be sent is kept if it falls due before its conversation's retention end (`ended_at` +
    `retention_seconds`: bot/requests/checkins.py refuses a later one, and FOLLOWUP_DELAYS
    must be shorter than RETENTION_DAYS), so a check-in due while the bot was down, or taken
    but not yet queued, is still sent, then purged; one due after it (RETENTION_DAYS was
    shortened since) goes now. /forget deletes them all (`forget_responder`)."""
    return await db.write(
        "DELETE FROM checkins WHERE ended_at < ? AND (length(contact) = 0 "
        "OR (due_at IS NOT NULL AND due_at >= ended_at + ?))", (cutoff, retention_seconds))
