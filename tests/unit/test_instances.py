"""Several instances on one database, on each backend: who is alive, what a dead one held and
who takes it over, one chat's rows sent by one instance at a time, and periodic work leased to
one instance per period. (Two real processes behind a balancer: tests/e2e/test_instances.py.)"""

from __future__ import annotations

import asyncio
import secrets
import time
from types import SimpleNamespace
from typing import Any

import pytest

from bot.platform.instances import Instance, only_one
from bot.platform.outbox.pacing import GROUP_PER_MINUTE, OVERALL_PER_SECOND, Pacing
from storage.backend import Database
from storage.crypto import Keyring
from storage.inbox import Earlier, InboxRepository
from storage.instances import DEAD_AFTER_SECONDS, InstanceRepository
from storage.outbox import OutboxRepository, OutboxRow

NOW = 1_800_000_000
CHAT = 918273601


INDEX_KEY = secrets.token_bytes(32)


@pytest.fixture
def keys() -> Keyring:
    return Keyring([secrets.token_bytes(32)], INDEX_KEY)


async def _queued(outbox: OutboxRepository, text: str, chat: int = CHAT, **start: Any,
                  ) -> OutboxRow:
    row, _ = await outbox.add(chat, "sendMessage", {"text": text}, purpose=None, relayed=True,
                              now=NOW, **start)
    return row


def _update(update_id: int, chat: int = CHAT) -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": update_id, "chat": {"id": chat}}}


async def test_instances_alive_and_gone(db: Database) -> None:
    instances = InstanceRepository(db)
    await instances.beat("a", NOW)
    await instances.beat("b", NOW - DEAD_AFTER_SECONDS - 1)  # silent too long
    assert await instances.alive(NOW) == 1
    await instances.beat("b", NOW)
    assert await instances.alive(NOW) == 2
    await instances.leave("b", NOW)
    assert await instances.alive(NOW) == 1


async def test_updates_of_a_dead_instance_are_taken_over_and_a_live_ones_are_not(
        db: Database, keys: Keyring) -> None:
    instances, inbox = InstanceRepository(db), InboxRepository(db, keys)
    await instances.beat("alive", NOW)
    await instances.beat("dead", NOW - DEAD_AFTER_SECONDS - 1)
    await inbox.store([_update(1)], [CHAT], NOW, "alive")
    await inbox.store([_update(2)], [CHAT], NOW, "dead")
    await instances.beat("me", NOW)
    await instances.beat("someone-else", NOW)
    # A redelivery to the other instance is not stored again.
    assert await inbox.store([_update(1)], [CHAT], NOW, "dead") == []

    taken = await inbox.take_over("me", NOW, alone=False)
    assert [row.update_id for row in taken] == [2]
    assert await inbox.take_over("someone-else", NOW, alone=False) == []  # mine now
    # Alone on the database (at the start of the only instance): everything unfinished.
    assert [row.update_id for row in await inbox.take_over("me", NOW, alone=True)] == [1, 2]


async def test_the_earlier_updates_of_a_chat_and_who_holds_them(
        db: Database, keys: Keyring) -> None:
    instances, inbox = InstanceRepository(db), InboxRepository(db, keys)
    await instances.beat("a", NOW)
    await instances.beat("b", NOW)
    await inbox.store([_update(1)], [CHAT], NOW, "a")
    await inbox.store([_update(2), _update(3, chat=7)], [CHAT, 7], NOW, "b")
    assert await inbox.earlier(2, CHAT, NOW) == [Earlier(1, "a", True)]  # wait for a
    assert await inbox.earlier(3, 7, NOW) == []  # another chat
    await inbox.mark_done([1], NOW)
    assert await inbox.earlier(2, CHAT, NOW) == []
    await inbox.store([_update(4)], [CHAT], NOW, "a")
    await instances.leave("a", NOW)  # gone: its update is taken over, once
    assert await inbox.earlier(5, CHAT, NOW) == [Earlier(2, "b", True), Earlier(4, "a", False)]
    taken = await inbox.take_over_one(4, "b", NOW)
    assert taken is not None and taken.raw == _update(4)
    assert await inbox.take_over_one(4, "c", NOW) is None


async def test_one_chats_rows_are_sent_by_one_instance_at_a_time(
        db: Database, keys: Keyring) -> None:
    outbox = OutboxRepository(db, keys)
    first, second = await _queued(outbox, "1"), await _queued(outbox, "2")
    assert await outbox.mark_sending(first.id, "a")
    assert not await outbox.mark_sending(first.id, "b")  # a has it
    assert not await outbox.mark_sending(second.id, "b")  # a is sending in this chat
    assert await outbox.chats_due(NOW, besides="b") == []
    # Another instance's wait or result does not touch a's row.
    await outbox.mark_failed(first.id, NOW, "b")
    await outbox.defer_chat(outbox.chat_key(CHAT), NOW + 60, "b")
    row = await db.fetch_one("SELECT state FROM outbox WHERE id = ?", (first.id,))
    assert row is not None and row["state"] == "sending"
    await outbox.mark_sent(first.id, 11, NOW, "a")
    # b read the row as waiting just before a sent it, then met a limit: it stays sent.
    await outbox.defer(first.id, NOW + 5, "b")
    await outbox.mark_failed(first.id, NOW, "b")
    row = await db.fetch_one("SELECT state, message_id FROM outbox WHERE id = ?", (first.id,))
    assert row is not None and (row["state"], row["message_id"]) == ("sent", 11)
    assert await outbox.mark_sending(second.id, "b")
    # Started straight away by a caller: not while another instance sends in the chat.
    _, state = await outbox.add(CHAT, "sendMessage", {"text": "3"}, purpose=None,
                                relayed=True, now=NOW, start=True, owner="a")
    assert state == "new"


