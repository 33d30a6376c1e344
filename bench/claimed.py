"""Seeding claimed conversations, sealed as the bot seals them, for the start-up and sweep
benchmarks: what a busy network holds between two of its deadlines.

A third of the conversations were claimed in the last five minutes and their peer has not
written yet (the first reminder falls due 5 to 10 minutes later with the default
PEER_REPLY_MINUTES of 10); the others have an exchange under way, last written to within the
last ten hours (the inactivity close is 38 to 48 hours away with the default 48). Nothing falls
due while a benchmark runs.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import asdict

from bench.common import unique_codes
from storage.backend import Database
from storage.crypto import Keyring
from storage.requests import Intake
from storage.session import Session

PEERS = 50
FIRST_PEER = 6000  # clear of the emulator's outsiders (3001-3005), who count as having left


async def seed_claimed(db: Database, keyring: Keyring, count: int, now: int,
                       first_responder: int = 500_000_000) -> list[str]:
    """`count` claimed conversations held by PEERS registered peers, in one transaction (on
    either backend); their ids."""
    rng = random.Random(14)  # noqa: S311 (not a secret)
    taken = {row[0] for row in await db.fetch_all("SELECT code FROM requests")}
    codes = unique_codes(count, rng, taken)
    intake = json.dumps(asdict(Intake(urgency="today", outside_agency=False,
                                      discipline="police", language="en")))
    peers = [(FIRST_PEER + n, f"Peer {n}", now - 86_400, now) for n in range(PEERS)]
    rows, ids = [], []
    for n, code in enumerate(codes):
        request_id = secrets.token_hex(8)
        ids.append(request_id)
        responder = first_responder + n
        if n % 3 == 0:  # claimed minutes ago; the peer has not written yet
            claimed_at = now - (n * 7919) % 300
            last, peer_last = claimed_at, None
        else:  # an exchange under way
            last = now - (n * 7919) % 36_000
            claimed_at, peer_last = last - 3600, last
        rows.append((
            request_id, code, keyring.blind_index("responder", responder),
            keyring.seal(str(responder), f"requests.responder_chat:{request_id}"),
            keyring.seal(intake, f"requests.intake:{request_id}"),
            FIRST_PEER + n % PEERS, claimed_at - 600, claimed_at - 600, claimed_at - 600,
            claimed_at, claimed_at, peer_last, last))

    def insert(session: Session) -> None:
        session.executemany(
            "INSERT INTO peers (user_id, alias, registered_at, last_active_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", peers)
        session.executemany(
            "INSERT INTO requests (id, code, responder_index, responder_chat, state, "
            "intake_step, intake, peer_id, created_at, opened_at, queued_at, claimed_at, "
            "first_claimed_at, peer_last_message_at, last_activity_at) "
            "VALUES (?, ?, ?, ?, 'claimed', 'done', ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    await db.run(insert)
    return ids
