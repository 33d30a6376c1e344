"""Whole flows of the bot on PostgreSQL (the harness with DATABASE_URL; the hand-off itself
runs on both databases in test_flow.py): fifty peers pressing Claim at once, /forget, key
rotation, a relayed message kept with its outbox row or not at all, and no plaintext in any
column."""

from __future__ import annotations

import asyncio
import secrets

import pytest
from conftest import GROUP, Harness, in_group, peer, responder
from offline import Person

from bot.platform.inbox import Inbox
from storage.crypto import Keyring
from storage.errors import StorageFullError
from storage.rotation import rotate, survey


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Every harness of this module runs on a new PostgreSQL database."""
    return postgres_url


async def test_fifty_peers_pressing_claim_at_once_make_one_claim(harness: Harness) -> None:
    peers = [Person(3000 + n, f"Peer{n}") for n in range(50)]
    harness.request.members.update(p.user_id for p in peers)
    for each in peers:
        await harness.register_peer(each)
    code = await harness.open_request(responder())
    data, message_id = harness.button(GROUP, "Claim")
    await asyncio.gather(*(harness.send(in_group(p).press(data, message_id)) for p in peers))
    winners = [a for a in harness.request.answers() if "is yours" in a]
    assert len(winners) == 1
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.state == "claimed"
    assert sum(f"You have claimed {code}" in t for p in peers for t in harness.texts_to(
        p.user_id)) == 1


async def test_forget_deletes_every_row(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, "Words that must disappear entirely.")
    await harness.send(alex.text("And a second sentence to erase."))
    await harness.send(alex.command("/forget"))
    await harness.press(alex, "Yes, delete everything")
    assert "everything the bot kept about you has been deleted" in harness.texts_to(
        alex.user_id)[-1]
    assert harness.texts_to(sam.user_id)[-1] == f"Conversation {code} has ended."
    db = harness.services.db
    for table in ("requests", "messages", "feedback", "notices"):
        row = await db.fetch_one(f"SELECT COUNT(*) FROM {table}")
        assert row is not None and row[0] == 0, table
    chat_key = harness.services.outbox.rows.chat_key(alex.user_id)
    row = await db.fetch_one("SELECT COUNT(*) FROM outbox WHERE chat_key = ?", (chat_key,))
    assert row is not None and row[0] == 0
    assert await harness.services.languages.get(alex.user_id) is None


async def test_rotation_reseals_everything_under_the_new_key(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam, "Sealed under the old key.")
    await harness.send(sam.text("A reply, sealed too."))  # messages: named by two columns
    await harness.send(alex.command("/language es"))
    settings = harness.app.bot_data.settings
    assert settings is not None
    old, new = settings.encryption_keys[0], secrets.token_bytes(32)
    report = await rotate(harness.services.db, Keyring([new, old], settings.index_key))
    assert report.resealed > 0 and report.before[2] == report.resealed
    assert report.old_keys_unused
    only_new = Keyring([new], settings.index_key)
    again = await rotate(harness.services.db, only_new)
    assert again.resealed == 0 and not again.unreadable and again.old_keys_unused
    found = await survey(harness.services.db, only_new)
    assert found.readable == report.resealed and not found.unreadable
    stranger = await survey(harness.services.db, Keyring([old], settings.index_key))
    assert stranger.readable == 0 and sum(stranger.unreadable.values()) == report.resealed


async def test_a_relayed_message_is_stored_with_its_outbox_row_or_not_at_all(
        harness: Harness) -> None:
    """The server's disk fills as the row that would deliver it is written: the message is
    not kept either, not sent, and its writer is told."""
    alex, sam = responder(), peer()
    await harness.claimed(alex, sam)
    db = harness.services.db

    async def count(table: str) -> int:
        row = await db.fetch_one(f"SELECT COUNT(*) FROM {table}")
        return int(row[0]) if row else 0

    stored, rows = await count("messages"), await count("outbox")
    relayed = len(harness.texts_to(sam.user_id))
    await db.write("CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100'; END $$")
    await db.write("CREATE TRIGGER disk_full BEFORE INSERT ON outbox "
                   "FOR EACH ROW EXECUTE FUNCTION disk_full()")
    await harness.send(alex.text("Are you still there?"))
    assert [type(error) for error in harness.errors] == [StorageFullError]
    harness.errors.clear()
    assert await count("messages") == stored and await count("outbox") == rows
    assert len(harness.texts_to(sam.user_id)) == relayed
    assert "could not be stored" in harness.texts_to(alex.user_id)[-1]

    await db.write("DROP TRIGGER disk_full ON outbox")
    await harness.send(alex.text("Are you still there?"))
    assert await count("messages") == stored + 1
    assert harness.texts_to(sam.user_id)[-1].endswith("Are you still there?")


async def test_no_column_holds_plaintext(harness: Harness) -> None:
    """What the responder wrote (as the running bot takes it in, through the inbox) and their
    Telegram id are in no text or bytea column of any table."""
    sam, alex = peer(), responder()
    words = "Nobody may read this sentence in the database."
    await harness.claimed(alex, sam, "The first words of the request.")
    inbox = Inbox(harness.app, harness.services)
    await inbox.receive([alex.text(words)])
    await inbox.settled()
    assert harness.texts_to(sam.user_id)[-1].endswith(words)  # it went through
    await harness.send(sam.text("I read you."))
    await harness.send(alex.command("/language es"))

    db = harness.services.db
    columns = await db.fetch_all(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type IN ('text', 'bytea')")
    assert len(columns) > 40
    secrets_of_alex = (words.encode(), b"The first words", str(alex.user_id).encode(),
                       alex.first_name.encode(), b"alex_private")
    found = []
    for table, column in columns:
        for (value,) in await db.fetch_all(
                f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
            raw = bytes(value) if isinstance(value, bytes | memoryview) else value.encode()
            found += [f"{table}.{column}" for secret in secrets_of_alex if secret in raw]
    assert found == []
