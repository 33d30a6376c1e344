"""/forget, retention and key rotation, on real database files."""

from __future__ import annotations

import secrets
from pathlib import Path

from conftest import GROUP, Harness, peer, responder

from bot.platform.inbox import Inbox
from bot.safety import erasure
from storage import retention
from storage.crypto import Keyring
from storage.rotation import rotate
from storage.sealed import SEALED, SealedColumn


def _files(harness: Harness) -> bytes:
    path = harness.services.db.path
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


async def test_forget_deletes_every_row_and_the_text_leaves_the_files(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, "Words that must disappear entirely.")
    await harness.send(alex.text("And a second sentence to erase."))
    await harness.send(sam.command("/note A note on words that must disappear."))
    await harness.send(alex.command("/forget"))
    assert "cannot be undone" in harness.texts_to(alex.user_id)[-1]
    await harness.press(alex, "Yes, delete everything")
    assert "everything the bot kept about you has been deleted" in harness.texts_to(
        alex.user_id)[-1]
    assert harness.texts_to(sam.user_id)[-1] == f"Conversation {code} has ended."
    db = harness.services.db
    for table in ("requests", "messages", "notes", "feedback", "notices"):
        row = await db.fetch_one(f"SELECT COUNT(*) FROM {table}")
        assert row is not None and row[0] == 0, table
    chat_key = harness.services.outbox.rows.chat_key(alex.user_id)
    row = await db.fetch_one("SELECT COUNT(*) FROM outbox WHERE chat_key = ?", (chat_key,))
    assert row is not None and row[0] == 0
    index = harness.services.requests._responder_index(alex.user_id)
    assert index.encode() not in _files(harness)
    wal = Path(f"{db.path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated
    await harness.send(sam.text("anyone?"))
    assert "no open conversation" in harness.texts_to(sam.user_id)[-1]


async def test_forget_can_be_cancelled(harness: Harness) -> None:
    alex = responder()
    await harness.open_request(alex)
    await harness.send(alex.command("/forget"))
    await harness.press(alex, "^Cancel$")
    assert harness.request.answers()[-1] == "Nothing was deleted."
    assert await harness.services.requests.live_for_responder(alex.user_id) is not None


async def test_retention_purges_old_closed_conversations_only(harness: Harness) -> None:
    sam, old, recent = peer(), responder(918273631, "Old"), responder(918273632, "New")
    await harness.claimed(old, sam, "From long ago.")
    await harness.send(sam.command("/note A note that goes with it."))
    await harness.send(old.command("/end"))
    await harness.open_request(recent, "Still talking.")
    services = harness.services
    now = services.clock()
    services.clock = lambda: now + 31 * 86400  # 31 days later
    assert await erasure.purge(services) == 1
    rows = await services.db.fetch_all("SELECT request_id FROM messages")
    live = await services.requests.live_for_responder(recent.user_id)
    assert live is not None and [r["request_id"] for r in rows] == [live.id]
    assert await services.db.fetch_all("SELECT request_id FROM notes") == []
    purged = await services.db.fetch_one(
        "SELECT responder_index, length(responder_chat) FROM requests WHERE state = 'closed'")
    assert purged is not None and purged[0].startswith("purged:") and purged[1] == 0
    assert await erasure.purge(services) == 0  # once
    assert GROUP  # the card stays; it never held content


async def test_rotation_reseals_everything_under_the_new_key(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam, "Sealed under the old key.")
    await harness.send(sam.command("/note A case note under the old key."))
    settings = harness.app.bot_data.settings
    assert settings is not None
    old = settings.encryption_keys[0]
    new = secrets.token_bytes(32)
    rotated = Keyring([new, old], settings.index_key)
    report = await rotate(harness.services.db, rotated)
    assert report.resealed > 0 and report.before[2] == report.resealed
    assert report.old_keys_unused
    only_new = Keyring([new], settings.index_key)
    again = await rotate(harness.services.db, only_new)  # nothing needs the old key any more
    assert again.resealed == 0 and not again.unreadable and again.old_keys_unused


async def test_rotation_reports_values_no_listed_key_opens(harness: Harness) -> None:
    await harness.open_request(responder(), "Under a key that is about to go missing.")
    settings = harness.app.bot_data.settings
    assert settings is not None
    stranger = Keyring([secrets.token_bytes(32)], settings.index_key)
    report = await rotate(harness.services.db, stranger)
    assert report.resealed == 0
    assert report.unreadable["requests.intake"] == 1
    assert report.unreadable["messages.body"] == 1
    assert not report.old_keys_unused


async def test_a_peer_forgets_only_what_they_asked_for_as_a_responder(harness: Harness) -> None:
    sam, kit = peer(2001, "Sam"), peer(2002, "Kit")
    await harness.register_peer(kit)
    code = await harness.claimed(sam, kit, "I need support myself after that call.")
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    held_for_others = await harness.services.db.fetch_all(
        "SELECT id FROM outbox WHERE purpose_request LIKE ?", (f"%{request.id}%",))
    assert held_for_others  # the card and relays of Sam's own request were outbox rows

    await harness.send(sam.command("/forget"))
    assert "Your peer registration" in harness.texts_to(sam.user_id)[-1]
    await harness.press(sam, "(?i)delete everything")

    assert "Your peer registration stays" in harness.texts_to(sam.user_id)[-1]
    assert await harness.services.peers.get(sam.user_id) is not None  # still a peer
    assert await harness.services.requests.get(request.id) is None
    assert harness.texts_to(kit.user_id)[-1] == f"Conversation {code} has ended."
    assert await harness.services.db.fetch_all(
        "SELECT id FROM outbox WHERE purpose_request LIKE ? OR row_key LIKE ?",
        (f"%{request.id}%", f"%{request.id}%")) == []


async def test_the_confirmation_arrives_even_when_the_chat_is_waiting(harness: Harness) -> None:
    """Found in CI: queued behind a flood wait, the confirmation was deleted with the rest of
    the chat's rows and never arrived."""
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    await harness.send(alex.command("/forget"))
    harness.request.flood[alex.user_id] = 30  # Telegram makes alex's chat wait 30 s
    await harness.send(sam.text("Still here."))  # queued for alex behind that wait
    await harness.press(alex, "(?i)delete everything")
    assert harness.texts_to(alex.user_id)[-1].startswith("Done: everything the bot kept")
    assert await harness.services.db.fetch_all(
        "SELECT id FROM outbox WHERE chat_key = ?",
        (harness.services.outbox.rows.chat_key(alex.user_id),)) == []


async def test_only_a_prompt_shown_to_that_person_recently_erases(harness: Harness) -> None:
    """issue 15, item 12: a pressed forget:yes with no /forget before it, another person's
    prompt, and a prompt older than ten minutes erase nothing."""
    alex, blake = responder(), responder(918273633, "Blake")
    await harness.open_request(alex)
    services = harness.services

    async def still_there() -> bool:
        return await services.requests.live_for_responder(alex.user_id) is not None

    await harness.send(alex.press("forget:yes"))  # forged: no prompt was ever shown
    assert "no longer valid" in harness.request.answers()[-1] and await still_there()

    await harness.send(alex.command("/forget"))
    data, message_id = harness.button(alex.user_id, "Yes, delete everything")
    await harness.send(blake.press(data, message_id))  # someone else's prompt
    assert "no longer valid" in harness.request.answers()[-1] and await still_there()

    now = services.clock()
    services.clock = lambda: now + erasure.CONFIRM_SECONDS + 1  # too late
    await harness.send(alex.press(data, message_id))
    assert "no longer valid" in harness.request.answers()[-1] and await still_there()

    services.clock = lambda: now + 60  # in time, the person it was shown to
    await harness.send(alex.press(data, message_id))
    assert not await still_there()


async def test_a_purge_removes_the_outbox_rows_that_tie_the_request_to_its_chat(
        harness: Harness) -> None:
    """issue 15, item 7: sent rows are kept a day; a purge within that day must not leave the
    purged request's id beside the responder's chat key."""
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, "Soon to be purged.")
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    await harness.send(alex.command("/end"))
    services = harness.services
    pattern = f"%{request.id}%"
    query = "SELECT COUNT(*) FROM outbox WHERE purpose_request LIKE ? OR row_key LIKE ?"
    before = await services.db.fetch_one(query, (pattern, pattern))
    assert before is not None and before[0] > 0  # the control: such rows exist
    now = services.clock()
    purged = await retention.purge(services.db, services.requests, services.inbox,
                                   services.outbox.rows, services.digests, now=now + 60,
                                   retention_days=0.0001)
    assert purged == 1
    after = await services.db.fetch_one(query, (pattern, pattern))
    assert after is not None and after[0] == 0


