"""Rows of the outbox, sealed; the only place that touches `outbox` (but storage/rotation.py,
which re-seals its sealed columns under a new key).

What a row is for is a `Purpose`, kept in its purpose_* columns (never parsed from a string):
its follow-up reads it when the row is sent or refused (bot/platform/delivery.py), and
/forget and the retention purge find a request's rows by `purpose_request`.

A row being sent names the instance sending it (`owner`). With several instances on one
database (storage/instances.py), one chat's rows go one at a time, in order, whichever
instance sends them: a row is marked sending only while no other instance is sending in its
chat (`mark_sending`), and the rows a dead instance was sending are taken over
(`take_over`).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal, get_args

from storage.backend import Database, Row
from storage.crypto import DecryptionError, Keyring
from storage.instances import alive_since
from storage.messages import Sender, StoredMessage
from storage.resends import ResendRepository
from storage.sealed import OUTBOX_CHAT, OUTBOX_PAYLOAD
from storage.session import Session, Write

_log = logging.getLogger(__name__)
KEEP_DONE_SECONDS = 24 * 3600
OPEN_RETRY_SECONDS = 60

PurposeKind = Literal["relay", "card", "notice", "digest", "resend_notice", "request"]
_KINDS: frozenset[str] = frozenset(get_args(PurposeKind))
_SENDERS: frozenset[str] = frozenset(get_args(Sender))


@dataclass(frozen=True)
class Purpose:
    """What a row is for. Each kind fills the fields it needs (made by the constructors):

    relay          request_id, sender (who wrote it), ref: the stored message, its place in
                   the conversation or, for one just written, the keyed index of the Telegram
                   message it came from (None: not known, so it cannot be named again)
    card, notice   request_id: the request's card in the group, a claim notice to a peer
    digest         ref: the page (`page`)
    resend_notice  request_id, ref: the batch of the Send again notice (storage/resends.py)
    request        request_id: any other row made while working on that request (an
                   escalation step's, whose key names it), so that it goes with the request
    """

    kind: PurposeKind
    request_id: str | None = None
    sender: Sender | None = None
    ref: str | None = None

    @classmethod
    def relay(cls, message: StoredMessage) -> Purpose:
        ref = str(message.seq) if message.seq else message.source
        return cls("relay", message.request_id, message.sender, ref)

    @classmethod
    def card(cls, request_id: str) -> Purpose:
        return cls("card", request_id)

    @classmethod
    def notice(cls, request_id: str) -> Purpose:
        return cls("notice", request_id)

    @classmethod
    def digest(cls, page: int) -> Purpose:
        return cls("digest", ref=str(page))

    @classmethod
    def resend_notice(cls, request_id: str, batch: str) -> Purpose:
        return cls("resend_notice", request_id, ref=batch)

    @classmethod
    def request(cls, request_id: str) -> Purpose:
        return cls("request", request_id)

    @property
    def page(self) -> int:
        """A digest's page (0 for a row stored without one)."""
        return int(self.ref or 0)

    def columns(self) -> tuple[str, str | None, str | None, str | None]:
        """The values of purpose_kind, purpose_request, purpose_sender, purpose_ref."""
        return self.kind, self.request_id, self.sender, self.ref


def _purpose(row: Row) -> Purpose | None:
    kind, sender = row["purpose_kind"], row["purpose_sender"]
    if kind not in _KINDS:  # none, or written by a newer version: no follow-up here
        return None
    return Purpose(kind, row["purpose_request"], sender if sender in _SENDERS else None,
                   row["purpose_ref"])


_NO_PURPOSE: tuple[None, None, None, None] = (None, None, None, None)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    chat_key: str
    chat_id: int
    method: str
    params: dict[str, Any]
    purpose: Purpose | None
    relayed: bool
    attempts: int
    not_before: float
    message_id: int | None = None
    # For an `on_failed` follow-up: "uncertain" (it may have arrived), "failed" (given up after
    # retrying), "refused" (Telegram would not take this message), "unreachable" (the chat
    # refused us).
    outcome: str | None = None


class OutboxRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring
        self.resends = ResendRepository(db)  # what its writer may send again

    def chat_key(self, chat_id: int) -> str:
        return self._keys.blind_index("chat", chat_id)

    def _row(self, row: Row) -> OutboxRow:
        key = row["row_key"]
        chat = int(OUTBOX_CHAT.open(self._keys, row["chat"], key))
        params = json.loads(OUTBOX_PAYLOAD.open(self._keys, row["payload"], key))
        return OutboxRow(row["id"], row["chat_key"], chat, row["method"], params,
                         _purpose(row), bool(row["relayed"]), row["attempts"],
                         row["not_before"], row["message_id"])

    async def add(self, chat_id: int, method: str, params: dict[str, Any], *,
                  purpose: Purpose | None, relayed: bool, now: int, key: str | None = None,
                  start: bool = False, along: Write[object] | None = None, priority: int = 0,
                  owner: str | None = None) -> tuple[OutboxRow, str]:
        """A new row and its state: "started" when `start` asked for it and nothing is queued
        before it in that chat (the row is then already marked sending: the caller must send
        it now), else "new" (pending). With a `key` already used: the row made the first time
        and its state, so a send is never made twice for the same key. One transaction, which
        also makes the write `along` (the message this row delivers, kept with it). A row
        started is held by `owner`, and is not started while another instance is sending in
        its chat."""
        key = key or secrets.token_hex(8)
        chat_key = self.chat_key(chat_id)
        edits = int(params["message_id"]) if method == "editMessageText" else None
        values = (key, chat_key, OUTBOX_CHAT.seal(self._keys, str(chat_id), key), method,
                  OUTBOX_PAYLOAD.seal(self._keys, json.dumps(params), key),
                  *(purpose.columns() if purpose else _NO_PURPOSE), int(relayed), now, priority,
                  edits)

        def insert(conn: Session) -> tuple[int, str, int | None]:
            if along is not None:
                along(conn)
            made = conn.execute(
                "INSERT INTO outbox (row_key, chat_key, chat, method, payload, "
                "purpose_kind, purpose_request, purpose_sender, purpose_ref, relayed, "
                "created_at, priority, edits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING RETURNING id", values).fetchone()
            if made is None:  # the key was used: that row
                found = conn.execute("SELECT id, state, message_id FROM outbox "
                                     "WHERE row_key = ?", (key,)).fetchone()
                return int(found["id"]), str(found["state"]), found["message_id"]
            row_id = int(made[0])
            if edits is not None:
                # Older pending edits of this message are settled unsent: this one carries
                # the whole new text. Settled, not deleted, so doing their work again after a
                # crash finds them done instead of sending an outdated text.
                conn.execute(
                    "UPDATE outbox SET state = 'sent', done_at = ?, payload = ? "
                    "WHERE chat_key = ? AND state = 'pending' AND edits = ? AND id < ?",
                    (now, b"", chat_key, edits, row_id))
            if start and conn.execute(
                    "SELECT 1 FROM outbox WHERE chat_key = ? AND (state = 'pending' AND id < ? "
                    "OR state = 'sending' AND COALESCE(owner, '') != COALESCE(?, '')) LIMIT 1",
                    (chat_key, row_id, owner)).fetchone() is None:
                conn.execute("UPDATE outbox SET state = 'sending', owner = ? WHERE id = ?",
                             (owner, row_id))
                return row_id, "started", None
            return row_id, "new", None

        row_id, state, message_id = await self._db.run(insert)
        return OutboxRow(row_id, chat_key, chat_id, method, params, purpose, relayed, 0, 0.0,
                         message_id), state

    async def mark_sending(self, row_id: int, owner: str | None = None) -> bool:
        """Just before the call: if the process dies now, nobody knows if it arrived. False
        (nothing changed) if the row is no longer waiting, or another instance is sending in
        its chat: it goes after that one."""
        return await self._db.write(
            "UPDATE outbox SET state = 'sending', owner = ?1 WHERE id = ?2 AND state = 'pending' "
            "AND NOT EXISTS (SELECT 1 FROM outbox other WHERE other.chat_key = outbox.chat_key "
            "AND other.state = 'sending' AND COALESCE(other.owner, '') != COALESCE(?1, ''))",
            (owner, row_id)) == 1

    async def take_over(self, owner: str | None, now: int, *, alone: bool) -> list[OutboxRow]:
        """Rows caught mid-call, now held by `owner`: all of them when this instance is
        `alone` on the database (at its start, before anything is sent: a crash left them),
        else those of dead instances."""
        rows: list[Row] = await self._db.run(lambda conn: conn.execute(
            "UPDATE outbox SET owner = ? WHERE state = 'sending' AND (? = 1 OR owner IS NULL "
            "OR owner NOT IN (SELECT id FROM instances WHERE seen_at >= ?)) RETURNING *",
            (owner, int(alone), alive_since(now))).fetchall())
        return [self._row(row) for row in sorted(rows, key=lambda row: int(row["id"]))]

    async def requeue(self, row_id: int, owner: str | None = None) -> None:
        await self._db.write(
            "UPDATE outbox SET state = 'pending' WHERE id = ? AND state = 'sending' "
            "AND COALESCE(owner, '') = COALESCE(?, '')", (row_id, owner))

    async def first_pending(self, chat_key: str) -> OutboxRow | None:
        """The chat's next row to send, if it can be sent now. One that cannot be opened is
        never sent out of turn: if its content is gone (settled once, then put back by a
        fault) it is settled as failed and the next one comes; if it is sealed under a key
        this instance does not have (removed too early, or another instance's newer key while
        keys are rotated) it waits OPEN_RETRY_SECONDS, with the chat behind it, for an
        instance that can open it."""
        while True:
            row = await self._db.fetch_one(
                "SELECT * FROM outbox WHERE chat_key = ? AND state = 'pending' "
                "ORDER BY id LIMIT 1", (chat_key,))
            if row is None:
                return None
            try:
                return self._row(row)
            except (DecryptionError, ValueError):
                if bytes(row["payload"]):
                    _log.error("an outbox row cannot be opened with ENCRYPTION_KEYS; it waits "
                               "%d s for an instance that can", OPEN_RETRY_SECONDS)
                    await self._db.write(
                        "UPDATE outbox SET not_before = ? WHERE id = ? AND state = 'pending'",
                        (time.time() + OPEN_RETRY_SECONDS, row["id"]))
                    return None
                _log.error("an outbox row has lost its content; it is settled as failed")
                await self._db.write(
                    "UPDATE outbox SET state = 'failed', done_at = ? "
                    "WHERE id = ? AND state = 'pending'", (int(time.time()), row["id"]))

    async def chats_due(self, now: float, *, besides: str | None = None) -> list[str]:
        """Chats whose oldest pending row may be tried now: first those where someone waits
        on any pending row (the lowest priority number), then oldest first. `besides`: leave
        out the chats where an instance other than this one is sending."""
        rows = await self._db.fetch_all(
            "SELECT o.chat_key FROM outbox o JOIN (SELECT MIN(id) AS first, MIN(priority) AS "
            "priority FROM outbox WHERE state = 'pending' GROUP BY chat_key) f "
            "ON o.id = f.first WHERE o.not_before <= ? AND (? = 0 OR NOT EXISTS ("
            "SELECT 1 FROM outbox s WHERE s.chat_key = o.chat_key AND s.state = 'sending' "
            "AND COALESCE(s.owner, '') != ?)) ORDER BY f.priority, o.id",
            (now, int(besides is not None), besides or ""))
        return [row["chat_key"] for row in rows]

    async def pending_count(self, chat_key: str) -> int:
        row = await self._db.fetch_one(
            "SELECT COUNT(*) FROM outbox WHERE chat_key = ? AND state = 'pending'", (chat_key,))
        return int(row[0]) if row else 0

    async def mark_sent(self, row_id: int, message_id: int | None, now: int,
                        owner: str | None = None) -> None:
        await self._finish(row_id, "sent", now, message_id, owner)

    async def mark_failed(self, row_id: int, now: int, owner: str | None = None) -> None:
        await self._finish(row_id, "failed", now, None, owner)

    async def mark_uncertain(self, row_id: int, now: int, owner: str | None = None) -> None:
        await self._finish(row_id, "uncertain", now, None, owner)

    async def _finish(self, row_id: int, state: str, now: int, message_id: int | None,
                      owner: str | None) -> None:
        """A row is done with: its content is no longer needed, so it is dropped. A row being
        sent is settled only by the instance sending it (`owner`): one that was taken over
        from an instance thought dead is the new owner's; a row settled already stays as it
        is."""
        await self._db.write(
            "UPDATE outbox SET state = ?, done_at = ?, message_id = ?, payload = ?, "
            "attempts = attempts + 1 WHERE id = ? AND (state = 'pending' OR state = 'sending' "
            "AND COALESCE(owner, '') = COALESCE(?, ''))",
            (state, now, message_id, b"", row_id, owner))

    async def replace_pending(self, chat_key: str, purpose: Purpose,
                              params: dict[str, Any], *,
                              along: Write[object] | None = None) -> bool:
        """Give the row of this chat and `purpose`, if it is still waiting to go, new
        parameters (and make the write `along` in the same transaction); False if there is no
        such row waiting (it has gone, or is going)."""
        def update(conn: Session) -> bool:
            found = conn.execute(
                "SELECT id, row_key FROM outbox WHERE chat_key = ? AND state = 'pending' "
                "AND purpose_kind = ? AND COALESCE(purpose_request, '') = ? "
                "AND COALESCE(purpose_sender, '') = ? AND COALESCE(purpose_ref, '') = ? "
                "ORDER BY id DESC LIMIT 1",
                (chat_key, *(value or "" for value in purpose.columns()))).fetchone()
            if found is None:
                return False
            sealed = OUTBOX_PAYLOAD.seal(self._keys, json.dumps(params), found["row_key"])
            conn.execute("UPDATE outbox SET payload = ? WHERE id = ?", (sealed, found["id"]))
            if along is not None:
                along(conn)
            return True

        return await self._db.run(update)

    async def defer(self, row_id: int, not_before: float, owner: str | None = None) -> None:
        """Try the row again later: only while it waits, or is being sent by `owner` (a row
        another instance sent meanwhile stays sent)."""
        await self._db.write(
            "UPDATE outbox SET state = 'pending', not_before = ?, attempts = attempts + 1 "
            "WHERE id = ? AND (state = 'pending' OR state = 'sending' "
            "AND COALESCE(owner, '') = COALESCE(?, ''))", (not_before, row_id, owner))

    async def defer_chat(self, chat_key: str, not_before: float, owner: str | None = None,
                         ) -> None:
        """Telegram asked this chat to wait: its rows wait (those another instance is sending
        are its own to settle)."""
        await self._db.write(
            "UPDATE outbox SET state = 'pending', "
            "not_before = CASE WHEN not_before >= ?1 THEN not_before ELSE ?1 END "
            "WHERE chat_key = ?2 AND (state = 'pending' OR state = 'sending' "
            "AND COALESCE(owner, '') = COALESCE(?3, ''))", (not_before, chat_key, owner))

    async def prune(self, now: int) -> None:
        def prune(conn: Session) -> None:
            conn.execute("DELETE FROM outbox WHERE state != 'pending' AND done_at < ?",
                         (now - KEEP_DONE_SECONDS,))
            conn.execute("DELETE FROM resends WHERE state = 'resent' AND done_at < ?",
                         (now - KEEP_DONE_SECONDS,))

        await self._db.run(prune)

    async def forget_requests(self, request_ids: list[str]) -> None:
        """/forget: the rows made for these requests (cards, notices, relays, ladder steps,
        Send again notices: every row whose purpose names one) go, in whatever chat, so not
        even how many messages there were or when is left; and with them what was kept to send
        again."""
        def forget(conn: Session) -> None:
            for request_id in request_ids:
                conn.execute("DELETE FROM outbox WHERE purpose_request = ?", (request_id,))
                conn.execute("DELETE FROM resends WHERE request_id = ?", (request_id,))

        await self._db.run(forget)

    async def forget_chat(self, chat_id: int) -> None:
        """/forget: no row addressed to this chat stays, sent or not."""
        await self._db.write("DELETE FROM outbox WHERE chat_key = ?", (self.chat_key(chat_id),))