async def test_rows_a_dead_instance_was_sending_are_taken_over_once(
        db: Database, keys: Keyring) -> None:
    instances, outbox = InstanceRepository(db), OutboxRepository(db, keys)
    await instances.beat("alive", NOW)
    await instances.beat("dead", NOW - DEAD_AFTER_SECONDS - 1)
    live, _ = await outbox.add(CHAT, "sendMessage", {"text": "x"}, purpose=None,
                               relayed=True, now=NOW, start=True, owner="alive")
    lost, _ = await outbox.add(7, "sendMessage", {"text": "y"}, purpose=None,
                               relayed=False, now=NOW, start=True, owner="dead")
    await instances.beat("me", NOW)
    await instances.beat("other", NOW)
    taken = await outbox.take_over("me", NOW, alone=False)
    assert [row.id for row in taken] == [lost.id]
    assert await outbox.take_over("other", NOW, alone=False) == []
    await outbox.requeue(lost.id, "me")
    assert await outbox.mark_sending(lost.id, "me")
    assert live.id != lost.id


async def test_periodic_work_is_leased_to_one_instance_per_period(db: Database) -> None:
    instances = InstanceRepository(db)
    assert await instances.take_job("sweep", "a", NOW, 15)
    assert not await instances.take_job("sweep", "b", NOW + 5, 15)
    assert await instances.take_job("retention", "b", NOW + 5, 3600)  # another job
    assert await instances.take_job("sweep", "a", NOW + 15, 15)  # its next period
    assert not await instances.take_job("sweep", "b", NOW + 29, 15)
    assert await instances.take_job("sweep", "b", NOW + 31, 15)  # a stopped taking it


async def test_a_job_stopped_half_way_is_left_for_the_next_instance(db: Database) -> None:
    """A nightly backup cancelled by a shutdown: its 12 h lease is let go of, so another
    instance, or this one started again (a new id), takes the job at once."""
    instances = InstanceRepository(db)
    services = SimpleNamespace(instance=Instance(shared=True, id="a"), instances=instances,
                               clock=lambda: NOW)
    began = asyncio.Event()

    async def backup() -> None:
        began.set()
        await asyncio.sleep(3600)

    running = asyncio.create_task(only_one(services, "backup", 12 * 3600, backup))  # type: ignore[arg-type]
    await began.wait()
    assert not await instances.take_job("backup", "b", NOW + 60, 12 * 3600)  # a's, running
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert await instances.take_job("backup", "a-restarted", NOW + 60, 12 * 3600)
    # A job that ended keeps its lease for the period.
    done = SimpleNamespace(instance=Instance(shared=True, id="c"), instances=instances,
                           clock=lambda: NOW + 13 * 3600)
    await only_one(done, "backup", 12 * 3600, lambda: asyncio.sleep(0))  # type: ignore[arg-type]
    assert not await instances.take_job("backup", "d", NOW + 13 * 3600 + 60, 12 * 3600)


def test_each_instance_keeps_to_its_share_of_the_flood_budget() -> None:
    pacing = Pacing(lambda: float(NOW))
    assert pacing.room() == OVERALL_PER_SECOND
    pacing.shares = 2
    assert pacing.room() == OVERALL_PER_SECOND // 2
    for _ in range(GROUP_PER_MINUTE // 2):
        pacing.count("group", -100, "sendMessage")
    assert pacing.group_full("group")  # half the group's minute is this instance's
    pacing.shares = 1
    assert not pacing.group_full("group")


async def test_a_row_that_cannot_be_opened_is_set_aside_not_sent_forever(
        db: Database, keys: Keyring) -> None:
    outbox = OutboxRepository(db, keys)
    broken, after = await _queued(outbox, "1"), await _queued(outbox, "2")
    await db.write("UPDATE outbox SET payload = ? WHERE id = ?", (b"", broken.id))
    found = await outbox.first_pending(outbox.chat_key(CHAT))
    assert found is not None and found.id == after.id and found.params == {"text": "2"}
    row = await db.fetch_one("SELECT state FROM outbox WHERE id = ?", (broken.id,))
    assert row is not None and row["state"] == "failed"


async def test_a_row_sealed_under_a_key_this_instance_lacks_waits_with_its_chat(
        db: Database, keys: Keyring) -> None:
    outbox = OutboxRepository(db, keys)
    other = OutboxRepository(db, Keyring([secrets.token_bytes(32)], INDEX_KEY))
    await _queued(other, "new key")
    await _queued(outbox, "after")
    assert await outbox.first_pending(outbox.chat_key(CHAT)) is None  # not out of turn
    assert await outbox.chats_due(time.time()) == []  # and nobody spins on it
    first = await other.first_pending(outbox.chat_key(CHAT))
    assert first is not None and first.params == {"text": "new key"}  # still there, intact
