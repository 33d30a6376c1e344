"""Case notes (/note TEXT, /notes [CODE]) through the real application: kept sealed for the
team, never sent to the responder, shown to the next peer who claims the conversation,
refused clearly to anyone else, counted in /stats and the audit log, erased with the request."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import pytest
from conftest import GROUP, Harness, in_group, peer, responder
from offline import Person

from bot.requests import notes
from bot.safety import erasure
from storage.backend import Database
from storage.crypto import DecryptionError, Keyring
from storage.notes import NoteRepository
from storage.requests import RequestRepository
from storage.sealed import NOTE_BODY, OUTBOX_PAYLOAD

COORDINATOR = 3001
NOTE = "Talked about sleep after the pier call.\nWants to hear about the EAP: {not a field}."
SECRET = "Marigold harbour"  # a distinctive word, to search for


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR})}


def _last(harness: Harness, person: Person) -> str:
    return harness.texts_to(person.user_id)[-1]


async def _note_rows(harness: Harness) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in await harness.services.db.fetch_all(
        "SELECT request_id, seq, body FROM notes ORDER BY request_id, seq")]


async def test_a_note_is_kept_sealed_for_the_team_and_listed(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, "First words.")
    to_alex = len(harness.request.to(alex.user_id))

    await harness.send(sam.command(f"/note {NOTE} {SECRET}"))
    saved = _last(harness, sam)
    assert saved.startswith(f"Note kept for {code}, for the team only")
    assert "the responder never sees it" in saved and f"Notes on {code}: 1." in saved
    assert SECRET not in saved  # the confirmation does not repeat the note

    # Sealed at rest, bound to its row, and the alias of its writer kept with it.
    [(request_id, seq, body)] = await _note_rows(harness)
    assert seq == 1 and SECRET.encode() not in bytes(body) and b"Sam" not in bytes(body)
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request_id == request.id
    [kept] = await harness.services.notes.of_request(request.id)
    assert (kept.alias, kept.text) == ("Sam", f"{NOTE} {SECRET}")  # line break kept, as written

    await harness.send(sam.command("/notes"))
    listing, footer = harness.texts_to(sam.user_id)[-2:]
    assert listing.startswith(f"Private notes on {code}, for the team only (the responder "
                              "never sees them):\n\nSam, ")
    assert listing.endswith(f":\n{NOTE} {SECRET}")
    assert footer.startswith(f"Notes on {code}: 1. Whoever holds this conversation after you")
    listed = [c for c in harness.request.to(sam.user_id) if SECRET in c.text][-1]
    assert "parse_mode" not in listed.params  # plain text: nothing in it is interpreted

    # The responder never got any of it; nothing else about the conversation changed.
    assert len(harness.request.to(alex.user_id)) == to_alex
    assert not [c for c in harness.request.calls if SECRET in str(c.params)
                and c.chat_id != sam.user_id]
    after = await harness.services.requests.get(request.id)
    assert after is not None and after.last_activity_at == request.last_activity_at

    # The audit log has the fact, with the code and the peer: never the text.
    [entry] = [e for e in await harness.services.audit.latest() if e.action == "note"]
    assert (entry.actor, entry.actor_id, entry.request_code, entry.detail) == (
        "peer", sam.user_id, code, None)
    await harness.send(Person(COORDINATOR, "Casey").command("/audit"))
    audit = _last(harness, Person(COORDINATOR, "Casey"))
    assert f"Sam · wrote a case note · {code}" in audit and SECRET not in audit


async def test_the_next_peer_sees_the_notes_when_they_claim(harness: Harness) -> None:
    sam, kit, alex = peer(2001, "Sam"), peer(2002, "Kit"), responder()
    await harness.register_peer(kit)
    code = await harness.claimed(alex, sam, "First words.")
    await harness.send(sam.command("/note Knows the chaplain; prefers evenings."))
    await harness.send(sam.command(f"/note {SECRET}: do not push on the family."))
    await harness.send(sam.command("/release going off shift"))
    assert f"{code} is back in the queue" in _last(harness, sam)
    assert not [t for t in harness.texts_to(alex.user_id) if "chaplain" in t or SECRET in t]

    data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(kit).press(data, message_id))
    briefing = harness.texts_to(kit.user_id)
    start = next(i for i, t in enumerate(briefing) if t.startswith(f"You have claimed {code}"))
    briefing = briefing[start:]
    history = briefing.index(f"{code}: First words.")
    [shown] = [i for i, t in enumerate(briefing) if "private notes" in t]
    outro = next(i for i, t in enumerate(briefing) if "goes to the responder of" in t)
    assert history < shown < outro  # after the history, before the conversation goes on
    text = briefing[shown]
    assert text.startswith(f"The team's private notes on {code}, written by the peers who "
                           "held it before you. The responder never sees them")
    assert "Sam, " in text and "Knows the chaplain; prefers evenings." in text
    assert text.index("chaplain") < text.index(SECRET)  # oldest first

    await harness.send(kit.command("/notes"))
    assert "Knows the chaplain" in harness.texts_to(kit.user_id)[-2]
    await harness.send(kit.command("/note Picked up from Sam."))
    assert f"Notes on {code}: 3." in _last(harness, kit)
    await harness.send(sam.command("/notes"))  # Sam no longer holds it
    assert "no open conversation" in _last(harness, sam)
    await harness.send(sam.command(f"/notes {code}"))
    assert _last(harness, sam) == f"{code} isn't one of your open conversations."
    assert not [t for t in harness.texts_to(alex.user_id) if "chaplain" in t or SECRET in t]


async def test_a_conversation_without_notes_briefs_as_before(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam, "First words.")
    assert not [t for t in harness.texts_to(sam.user_id) if "private notes" in t]
    await harness.send(sam.command("/notes"))
    assert _last(harness, sam) == (f"{code} has no notes yet. /note TEXT adds one; the "
                                   "responder never sees them.")


async def test_what_is_refused_and_how(harness: Harness) -> None:
    sam, kim, alex = peer(2001, "Sam"), peer(2002, "Kim"), responder()
    await harness.register_peer(kim)

    # Not a peer (a responder, with a request of their own even): the peers' answer.
    await harness.open_request(alex)
    for text in ("/note", "/note hello", "/notes", "/notes R-AAAA"):
        await harness.send(alex.command(text))
        assert _last(harness, alex) == "This command is for peers of the Peer Support Team."
    # In the peer group: that happens in private.
    for text in ("/note in the group", "/notes"):
        await harness.send(in_group(kim).command(text))
        assert harness.texts_to(GROUP)[-1].startswith("Peers register and talk with responders")
    # A peer holding no conversation.
    await harness.send(kim.command("/note something"))
    assert _last(harness, kim).startswith("You have no open conversation.")
    await harness.send(kim.command("/notes"))
    assert _last(harness, kim).startswith("You have no open conversation.")

    code = await harness.claimed(responder(918273602, "Blake"), sam)
    # No text: how to write one, and the limit.
    for text in ("/note", "/note   ", f"/note@{harness.app.bot.username} "):
        await harness.send(sam.command(text))
        usage = _last(harness, sam)
        assert usage.startswith("Write the note after the command, for example: /note"), text
        assert f"Up to {notes.MAX_NOTE_CHARS} characters" in usage
    # Too long: said how long, and not kept (nothing cut silently).
    await harness.send(sam.command("/note " + "x" * (notes.MAX_NOTE_CHARS + 1)))
    assert _last(harness, sam).startswith(
        f"This note is {notes.MAX_NOTE_CHARS + 1} characters long; a note holds up to "
        f"{notes.MAX_NOTE_CHARS}. It was not kept")
    await harness.send(sam.command("/note " + "y" * notes.MAX_NOTE_CHARS))  # exactly the limit
    assert _last(harness, sam).startswith(f"Note kept for {code}")
    # Another peer's conversation by code.
    await harness.send(kim.command(f"/notes {code}"))
    assert _last(harness, kim) == f"{code} isn't one of your open conversations."
    # Several conversations and none chosen: which one, and it was not kept.
    other = await harness.open_request(responder(918273603, "Casey"))
    data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(sam).press(data, message_id))
    await harness.services.peers.set_current(sam.user_id, None, harness.services.clock())
    await harness.send(sam.command("/note which one?"))
    assert _last(harness, sam).startswith(
        f"You hold several conversations ({code}, {other}) and it isn't clear which one this "
        "note is about, so it was not kept.")
    assert len(await _note_rows(harness)) == 1
    await harness.send(sam.command(f"/switch {other}"))
    await harness.send(sam.command("/note for the second one"))
    assert _last(harness, sam).startswith(f"Note kept for {other}")
    assert [e.request_code for e in await harness.services.audit.latest()
            if e.action == "note"] == [other, code]


async def test_the_same_note_handled_twice_is_kept_once(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    update = sam.command("/note Only once, please.")
    await harness.send(update)
    await harness.send(update)  # handled again, as after a crash before it was marked done
    assert len(await _note_rows(harness)) == 1
    assert f"Notes on {code}: 1." in _last(harness, sam)
    assert [e.action for e in await harness.services.audit.latest()].count("note") == 1


async def test_a_conversation_keeps_a_bounded_number_of_notes(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notes, "MAX_NOTES", 2)
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    for number in (1, 2):
        await harness.send(sam.command(f"/note number {number}"))
    await harness.send(sam.command("/note number 3"))
    assert _last(harness, sam) == (f"{code} already has 2 notes, the most a conversation "
                                   "keeps, so this one was not kept.")
    assert len(await _note_rows(harness)) == 2


async def test_long_notes_are_listed_over_several_messages_each_marked(
        harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    for letter in "abcde":
        await harness.send(sam.command(f"/note {letter * notes.MAX_NOTE_CHARS}"))
    before = len(harness.texts_to(sam.user_id))
    await harness.send(sam.command("/notes"))
    *pages, footer = harness.texts_to(sam.user_id)[before:]
    assert len(pages) == 2 and footer.startswith(f"Notes on {code}: 5.")
    for page in pages:
        assert page.startswith(f"Private notes on {code}, for the team only")
        assert len(page) <= 4096
    joined = "".join(pages)
    assert all(letter * notes.MAX_NOTE_CHARS in joined for letter in "abcde")


async def test_stats_count_the_notes_written_blurred(harness: Harness) -> None:
    casey = Person(COORDINATOR, "Casey")
    await harness.send(casey.command("/stats"))
    assert "Case notes written: 0" in _last(harness, casey)
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    await harness.send(sam.command(f"/note {SECRET}"))
    await harness.send(casey.command("/stats"))
    assert "Case notes written: <5" in _last(harness, casey)
    for number in range(4):
        await harness.send(sam.command(f"/note more {number}"))
    await harness.send(casey.command("/stats all"))
    stats_text = _last(harness, casey)
    assert "Case notes written: 5" in stats_text and SECRET not in stats_text


async def test_notes_go_with_their_request(harness: Harness) -> None:
    """The retention purge deletes a closed conversation's notes; /forget a responder's."""
    sam, old, alex = peer(), responder(918273631, "Old"), responder()
    await harness.claimed(old, sam, "From long ago.")
    await harness.send(sam.command("/note An old note."))
    await harness.send(sam.command("/close"))
    code = await harness.open_request(alex, "Still talking.")
    data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(sam).press(data, message_id))
    await harness.send(sam.command(f"/note {SECRET}"))
    await harness.send(sam.command("/notes"))  # the listing is an outbox row of the request
    live = await harness.services.requests.get_by_code(code)
    assert live is not None
    assert len(await _note_rows(harness)) == 2

    services = harness.services
    now = services.clock()
    services.clock = lambda: now + 31 * 86400
    assert await erasure.purge(services) == 1
    assert [row[0] for row in await _note_rows(harness)] == [live.id]  # the live one stays
    services.clock = lambda: now

    await harness.send(alex.command("/forget"))
    await harness.press(alex, "Yes, delete everything")
    assert await _note_rows(harness) == []
    assert await services.db.fetch_all(
        "SELECT id FROM outbox WHERE purpose_request = ?", (live.id,)) == []
    settings = harness.app.bot_data.settings
    assert settings is not None
    keyring = Keyring(list(settings.encryption_keys), settings.index_key)
    for (row_key, payload) in await services.db.fetch_all(
            "SELECT row_key, payload FROM outbox WHERE length(payload) > 0"):
        assert SECRET not in OUTBOX_PAYLOAD.open(keyring, bytes(payload), row_key)


async def test_the_repository_on_each_database(db: Database) -> None:
    """Kept sealed and bound to its row, once per source message, at most `limit`, in order
    when written at once, and deleted with its request (the foreign key: /forget)."""
    keys = Keyring([secrets.token_bytes(32)], secrets.token_bytes(32))
    requests, repository = RequestRepository(db, keys), NoteRepository(db, keys)
    request = await requests.start_intake(918273645, 918273645, now=1)
    source = repository.source(2001, 7)
    first = await repository.add(request.id, "Sam", SECRET, 5, source=source, limit=30)
    again = await repository.add(request.id, "Sam", SECRET, 6, source=source, limit=30)
    assert (first.seq, first.new, first.count) == (1, True, 1)
    assert (again.seq, again.new, again.count) == (1, False, 1)
    added = await asyncio.gather(*(
        repository.add(request.id, "Kit", f"note {n}", 7, source=repository.source(2002, n),
                       limit=30) for n in range(20)))
    assert sorted(a.seq or 0 for a in added) == list(range(2, 22))
    full = await repository.add(request.id, "Kit", "one too many", 8,
                                source=repository.source(2002, 99), limit=21)
    assert (full.seq, full.new, full.count) == (None, False, 21)
    stored = await repository.of_request(request.id)
    assert [n.seq for n in stored] == list(range(1, 22))
    assert (stored[0].alias, stored[0].text, stored[0].created_at) == ("Sam", SECRET, 5)

    [row] = await db.fetch_all("SELECT body FROM notes WHERE request_id = ? AND seq = 1",
                               (request.id,))
    sealed = bytes(row["body"])
    assert SECRET.encode() not in sealed
    with pytest.raises(DecryptionError):  # moved to another row, it does not open
        NOTE_BODY.open(keys, sealed, request.id, 2)

    assert await requests.forget_responder(918273645) == 1
    assert await repository.of_request(request.id) == []
