"""The outbox: a row first, per-chat order, flood waits honoured, nothing sent twice."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import GROUP, Harness, in_group, peer, responder
from offline import OfflineRequest

from bot.platform.outbox import DeliveryError, Purpose, send_scope
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import ConflictError
from storage.outbox import OutboxRepository
from storage.sqlite import migrations


async def _pending(harness: Harness) -> int:
    row = await harness.services.db.fetch_one(
        "SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
    return int(row[0]) if row else 0


async def test_a_flood_wait_keeps_the_message_and_the_chats_order(harness: Harness) -> None:
    outbox, alex = harness.services.outbox, 918273611
    harness.request.flood[alex] = 2
    assert await outbox.send_text(alex, "first") == 0  # kept, not lost
    assert await outbox.send_text(alex, "second") == 0  # behind the first
    outbox.pacing.all_paused_until = 0  # the brief pause for everyone is over
    assert await outbox.send_text(918273612, "another chat is not held up") > 0
    await outbox.flush()
    sent = harness.request.to(alex, "sendMessage", attempts=True)
    assert len(sent) == 1  # the refused try, then nothing into the wait
    outbox.pacing.paused_until.clear()  # the wait is over
    await harness.services.db.conn.execute("UPDATE outbox SET not_before = 0")
    await outbox.flush()
    assert harness.texts_to(alex) == ["first", "second"]
    assert await _pending(harness) == 0


async def test_pacing_keeps_under_the_group_limit(harness: Harness) -> None:
    outbox = harness.services.outbox
    outbox.group_per_minute = 19
    for n in range(25):
        await outbox.send_text(GROUP, f"card {n}")
    assert len(harness.request.to(GROUP, "sendMessage")) == 19
    assert await _pending(harness) == 6


async def test_unsent_rows_go_out_after_a_restart_and_sent_ones_do_not(
        harness: Harness, tmp_path: Path) -> None:
    outbox, alex = harness.services.outbox, 918273613
    await outbox.send_text(alex, "delivered before the crash")
    harness.request.network_down = True
    assert await outbox.send_text(alex, "kept across the crash") == 0
    request = OfflineRequest()
    async with harness.restarted(request) as app:  # a new process, same database and keys
        services = app.bot_data.services
        assert services is not None
        await services.db.conn.execute("UPDATE outbox SET not_before = 0")
        await services.outbox.flush()
    texts = [c.text for c in request.calls if c.method == "sendMessage"]
    assert texts == ["kept across the crash"]


async def test_a_relayed_message_that_timed_out_is_not_repeated(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    harness.request.time_out.add(sam.user_id)
    await harness.send(alex.text("Did this arrive?"))
    # Not a vague notice now: once the stall is over, one names it (tests/unit/test_resend.py).
    assert harness.texts_to(alex.user_id)[-1] == "Sam from the Peer Support Team has joined."
    await harness.services.outbox.flush()
    attempts = [c for c in harness.request.to(sam.user_id, attempts=True)
                if "Did this arrive?" in c.text]
    assert len(attempts) == 1  # tried once; whether it arrived is unknown, so never again
    row = await harness.services.db.fetch_one(
        "SELECT state FROM outbox WHERE relayed = 1 ORDER BY id DESC LIMIT 1")
    assert row is not None and row["state"] == "uncertain"


async def test_a_queued_relay_that_fails_later_is_reported_to_its_sender(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    harness.request.flood[alex.user_id] = 1
    await harness.send(sam.text("Still with you."))  # kept for later by the flood wait
    assert not any("Still with you" in t for t in harness.texts_to(alex.user_id))
    harness.request.blocked.add(alex.user_id)  # then the responder blocks the bot
    harness.services.outbox.pacing.paused_until.clear()
    harness.services.outbox.pacing.all_paused_until = 0
    await harness.services.db.conn.execute("UPDATE outbox SET not_before = 0")
    await harness.services.outbox.flush()
    assert f"the responder of {code} can't be reached" in harness.texts_to(sam.user_id)[-1]


async def test_a_refused_send_raises_for_a_waiting_caller(harness: Harness) -> None:
    harness.request.blocked.add(918273614)
    try:
        await harness.services.outbox.send_text(918273614, "hello")
    except DeliveryError as exc:
        assert exc.unreachable
    else:
        raise AssertionError("a blocked chat must raise DeliveryError")


async def test_a_busy_group_gets_one_digest_instead_of_a_card_each(harness: Harness) -> None:
    harness.services.outbox.busy_per_minute = 2
    sam = peer()
    await harness.register_peer(sam)
    names = ["Aurelio", "Beatrix", "Cosimo", "Dorothea", "Evander"]
    codes = [await harness.open_request(responder(918273620 + n, names[n])) for n in range(5)]
    sends = harness.request.to(GROUP, "sendMessage")
    assert len(sends) == 3  # two cards, then one digest
    digest = harness.request.to(GROUP)[-1]
    assert "3 requests waiting" in digest.text
    assert [b["text"] for b in digest.buttons] == [f"Claim {c}" for c in codes[2:]]
    for secret in ("Cosimo", "Dorothea", "918273622"):
        assert secret not in str(digest.params)

    data = next(b["callback_data"] for b in digest.buttons if codes[3] in b["text"])
    await harness.send(in_group(sam).press(data))
    assert "is yours" in harness.request.answers()[-1]
    digest = harness.request.to(GROUP, "editMessageText")[-1]
    assert "2 requests waiting" in digest.text and codes[3] not in digest.text

    for n in (2, 4):
        await harness.send(responder(918273620 + n, names[n]).command("/end"))
    assert "has been picked up or closed" in harness.request.to(GROUP, "editMessageText")[-1].text
    assert len(harness.request.to(GROUP, "sendMessage")) == 3  # and never a card each


async def test_the_sender_survives_a_failing_pass(harness: Harness) -> None:
    outbox, alex = harness.services.outbox, 918273615
    harness.request.network_down = True
    await outbox.send_text(alex, "kept while the network is down")
    harness.request.network_down = False
    await harness.services.db.conn.execute("UPDATE outbox SET not_before = 0")
    original = outbox.rows.first_pending
    calls = 0

    async def locked_once(chat_key: str) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise sqlite3.OperationalError("database is locked")
        return await original(chat_key)

    outbox._rows.first_pending = locked_once  # type: ignore[method-assign]
    await outbox.flush()  # this pass fails for that chat, and is logged, not raised
    await outbox.flush()
    assert harness.texts_to(alex) == ["kept while the network is down"]


async def test_a_failed_commit_does_not_wedge_later_writes(harness: Harness) -> None:
    db = harness.services.db
    await db.conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(ConflictError):
        async with db.transaction() as conn:
            await conn.execute("PRAGMA defer_foreign_keys = ON")
            await conn.execute("INSERT INTO feedback (request_id, rating, created_at) "
                               "VALUES ('no-such-request', 3, 0)")
    await harness.open_request(responder())  # later writes still work


async def test_when_the_overall_limit_holds_rows_back_the_person_answered_goes_first(
        harness: Harness) -> None:
    """A burst fills Telegram's overall limit: a responder's acknowledgement goes before a
    notice to a peer queued earlier, which goes before taking buttons off an old message;
    each chat keeps its own order."""
    outbox, peer_chat, tidy_chat = harness.services.outbox, 2001, 918273616
    alex, pressed = 918273617, 918273618
    calls = harness.request.calls
    made_before = len(calls)
    outbox.overall_per_second = 1
    outbox.pacing.recent.append(outbox._clock())  # this second's budget is spent
    assert await outbox.send_text(peer_chat, "New request R-AAAA",
                                  purpose=Purpose.notice("a")) == 0
    await outbox.clear_keyboard(tidy_chat, 5)
    assert await outbox.send_text(peer_chat, "New request R-BBBB",
                                  purpose=Purpose.notice("b")) == 0
    assert await outbox.send_text(alex, "Your request R-BBBB is with the team.") == 0
    assert await outbox.send_text(alex, "If you need someone now, call 988.") == 0
    # A chat whose first row is tidying but where someone waits behind it ranks as a person's.
    await outbox.clear_keyboard(pressed, 6)
    assert await outbox.send_text(pressed, "Thank you, that is noted.") == 0
    sent: list[tuple[int | None, str]] = []
    for _ in range(7):  # a second later each time: room for one more message
        outbox.pacing.recent.clear()
        await harness.services.db.write("UPDATE outbox SET not_before = 0")
        await outbox.flush()
        sent += [(call.chat_id, call.method) for call in calls[made_before + len(sent):]]
    assert sent == [(alex, "sendMessage"), (alex, "sendMessage"),
                    (pressed, "editMessageReplyMarkup"), (pressed, "sendMessage"),
                    (peer_chat, "sendMessage"), (peer_chat, "sendMessage"),
                    (tidy_chat, "editMessageReplyMarkup")]
    assert harness.texts_to(alex) == ["Your request R-BBBB is with the team.",
                                      "If you need someone now, call 988."]
    assert harness.texts_to(peer_chat) == ["New request R-AAAA", "New request R-BBBB"]


async def test_only_the_newest_pending_edit_of_a_message_is_sent(harness: Harness) -> None:
    """Each edit carries the whole text, so while the limit holds edits back only the newest
    one of each message goes; one settled unsent is not sent when its work is done again."""
    outbox, group = harness.services.outbox, GROUP
    calls = harness.request.calls
    made_before = len(calls)
    outbox.pacing.recent.extend([outbox._clock()] * outbox.overall_per_second)  # budget spent
    with send_scope("u41"):
        await outbox.edit_text(group, 5, "Waiting: R-AAAA", team=True)
    await outbox.edit_text(group, 5, "Waiting: R-AAAA, R-BBBB", team=True)
    await outbox.edit_text(group, 6, "R-CCCC was claimed", team=True)
    await outbox.edit_text(group, 5, "Waiting: R-AAAA, R-BBBB, R-DDDD", team=True)
    outbox.pacing.recent.clear()
    await harness.services.db.write("UPDATE outbox SET not_before = 0")
    await outbox.flush()
    with send_scope("u41"):  # the first edit's update handled again (after a crash)
        await outbox.edit_text(group, 5, "Waiting: R-AAAA", team=True)
    await outbox.flush()
    edits = [(call.params["message_id"], call.params["text"]) for call in calls[made_before:]
             if call.method == "editMessageText"]
    assert edits == [(6, "R-CCCC was claimed"), (5, "Waiting: R-AAAA, R-BBBB, R-DDDD")]


async def test_rows_made_for_a_ladder_step_go_with_their_request(harness: Harness) -> None:
    """A step's rows are keyed by their request: each names it in its purpose, so /forget
    takes them all, the digest page sent for it too, and nothing made outside the step."""
    outbox, db, request_id = harness.services.outbox, harness.services.db, "0123456789abcdef"
    with send_scope(f"s{request_id}.100.1", request_id=request_id):
        await outbox.send_text(918273619, "Your request is still waiting.")
        await outbox.send_text(GROUP, "3 requests waiting", purpose=Purpose.digest(0))
        await outbox.send_text(GROUP, "R-AAAA", purpose=Purpose.card(request_id))
    await outbox.send_text(918273619, "Outside the step.")
    rows = await db.fetch_all("SELECT purpose_kind, purpose_request, purpose_ref FROM outbox "
                              "WHERE row_key LIKE ? ORDER BY id", (f"s{request_id}.%",))
    assert [tuple(row) for row in rows] == [("request", request_id, None),
                                            ("digest", request_id, "0"),
                                            ("card", request_id, None)]
    await outbox.rows.forget_requests([request_id])
    left = await db.fetch_all("SELECT row_key, purpose_request FROM outbox")
    assert [row["purpose_request"] for row in left] == [None]
    assert request_id not in left[0]["row_key"]


async def test_rows_queued_before_the_purpose_columns_keep_their_purpose(
        tmp_path: Path) -> None:
    """Migration 0017 splits the old `purpose` string into columns once: a row an older
    version queued is followed up as what it was, and still goes with its request."""
    keys = Keyring([secrets.token_bytes(32)], secrets.token_bytes(32))
    request, batch, source = "0123456789abcdef", "fedcba9876543210", "ab" * 32
    step = f"s{request}.100.1.abcdef.sendMessage"
    purposes: dict[str, tuple[str | None, Purpose | None]] = {
        "k1": (f"card:{request}", Purpose.card(request)),
        "k2": (f"notice:{request}", Purpose.notice(request)),
        "k3": ("digest:2", Purpose.digest(2)),
        "k4": ("digest:", Purpose("digest")),
        "k5": (f"relay:{request}:peer:7", Purpose("relay", request, "peer", "7")),
        "k6": (f"relay:{request}:responder:{source}",
               Purpose("relay", request, "responder", source)),
        "k7": (f"relay:{request}:responder", Purpose("relay", request, "responder")),
        "k8": (f"again:{request}:{batch}", Purpose.resend_notice(request, batch)),
        f"{step}.1": (None, Purpose.request(request)),
        f"{step}.2": ("digest:0", Purpose("digest", request, ref="0")),
        "u41.abcdef.sendMessage.1": (None, None),
    }
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    for number, script in migrations():
        if number <= 16:
            old.executescript(script)
    for key, (purpose, _) in purposes.items():
        old.execute(
            "INSERT INTO outbox (row_key, chat_key, chat, method, payload, purpose, state, "
            "created_at) VALUES (?, ?, ?, 'sendMessage', ?, ?, 'sending', 0)",
            (key, keys.blind_index("chat", 5), keys.seal("5", f"outbox.chat:{key}"),
             keys.seal('{"text": "x"}', f"outbox.payload:{key}"), purpose))
    old.execute("PRAGMA user_version = 16")
    old.commit()
    old.close()

    db = await open_database(path)
    try:
        rows = OutboxRepository(db, keys)
        in_flight = await rows.take_over("this-run", 0, alone=True)
        keyed = {row["id"]: row["row_key"] for row in await db.fetch_all(
            "SELECT id, row_key FROM outbox")}
        assert {keyed[row.id]: row.purpose for row in in_flight} == {
            key: purpose for key, (_, purpose) in purposes.items()}
        assert Purpose("digest").page == 0 and Purpose.digest(2).page == 2
        plan = await db.fetch_all("EXPLAIN QUERY PLAN DELETE FROM outbox "
                                  "WHERE purpose_request = ?", (request,))
        assert "outbox_purpose_request" in str([tuple(row) for row in plan])
        await rows.forget_requests([request])
        left = await db.fetch_all("SELECT row_key FROM outbox ORDER BY id")
        assert [row["row_key"] for row in left] == ["k3", "k4", "u41.abcdef.sendMessage.1"]
    finally:
        await db.close()