async def test_every_sealed_value_is_in_a_column_of_the_registry(harness: Harness) -> None:
    """A sealed column left out of storage/sealed.py would make `rotate-keys` call an old
    key unused while values still need it. Fill every kind of row the bot writes, then look
    at every blob in every table: whatever a listed key sealed must be in a listed column."""
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam, "Sealed, and rotated with the rest.")
    await harness.send(sam.text("I'm here."))
    await harness.send(sam.command("/note A case note, sealed too."))
    await harness.send(alex.command("/language es"))
    inbox = Inbox(harness.app, harness.services)
    await inbox.receive([alex.text("Through the inbox too.")])
    await inbox.settled()
    harness.request.network_down = True  # rows left pending, with their sealed payload
    await harness.services.outbox.send_text(sam.user_id, "waiting to go")
    harness.request.network_down = False

    settings = harness.app.bot_data.settings
    assert settings is not None
    keyring = Keyring(list(settings.encryption_keys), settings.index_key)
    listed = {(column.table, column.column) for column in SEALED}
    db = harness.services.db
    found: set[tuple[str, str]] = set()
    for (table,) in await db.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        columns = [c["name"] for c in await db.fetch_all(f"PRAGMA table_info({table})")]
        for column in columns:
            for (value,) in await db.fetch_all(
                    f"SELECT {column} FROM {table} WHERE typeof({column}) = 'blob'"):
                if len(value) > 5 and keyring.sealed_with(bytes(value)) is not None:
                    found.add((table, column))
    assert found, "the flow above should have sealed something"
    assert found <= listed, f"sealed but not in storage/sealed.py: {sorted(found - listed)}"
    assert {("requests", "intake"), ("messages", "body"), ("outbox", "payload"),
            ("notes", "body")} <= found


