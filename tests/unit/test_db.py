"""One trip, one transaction: the SQLite backend's `run` and `write`, and the relay that uses
them to keep a message and the row that delivers it together."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from conftest import Harness, peer, responder

from storage.errors import ConflictError, StorageError

PEER = peer()
ALEX = responder()


async def _count(harness: Harness, table: str) -> int:
    row = await harness.services.db.fetch_one(f"SELECT COUNT(*) FROM {table}")
    return int(row[0]) if row else 0


async def test_run_keeps_every_write_of_its_work_or_none(harness: Harness) -> None:
    db = harness.services.db
    await db.run(lambda conn: conn.execute("CREATE TABLE probe (n INTEGER)"))

    def two_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO probe VALUES (1)")
        conn.execute("INSERT INTO probe VALUES (2)")
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(StorageError):
        await db.run(two_then_fail)
    assert await _count(harness, "probe") == 0
    assert await db.run(lambda conn: conn.execute("INSERT INTO probe VALUES (3)").rowcount) == 1
    assert await db.write("UPDATE probe SET n = 4") == 1  # the connection is not left in a
    assert await _count(harness, "probe") == 1             # half-done transaction


async def test_only_a_durable_run_waits_for_the_disk(harness: Harness) -> None:
    """NORMAL (1) for everything; FULL (2) for the commit that must survive a power cut (the
    stored update), and back to NORMAL after it, even when it fails."""
    db = harness.services.db

    def level(conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA synchronous").fetchone()[0])

    assert await db.run(level) == 1
    assert await db.run(level, durable=True) == 2
    assert await db.run(level) == 1

    def fails(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(StorageError):
        await db.run(fails, durable=True)
    assert await db.run(level) == 1


async def test_a_relayed_message_is_stored_with_its_outbox_row_or_not_at_all(
        harness: Harness) -> None:
    """If the row that would deliver it cannot be written, the message is not kept either, is
    not sent, and its writer is told; nothing is half done."""
    await harness.claimed(ALEX, PEER)
    stored, rows = await _count(harness, "messages"), await _count(harness, "outbox")
    relayed = len(harness.texts_to(PEER.user_id))
    await harness.services.db.write(
        "CREATE TRIGGER full_disk BEFORE INSERT ON outbox BEGIN "
        "SELECT RAISE(ABORT, 'database or disk is full'); END")
    await harness.send(ALEX.text("Are you still there?"))
    assert [type(error) for error in harness.errors] == [ConflictError]
    harness.errors.clear()
    assert await _count(harness, "messages") == stored
    assert await _count(harness, "outbox") == rows
    assert len(harness.texts_to(PEER.user_id)) == relayed
    assert "could not be stored" in harness.texts_to(ALEX.user_id)[-1]

    await harness.services.db.write("DROP TRIGGER full_disk")
    await harness.send(ALEX.text("Are you still there?"))
    assert await _count(harness, "messages") == stored + 1
    assert harness.texts_to(PEER.user_id)[-1].endswith("Are you still there?")


async def test_a_transaction_cancelled_at_its_begin_leaves_later_writes_committed(
        harness: Harness) -> None:
    """A task cancelled while its BEGIN is on the way to SQLite's thread (a shutdown) must not
    leave the shared connection inside that transaction: a later single-statement write
    would then never be committed."""
    db = harness.services.db
    await db.write("CREATE TABLE probe (n INTEGER)")

    async def cancelled_writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO probe VALUES (1)")

    task = asyncio.create_task(cancelled_writer())
    await asyncio.sleep(0)  # it has taken the lock and sent BEGIN
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await db.write("INSERT INTO probe VALUES (2)")
    other = sqlite3.connect(db.path)  # sees only what is committed
    try:
        assert other.execute("SELECT n FROM probe").fetchall() == [(2,)]
    finally:
        other.close()
