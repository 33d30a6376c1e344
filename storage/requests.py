"""Requests: where their rows are made, read and moved from state to state.

Storing a message notes the request's last activity (storage/messages.py) and
storage/rotation.py re-seals its sealed columns; every other write of `requests` is here. So
are the writes that go with a request's end: /forget unlinks its `audit` entries, and the
retention purge deletes its `messages`, `notes` and `notices`. A peer's digest page is read
with the requests it lists (`waiting_in_peer_digest`, from `digest_entries`).

Every state change is one conditional UPDATE inside a transaction, so it happens once or not at
all (two peers pressing Claim together: exactly one wins).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from storage.backend import Database, Row
from storage.crypto import Keyring
from storage.errors import ConflictError
from storage.sealed import REQUEST_CHAT, REQUEST_INTAKE
from storage.session import Session, Write


class StateChangedError(Exception):
    """The request is no longer in the state the write was made for (see `still`)."""


CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read aloud
_CODE_LENGTH = 4
_CODE_ATTEMPTS = 20


class State(StrEnum):
    INTAKE = "intake"
    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


LIVE_STATES = (State.INTAKE, State.OPEN, State.CLAIMED)


class RiskSource(StrEnum):
    """Why a request is high risk."""

    SCREEN = "screen"  # the crisis screen read risk in something the responder wrote
    ANSWER = "answer"  # the responder said Yes or Not sure to the safety question
    PEER = "peer"  # the claiming peer used /urgent


@dataclass(frozen=True)
class Intake:
    """The responder's answers; every one may be skipped (None)."""

    urgency: str | None = None  # now | today | week
    outside_agency: bool | None = None
    discipline: str | None = None  # police | fire | ems | dispatch | corrections | other
    agency: str | None = None  # one of AGENCIES, asked only when outside_agency is chosen
    language: str | None = None  # what the responder reads (shown on the card)
    safety: str | None = None  # the safety question: yes | unsure | no (None: skipped)
    # "Talk to a peer again" on a follow-up check-in (bot/requests/checkins.py): the card says
    # so, and the peer who held the earlier conversation is offered it first.
    followup: bool = False
    previous_peer: int | None = None


@dataclass(frozen=True)
class Request:
    id: str
    code: str
    state: State
    intake_step: str
    intake: Intake
    responder_index: str
    responder_chat_id: int
    peer_id: int | None
    card_message_id: int | None
    created_at: int
    opened_at: int | None
    claimed_at: int | None
    closed_at: int | None
    closed_by: str | None
    escalation_step: int = 0
    queued_at: int | None = None
    next_step_at: int | None = None
    peer_reminded: bool = False
    peer_last_message_at: int | None = None
    last_activity_at: int | None = None
    in_digest: bool = False
    high_risk: bool = False  # flagged: by the screen, the safety question or the peer
    crisis_sent_at: int | None = None
    risk_source: RiskSource | None = None  # why it is high risk (None while it is not)
    risk_alerted: bool = False  # the team's alert about it is done (bot/safety/risk.py)
    # A hand-over offered (/transfer, bot/requests/transfers.py): by whom, to whom, when.
    transfer_from: int | None = None
    transfer_to: int | None = None
    transfer_offered_at: int | None = None


@dataclass(frozen=True)
class RequestFacts:
    """What the coordinators' statistics may know of a request: times, state, answers."""

    opened_at: int
    first_claimed_at: int | None
    state: State
    max_escalation_step: int
    urgency: str | None
    discipline: str | None


def new_code() -> str:
    return "R-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(_CODE_LENGTH))


class RequestRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring

    def _responder_index(self, responder_id: int) -> str:
        return self._keys.blind_index("responder", responder_id)

    def _row_to_request(self, row: Row) -> Request:
        rid = row["id"]
        sealed_chat = bytes(row["responder_chat"])
        chat = (REQUEST_CHAT.open(self._keys, sealed_chat, rid)
                if sealed_chat else "0")  # "0": purged after the retention period
        intake = json.loads(REQUEST_INTAKE.open(self._keys, row["intake"], rid))
        return Request(
            id=rid, code=row["code"], state=State(row["state"]), intake_step=row["intake_step"],
            intake=Intake(**intake), responder_index=row["responder_index"],
            responder_chat_id=int(chat), peer_id=row["peer_id"],
            card_message_id=row["card_message_id"], created_at=row["created_at"],
            opened_at=row["opened_at"], claimed_at=row["claimed_at"],
            closed_at=row["closed_at"], closed_by=row["closed_by"],
            escalation_step=row["escalation_step"], queued_at=row["queued_at"],
            next_step_at=row["next_step_at"], peer_reminded=bool(row["peer_reminded"]),
            peer_last_message_at=row["peer_last_message_at"],
            last_activity_at=row["last_activity_at"], in_digest=bool(row["in_digest"]),
            high_risk=bool(row["high_risk"]), crisis_sent_at=row["crisis_sent_at"],
            risk_source=RiskSource(row["risk_source"]) if row["risk_source"] else None,
            risk_alerted=bool(row["risk_alerted"]),
            transfer_from=row["transfer_from"], transfer_to=row["transfer_to"],
            transfer_offered_at=row["transfer_offered_at"],
        )

    def _seal_intake(self, request_id: str, intake: Intake) -> bytes:
        return REQUEST_INTAKE.seal(self._keys, json.dumps(asdict(intake)), request_id)

    async def get(self, request_id: str) -> Request | None:
        row = await self._db.fetch_one("SELECT * FROM requests WHERE id = ?", (request_id,))
        return self._row_to_request(row) if row else None

    async def get_by_code(self, code: str) -> Request | None:
        row = await self._db.fetch_one("SELECT * FROM requests WHERE code = ?", (code.upper(),))
        return self._row_to_request(row) if row else None

    async def live_for_responder(self, responder_id: int) -> Request | None:
        row = await self._db.fetch_one(
            "SELECT * FROM requests WHERE responder_index = ? AND state != 'closed'",
            (self._responder_index(responder_id),))
        return self._row_to_request(row) if row else None

    def is_responder_of(self, request: Request, user_id: int) -> bool:
        """True when this Telegram user opened the request (compares blind indexes)."""
        return request.responder_index == self._responder_index(user_id)

    async def start_intake(self, responder_id: int, chat_id: int, now: int,
                           language: str | None = None) -> Request:
        """A new request in intake, or the responder's live one if they already have it."""
        existing = await self.live_for_responder(responder_id)
        if existing is not None:
            return existing
        request_id = secrets.token_hex(8)
        index = self._responder_index(responder_id)
        sealed_chat = REQUEST_CHAT.seal(self._keys, str(chat_id), request_id)
        sealed_intake = self._seal_intake(request_id, Intake(language=language))
        for _ in range(_CODE_ATTEMPTS):
            try:
                await self._db.write(
                    "INSERT INTO requests (id, code, responder_index, responder_chat, state,"
                    " intake, created_at) VALUES (?, ?, ?, ?, 'intake', ?, ?)",
                    (request_id, new_code(), index, sealed_chat, sealed_intake, now))
                break
            except ConflictError:
                existing = await self.live_for_responder(responder_id)
                if existing is not None:
                    return existing  # a second tap raced this one
                # otherwise the code collided: draw another
        else:
            raise RuntimeError("could not draw an unused request code")
        created = await self.get(request_id)
        assert created is not None
        return created

    async def answer_intake(self, request_id: str, expected_step: str, next_step: str,
                            **answers: object) -> Request | None:
        """Record answers if the request is still at `expected_step` of its intake."""
        def answer(conn: Session) -> Request | None:
            row = conn.execute(
                "SELECT * FROM requests WHERE id = ? AND state = 'intake' AND intake_step = ?",
                (request_id, expected_step)).fetchone()
            if row is None:
                return None
            current = self._row_to_request(row)
            intake = replace(current.intake, **answers)  # type: ignore[arg-type]
            conn.execute(
                "UPDATE requests SET intake = ?, intake_step = ? WHERE id = ?",
                (self._seal_intake(request_id, intake), next_step, request_id))
            return replace(current, intake=intake, intake_step=next_step)

        return await self._db.run(answer)

    async def restart_intake(self, request_id: str, language: str | None = None, *,
                             followup: bool = False, previous_peer: int | None = None) -> bool:
        intake = Intake(language=language, followup=followup, previous_peer=previous_peer)
        return await self._update(
            "UPDATE requests SET intake = ?, intake_step = 'urgency' "
            "WHERE id = ? AND state = 'intake'",
            (self._seal_intake(request_id, intake), request_id))

    async def set_language(self, request_id: str, language: str) -> None:
        """The responder chose another language: the request (and its card) say so."""
        def choose(conn: Session) -> None:
            row = conn.execute("SELECT * FROM requests WHERE id = ?", (request_id,)).fetchone()
            if row is None:
                return
            intake = replace(self._row_to_request(row).intake, language=language)
            conn.execute("UPDATE requests SET intake = ? WHERE id = ?",
                         (self._seal_intake(request_id, intake), request_id))

        await self._db.run(choose)

    async def open(self, request_id: str, now: int, first_step_at: int) -> bool:
        """Into the queue, with the ladder's first deadline set in the same write, so a crash
        right after still leaves the request for the sweep to find; numbered after every
        request opened before it (`opened_seq`), which orders those opened in one second."""
        return await self._update(
            "UPDATE requests SET state = 'open', intake_step = 'done', opened_at = ?, "
            "queued_at = ?, last_activity_at = ?, escalation_step = 0, next_step_at = ?, "
            "opened_seq = (SELECT COALESCE(MAX(opened_seq), 0) + 1 FROM requests) "
            "WHERE id = ? AND state = 'intake'", (now, now, now, first_step_at, request_id))

    async def claim(self, request_id: str, peer_id: int, now: int) -> bool:
        """Atomic: true for exactly one caller while the request is open. Stops the ladder."""
        return await self._update(
            "UPDATE requests SET state = 'claimed', peer_id = ?1, claimed_at = ?2, "
            "first_claimed_at = COALESCE(first_claimed_at, ?2), next_step_at = NULL, "
            "peer_reminded = 0, peer_last_message_at = NULL, last_activity_at = ?2 "
            "WHERE id = ?3 AND state = 'open'",
            (peer_id, now, request_id))

    async def release(self, request_id: str, peer_id: int, now: int, first_step_at: int, *,
                      only_if_silent: bool = False) -> bool:
        """Hand a claimed request back to the queue (only as the peer who holds it); its ladder
        starts again from now. `only_if_silent`: not if the peer has written meanwhile."""
        return await self._update(
            "UPDATE requests SET state = 'open', peer_id = NULL, claimed_at = NULL, "
            "queued_at = ?, escalation_step = 0, next_step_at = ?, peer_reminded = 0 "
            "WHERE id = ? AND state = 'claimed' AND peer_id = ? "
            "AND (? = 0 OR peer_last_message_at IS NULL)",
            (now, first_step_at, request_id, peer_id, int(only_if_silent)))

    async def offer_transfer(self, request_id: str, from_peer: int, to_peer: int, now: int,
                             fresh_after: int) -> bool:
        """Atomic: offer a conversation `from_peer` holds to `to_peer`, unless an offer is
        pending already (one at a time). Nothing else about the request changes."""
        return await self._update(
            "UPDATE requests SET transfer_from = ?, transfer_to = ?, transfer_offered_at = ? "
            "WHERE id = ? AND state = 'claimed' AND peer_id = ? "
            # no offer pending: one counts while its conversation is still claimed by the peer
            # who made it, not claimed again since, and not older than `fresh_after`
            "AND NOT COALESCE(transfer_to IS NOT NULL AND transfer_from = peer_id "
            "AND transfer_offered_at > ? AND claimed_at <= transfer_offered_at, FALSE)",
            (from_peer, to_peer, now, request_id, from_peer, fresh_after))

    async def drop_transfer(self, request_id: str, offered_at: int, *,
                            to_peer: int | None = None, from_peer: int | None = None) -> bool:
        """Atomic: the offer made at `offered_at` is declined (by `to_peer`) or withdrawn (by
        `from_peer`); False if it is not that offer any more."""
        return await self._update(
            "UPDATE requests SET transfer_from = NULL, transfer_to = NULL, "
            "transfer_offered_at = NULL WHERE id = ? AND transfer_offered_at = ? "
            "AND transfer_to = COALESCE(?, transfer_to) "
            "AND transfer_from = COALESCE(?, transfer_from)",
            (request_id, offered_at, to_peer, from_peer))

    async def accept_transfer(self, request_id: str, *, from_peer: int, to_peer: int,
                              offered_at: int, now: int, fresh_after: int) -> bool:
        """Atomic: true for exactly one caller while the offer made at `offered_at` is pending
        and `from_peer` still holds the conversation. It moves to `to_peer` as if just claimed
        (the follow-up deadlines count from now), and the offer is cleared."""
        return await self._update(
            "UPDATE requests SET peer_id = ?, claimed_at = ?, peer_reminded = 0, "
            "peer_last_message_at = NULL, last_activity_at = ?, transfer_from = NULL, "
            "transfer_to = NULL, transfer_offered_at = NULL "
            "WHERE id = ? AND state = 'claimed' AND peer_id = ? AND transfer_to = ? "
            "AND transfer_offered_at = ? AND transfer_from = peer_id "
            "AND transfer_offered_at > ? AND claimed_at <= transfer_offered_at",
            (to_peer, now, now, request_id, from_peer, to_peer, offered_at, fresh_after))

    async def undo_transfer(self, before: Request, to_peer: int) -> bool:
        """A hand-over that could not be completed: back to the peer who held it, as it was
        (while `to_peer` still holds it)."""
        assert before.peer_id is not None
        return await self._update(
            "UPDATE requests SET peer_id = ?, claimed_at = ?, peer_reminded = ?, "
            "peer_last_message_at = ?, last_activity_at = ? "
            "WHERE id = ? AND state = 'claimed' AND peer_id = ?",
            (before.peer_id, before.claimed_at, int(before.peer_reminded),
             before.peer_last_message_at, before.last_activity_at, before.id, to_peer))

    @staticmethod
    def held_by(request_id: str, peer_id: int) -> Write[None]:
        """As `still`, for a claimed request held by `peer_id`: a message relayed to its peer
        is kept only while that peer holds it, so a hand-over's history cannot miss it."""
        def hold(conn: Session) -> None:
            cursor = conn.execute(
                "UPDATE requests SET state = state WHERE id = ? AND state = 'claimed' "
                "AND peer_id = ?", (request_id, peer_id))
            if cursor.rowcount != 1:
                raise StateChangedError(request_id)

        return hold

    async def set_ladder(self, request_id: str, step: int, next_step_at: int | None,
                         queued_at: int | None = None) -> bool:
        """Put an open request at ladder step `step` (steps taken so far)."""
        return await self._update(
            "UPDATE requests SET escalation_step = ?, next_step_at = ?, "
            "queued_at = COALESCE(?, queued_at) WHERE id = ? AND state = 'open'",
            (step, next_step_at, queued_at, request_id))

    async def jump_ladder(self, request_id: str, step: int, now: int) -> bool:
        """Atomic: put an open request at ladder step `step` with the next step due `now`,
        unless it is past `step` already (the ladder, here or on another instance, took a
        later step meanwhile: never wound back, so no step is taken twice). False if nothing
        changed."""
        return await self._update(
            "UPDATE requests SET escalation_step = ?1, next_step_at = ?2 "
            "WHERE id = ?3 AND state = 'open' AND escalation_step <= ?1",
            (step, now, request_id))

    async def take_step(self, request_id: str, done: int, next_step_at: int | None,
                        now: int) -> bool:
        """Atomic: move from `done` steps to `done + 1` if that step is due and nobody took it.
        A duplicate, late or restarted job finds the step taken and gets False."""
        return await self.take_steps(request_id, done, done + 1, next_step_at, now)

    async def take_steps(self, request_id: str, done: int, last: int,
                         next_step_at: int | None, now: int) -> bool:
        """Atomic, as `take_step`: move from `done` steps to `last` at once (steps that fell
        due together, caught up with one message to each person)."""
        return await self._update(
            "UPDATE requests SET escalation_step = ?1, next_step_at = ?2, "
            "max_escalation_step = CASE WHEN max_escalation_step >= ?1 "
            "THEN max_escalation_step ELSE ?1 END "
            "WHERE id = ?3 AND state = 'open' AND escalation_step = ?4 "
            "AND next_step_at IS NOT NULL AND next_step_at <= ?5",
            (last, next_step_at, request_id, done, now))

    async def mark_peer_reminded(self, request_id: str) -> bool:
        return await self._update(
            "UPDATE requests SET peer_reminded = 1 "
            "WHERE id = ? AND state = 'claimed' AND peer_reminded = 0", (request_id,))

    async def next_ladder_step(self) -> int | None:
        """When the earliest pending escalation step of any waiting request is due."""
        row = await self._db.fetch_one(
            "SELECT MIN(next_step_at) AS due FROM requests WHERE state = 'open'")
        return int(row["due"]) if row is not None and row["due"] is not None else None

    async def ladder_pending_count(self) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM requests WHERE state = 'open' "
            "AND next_step_at IS NOT NULL")
        return int(row["n"]) if row is not None else 0

    async def ladder_due(self, now: int) -> list[str]:
        rows = await self._db.fetch_all(
            "SELECT id FROM requests WHERE state = 'open' AND next_step_at <= ? "
            "ORDER BY next_step_at", (now,))
        return [row["id"] for row in rows]

    async def followups_due(self, now: int, reply_seconds: int,
                            idle_seconds: int) -> list[str]:
        """Claimed conversations with a follow-up due at `now`: a peer silent since claiming
        (reminded `reply_seconds` after the claim, released at twice that), or nobody writing
        for `idle_seconds`. Read from the indexes of migration 0012 with nothing decrypted, so
        a sweep costs the conversations that are due, not all that exist."""
        rows = await self._db.fetch_all(
            "SELECT id FROM requests WHERE state = 'claimed' AND peer_last_message_at IS NULL"
            " AND peer_reminded = 0 AND claimed_at <= ?1"
            " UNION SELECT id FROM requests WHERE state = 'claimed'"
            " AND peer_last_message_at IS NULL AND peer_reminded = 1 AND claimed_at <= ?2"
            " UNION SELECT id FROM requests WHERE state = 'claimed'"
            " AND COALESCE(last_activity_at, claimed_at) <= ?3",
            (now - reply_seconds, now - 2 * reply_seconds, now - idle_seconds))
        return [row["id"] for row in rows]

    async def next_followup(self, after: int, reply_seconds: int,
                            idle_seconds: int) -> int | None:
        """The earliest follow-up deadline (see `followups_due`) later than `after`. One that
        is already past is the sweep's to retry, so a failing one never spins the timer."""
        row = await self._db.fetch_one(
            "SELECT MIN(due) AS due FROM ("
            " SELECT MIN(claimed_at) + ?1 AS due FROM requests WHERE state = 'claimed'"
            " AND peer_last_message_at IS NULL AND peer_reminded = 0 AND claimed_at > ?3 - ?1"
            " UNION ALL SELECT MIN(claimed_at) + 2 * ?1 FROM requests WHERE state = 'claimed'"
            " AND peer_last_message_at IS NULL AND peer_reminded = 1"
            " AND claimed_at > ?3 - 2 * ?1"
            " UNION ALL SELECT MIN(COALESCE(last_activity_at, claimed_at)) + ?2 FROM requests"
            " WHERE state = 'claimed' AND COALESCE(last_activity_at, claimed_at) > ?3 - ?2)"
            " AS deadlines",
            (reply_seconds, idle_seconds, after))
        return int(row["due"]) if row is not None and row["due"] is not None else None

    async def claimed_count(self) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) AS n FROM requests WHERE state = 'claimed'")
        return int(row["n"]) if row is not None else 0

    async def discard_intake(self, request_id: str) -> bool:
        """Forget a request the responder abandoned before writing anything."""
        return await self._update(
            "DELETE FROM requests WHERE id = ? AND state = 'intake'", (request_id,))

    async def close(self, request_id: str, closed_by: str, now: int) -> bool:
        """Close a live request (once: False if it was closed already)."""
        return await self._update(
            "UPDATE requests SET state = 'closed', closed_by = ?, closed_at = ?, "
            "next_step_at = NULL WHERE id = ? AND state != 'closed'",
            (closed_by, now, request_id))

    async def close_held(self, request_id: str, peer_id: int, now: int) -> bool:
        """The peer closes a conversation: only while they still hold it (False: it was
        closed, released or handed over meanwhile)."""
        return await self._update(
            "UPDATE requests SET state = 'closed', closed_by = 'peer', closed_at = ?, "
            "next_step_at = NULL WHERE id = ? AND state = 'claimed' AND peer_id = ?",
            (now, request_id, peer_id))

    async def close_idle(self, request_id: str, peer_id: int, idle_since: int, now: int,
                         ) -> bool:
        """Close a conversation gone silent: only while this peer still holds it and nothing
        was said after `idle_since` (False: it was released, closed, or someone wrote)."""
        return await self._update(
            "UPDATE requests SET state = 'closed', closed_by = 'inactivity', closed_at = ?, "
            "next_step_at = NULL WHERE id = ? AND state = 'claimed' AND peer_id = ? "
            "AND COALESCE(last_activity_at, 0) <= ?", (now, request_id, peer_id, idle_since))

    async def mark_debrief_asked(self, request_id: str, peer_id: int, now: int) -> bool:
        """The peer who held this closed high-risk conversation asked for a debrief: true
        once (False: asked already, or it is not theirs to ask about)."""
        return await self._update(
            "UPDATE requests SET debrief_asked_at = ? WHERE id = ? AND peer_id = ? "
            "AND state = 'closed' AND high_risk = 1 AND debrief_asked_at IS NULL",
            (now, request_id, peer_id))

    async def mark_high_risk(self, request_id: str,
                             source: RiskSource = RiskSource.SCREEN) -> bool:
        """True only the first time, and the first reason is the one kept. The team's alert
        that follows is done once per request: until `mark_risk_alerted`, the request says it
        is still to do (`risk_alerted`), so a crash in between does not lose it."""
        return await self._update(
            "UPDATE requests SET high_risk = 1, risk_source = ? WHERE id = ? AND high_risk = 0",
            (source.value, request_id))

    async def mark_risk_alerted(self, request_id: str) -> bool:
        """The team's alert about this high-risk request is done: True only the first time."""
        return await self._update(
            "UPDATE requests SET risk_alerted = 1 WHERE id = ? AND high_risk = 1 "
            "AND risk_alerted = 0", (request_id,))

    async def add_risk_signal(self, request_id: str, signal: float, now: int,
                              half_life: float) -> float:
        """Add a message's weak signal of risk to the request's level, which halves every
        `half_life` seconds since the last one; the new level. One transaction, so two
        messages at once both count."""

        def work(conn: Session) -> float:
            row = conn.execute("SELECT risk_level, risk_level_at FROM requests WHERE id = ?",
                               (request_id,)).fetchone()
            if row is None:
                return 0.0
            level, at = float(row[0]), row[1]
            if at is not None and now > at:
                level *= 0.5 ** ((now - at) / half_life)
            level += signal
            conn.execute("UPDATE requests SET risk_level = ?, risk_level_at = ? WHERE id = ?",
                         (level, now, request_id))
            return level

        return await self._db.run(work)

    async def claim_crisis_notice(self, request_id: str, now: int, quiet_seconds: int) -> bool:
        """True if the crisis line may be sent now (not sent in the last `quiet_seconds`);
        records it as sent, atomically, so two messages at once send it once."""
        return await self._update(
            "UPDATE requests SET crisis_sent_at = ? WHERE id = ? "
            "AND (crisis_sent_at IS NULL OR crisis_sent_at <= ?)",
            (now, request_id, now - quiet_seconds))

    @staticmethod
    def claiming_crisis_notice(request_id: str, now: int, quiet_seconds: int) -> Write[None]:
        """`claim_crisis_notice` as a write kept in the transaction of the crisis line's own
        outbox row (the two are kept together or not at all): raises StateChangedError, and
        nothing of the transaction is kept, if it may not be sent now."""
        def claim(conn: Session) -> None:
            cursor = conn.execute(
                "UPDATE requests SET crisis_sent_at = ? WHERE id = ? "
                "AND (crisis_sent_at IS NULL OR crisis_sent_at <= ?)",
                (now, request_id, now - quiet_seconds))
            if cursor.rowcount != 1:
                raise StateChangedError(request_id)

        return claim

    async def set_card(self, request_id: str, message_id: int) -> None:
        await self._update("UPDATE requests SET card_message_id = ? WHERE id = ?",
                           (message_id, request_id))

    async def set_in_digest(self, request_id: str, listed: bool) -> None:
        await self._update("UPDATE requests SET in_digest = ? WHERE id = ?",
                           (int(listed), request_id))

    async def waiting_in_digest(self, limit: int | None = None) -> list[Request]:
        """The oldest `limit` (or all) requests the group's digest lists: only those are
        read and opened, since a burst can leave hundreds waiting in it."""
        sql = ("SELECT * FROM requests WHERE in_digest = 1 AND state = 'open' "
               "ORDER BY opened_at, opened_seq")
        params: tuple[int, ...] = ()
        if limit is not None:  # all: no LIMIT (SQLite's LIMIT -1 is SQLite's alone)
            sql, params = f"{sql} LIMIT ?", (limit,)
        rows = await self._db.fetch_all(sql, params)
        return [self._row_to_request(row) for row in rows]

    async def waiting_in_digest_count(self) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM requests WHERE in_digest = 1 AND state = 'open'")
        return int(row[0]) if row else 0

    async def ids_of_responder(self, responder_id: int) -> list[str]:
        rows = await self._db.fetch_all("SELECT id FROM requests WHERE responder_index = ?",
                                        (self._responder_index(responder_id),))
        return [row["id"] for row in rows]

    async def forget_responder(self, responder_id: int) -> int:
        """Delete every request of this responder, with its messages, notes, feedback and
        notices (foreign keys cascade), and so the blind index that linked them; audit entries
        about them no longer say which request they were about. How many requests."""
        index = self._responder_index(responder_id)

        def forget(conn: Session) -> int:
            conn.execute(
                "UPDATE audit SET request_id = NULL, request_code = NULL WHERE request_id IN "
                "(SELECT id FROM requests WHERE responder_index = ?)", (index,))
            return conn.execute("DELETE FROM requests WHERE responder_index = ?",
                                (index,)).rowcount

        return await self._db.run(forget)

    async def purge_closed_before(self, cutoff: int) -> list[str]:
        """Retention: conversations closed before `cutoff` lose their content and every link
        to their responder; the bare request (code, times, state) stays for the statistics.
        The ids of those purged now (their outbox rows go next: see storage/retention.py).
        A follow-up's intake loses `followup` and `previous_peer`, which tie it to the
        responder's earlier conversation and its peer; the answers the statistics count stay."""
        def purge(conn: Session) -> list[str]:
            rows = conn.execute(
                "SELECT id, intake FROM requests WHERE state = 'closed' AND closed_at < ? "
                "AND responder_index NOT LIKE 'purged:%'", (cutoff,)).fetchall()
            ids = [str(row[0]) for row in rows]
            for request_id, sealed in zip(ids, (bytes(row[1]) for row in rows), strict=True):
                intake = Intake(**json.loads(REQUEST_INTAKE.open(self._keys, sealed,
                                                                 request_id)))
                if intake.followup or intake.previous_peer is not None:
                    conn.execute("UPDATE requests SET intake = ? WHERE id = ?", (
                        self._seal_intake(request_id, replace(intake, followup=False,
                                                              previous_peer=None)),
                        request_id))
                conn.execute("DELETE FROM messages WHERE request_id = ?", (request_id,))
                conn.execute("DELETE FROM notes WHERE request_id = ?", (request_id,))
                conn.execute("DELETE FROM notices WHERE request_id = ?", (request_id,))
                conn.execute(
                    "UPDATE requests SET responder_index = 'purged:' || id, "
                    "responder_chat = ?, risk_level = 0, risk_level_at = NULL WHERE id = ?",
                    (b"", request_id))
            return ids

        return await self._db.run(purge)

    async def facts(self, since: int | None) -> list[RequestFacts]:
        """Every request that entered the queue at or after `since` (all if None), oldest
        first, reduced to what the statistics count."""
        rows = await self._db.fetch_all(
            "SELECT id, opened_at, first_claimed_at, state, max_escalation_step, intake "
            "FROM requests WHERE opened_at IS NOT NULL AND opened_at >= ? ORDER BY opened_at",
            (since if since is not None else 0,))
        facts = []
        for row in rows:
            intake = json.loads(REQUEST_INTAKE.open(self._keys, row["intake"], row["id"]))
            facts.append(RequestFacts(
                opened_at=row["opened_at"], first_claimed_at=row["first_claimed_at"],
                state=State(row["state"]), max_escalation_step=row["max_escalation_step"],
                urgency=intake.get("urgency"), discipline=intake.get("discipline")))
        return facts

    async def open_count_by_peer(self) -> dict[int, int]:
        rows = await self._db.fetch_all(
            "SELECT peer_id, COUNT(*) AS n FROM requests WHERE state = 'claimed' "
            "GROUP BY peer_id")
        return {int(row["peer_id"]): int(row["n"]) for row in rows}

    async def claimed_by(self, peer_id: int) -> list[Request]:
        rows = await self._db.fetch_all(
            "SELECT * FROM requests WHERE peer_id = ? AND state = 'claimed' ORDER BY claimed_at",
            (peer_id,))
        return [self._row_to_request(row) for row in rows]

    @staticmethod
    def still(request_id: str, state: State) -> Write[None]:
        """A write that holds the request in `state` for the rest of its transaction, or
        raises StateChangedError (nothing of the transaction is kept) if it has left it.

        What is kept for a request's next peer must not cross a claim: a claim reads the
        messages so far once it has committed, so a message stored after that read would never
        reach the peer. The no-op UPDATE makes this transaction and a claim write the same row:
        SQLite runs them one after the other, PostgreSQL lets only one of two overlapping ones
        commit (the other is run again and finds the new state)."""
        def hold(conn: Session) -> None:
            cursor = conn.execute("UPDATE requests SET state = state WHERE id = ? AND state = ?",
                                  (request_id, state.value))
            if cursor.rowcount != 1:
                raise StateChangedError(request_id)

        return hold

    async def _update(self, sql: str, params: tuple[object, ...]) -> bool:
        return await self._db.write(sql, params) == 1

    async def waiting_in_peer_digest(self, chat_id: int, page: int) -> list[Request]:
        """The requests still waiting that this page of a peer's digest lists (see
        storage/digests.py), oldest first."""
        rows = await self._db.fetch_all(
            "SELECT r.* FROM digest_entries d JOIN requests r ON r.id = d.request_id "
            "WHERE d.chat_id = ? AND d.page = ? AND r.state = 'open' "
            "ORDER BY r.opened_at, r.opened_seq", (chat_id, page))
        return [self._row_to_request(row) for row in rows]