async def test_after_forget_no_sealed_column_holds_anything_of_the_responder(
        harness: Harness) -> None:
    """Every column of storage/sealed.py after /forget: those erased with a request or a person
    hold no row of this responder's, and no value left in any column (the inbox and the outbox
    included) opens to anything they wrote or to their chat id."""
    sam, alex = peer(), responder()
    words = "Nobody may read this sentence after forget."
    await harness.claimed(alex, sam, "The first words of the request.")
    inbox = Inbox(harness.app, harness.services)
    await inbox.receive([alex.text(words)])  # as the running bot takes updates in
    await inbox.settled()
    await harness.send(sam.text("I read you."))
    await harness.send(sam.command(f"/note {words}"))  # the team's note on the conversation
    live = await harness.services.requests.live_for_responder(alex.user_id)
    assert live is not None
    # What names the responder's rows, by how each column says it is erased.
    owner = {"request": live.id, "person": harness.services.languages._key(alex.user_id)}
    db = harness.services.db

    async def rows_of(column: SealedColumn) -> int:
        row = await db.fetch_one(
            f"SELECT COUNT(*) FROM {column.table} WHERE {column.keys[0]} = ?",
            (owner[column.erased_with],))
        assert row is not None
        return int(row[0])

    erased_with_them = [c for c in SEALED if c.erased_with in owner]
    assert {c.erased_with for c in erased_with_them} == {"request", "person"}
    for column in erased_with_them:
        assert await rows_of(column) > 0, column.name
    await harness.send(alex.command("/forget"))
    await harness.press(alex, "Yes, delete everything")
    assert "has been deleted" in harness.texts_to(alex.user_id)[-1]
    for column in erased_with_them:
        assert await rows_of(column) == 0, column.name

    settings = harness.app.bot_data.settings
    assert settings is not None
    keyring = Keyring(list(settings.encryption_keys), settings.index_key)
    opened = 0
    for column in SEALED:
        rows = await db.fetch_all(
            f"SELECT {', '.join(column.keys)}, {column.column} FROM {column.table} "
            f"WHERE length({column.column}) > 0")
        for row in rows:
            plain = column.open(keyring, bytes(row[column.column]),
                                *(row[k] for k in column.keys))
            opened += 1
            assert words not in plain, column.name
            assert str(alex.user_id) not in plain, column.name
    assert opened, "the peer's side (their inbox updates, their language) is still there"


async def test_a_follow_up_check_in_is_sealed_listed_and_erased(harness: Harness) -> None:
    """The check-ins table (migration 0022): its chat and language are sealed in a column of
    the registry, no plaintext of the responder's is in the files, /forget deletes it."""
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam, "A conversation that ends with a check-in.")
    await harness.send(alex.command("/end"))
    await harness.press(alex, "^In 24 hours$")
    settings = harness.app.bot_data.settings
    assert settings is not None
    keyring = Keyring(list(settings.encryption_keys), settings.index_key)
    db = harness.services.db
    rows = await db.fetch_all("SELECT * FROM checkins")
    assert len(rows) == 1
    listed = {(column.table, column.column) for column in SEALED}
    names = [c["name"] for c in await db.fetch_all("PRAGMA table_info(checkins)")]
    for name in names:
        value = rows[0][name]
        if isinstance(value, bytes) and len(value) > 5 and keyring.sealed_with(value) is not None:
            assert ("checkins", name) in listed
        assert str(alex.user_id) not in str(value), name
    await db.checkpoint()
    assert str(alex.user_id).encode() not in _files(harness)
    await harness.send(alex.command("/forget"))
    await harness.press(alex, "Yes, delete everything")
    row = await db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 0
