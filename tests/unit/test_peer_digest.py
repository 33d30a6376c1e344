"""An on-call peer's digest: while their private chat is busy, new requests are listed in one
message they can claim from, edited as requests come and go (bot/requests/digest.py)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from conftest import GROUP, PEER_IDS, Harness, in_group, peer, responder
from offline import Call, OfflineRequest, Person, as_update

from bot.platform import keyboards
from bot.requests import digest
from bot.safety import erasure
from locales import LANGUAGES, Texts

NAMES = ("Aurelio", "Beatrix", "Cosimo", "Dorothea", "Evander")
RESPONDERS = [responder(918273640 + n, name) for n, name in enumerate(NAMES)]
WAITING = "You are on call, and new requests are arriving fast"
DONE = "Every request listed here has been picked up or closed."


async def _on_call(harness: Harness, who: Person) -> None:
    await harness.register_peer(who)
    await harness.send(who.command("/oncall 8h"))
    assert "You are on call until" in harness.texts_to(who.user_id)[-1]


def _hold(harness: Harness, chat_id: int) -> None:
    """Telegram asked this chat to wait a minute (a 429): it is busy until `_release`."""
    outbox = harness.services.outbox
    outbox.pacing.paused_until[outbox.rows.chat_key(chat_id)] = outbox._clock() + 60


async def _release(harness: Harness) -> None:
    """The wait is over: whatever was kept for later goes now."""
    outbox = harness.services.outbox
    outbox.pacing.paused_until.clear()
    await harness.services.db.conn.execute("UPDATE outbox SET not_before = 0")
    await outbox.flush()


def _digest(harness: Harness, chat_id: int) -> Call:
    """The digest in this chat as it reads now: the newest digest text sent or edited."""
    return next(c for c in reversed(harness.request.to(chat_id))
                if c.method in ("sendMessage", "editMessageText")
                and (WAITING in c.text or c.text == DONE))


def _codes(call: Call) -> list[str]:
    return re.findall(r"R-[2-9A-Z]{4}", call.text)


async def _request_id(harness: Harness, code: str) -> str:
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    return request.id


async def _listed(harness: Harness, chat_id: int) -> int:
    row = await harness.services.db.fetch_one(
        "SELECT COUNT(*) FROM digest_entries WHERE chat_id = ?", (chat_id,))
    return int(row[0]) if row else 0


async def _busy_spell(harness: Harness, sam: Person, people: list[Person]) -> list[str]:
    """`people` open requests while Sam's chat waits; then the wait ends."""
    _hold(harness, sam.user_id)
    codes = [await harness.open_request(person, f"A hard week, {person.first_name}.")
             for person in people]
    await _release(harness)
    return codes


async def test_a_busy_peer_gets_one_digest_to_claim_from(harness: Harness) -> None:
    sam = peer()
    await _on_call(harness, sam)
    sent_before = len(harness.request.to(sam.user_id, "sendMessage"))
    codes = await _busy_spell(harness, sam, RESPONDERS[:3])

    posted = harness.request.to(sam.user_id, "sendMessage")[sent_before:]
    assert len(posted) == 1  # one digest, not a notice each
    listing = _digest(harness, sam.user_id)
    assert "3 requests waiting" in listing.text and _codes(listing) == codes
    assert [b["text"] for b in listing.buttons] == [f"Claim {c}" for c in codes]
    for secret in (*NAMES[:3], "918273640", "alex_private", "A hard week"):
        assert not any(secret in str(c.params) for c in harness.request.to(sam.user_id))
    assert len(harness.request.to(GROUP, "sendMessage")) == 3  # the group was not busy

    first = await harness.services.digests.message_id(sam.user_id)
    assert first is not None
    data = next(b["callback_data"] for b in listing.buttons if codes[1] in b["text"])
    await harness.send(sam.press(data, first))
    assert harness.request.answers()[-1].startswith(f"{codes[1]} is yours")
    listing = _digest(harness, sam.user_id)
    assert "2 requests waiting" in listing.text and _codes(listing) == [codes[0], codes[2]]

    for person in (RESPONDERS[0], RESPONDERS[2]):
        await harness.send(person.command("/end"))
    assert _digest(harness, sam.user_id).text == DONE
    assert await harness.services.digests.message_id(sam.user_id) is None
    assert await _listed(harness, sam.user_id) == 0

    # The next busy spell starts a new digest at the bottom of the chat.
    [later] = await _busy_spell(harness, sam, RESPONDERS[3:4])
    fresh = _digest(harness, sam.user_id)
    assert "1 request waiting" in fresh.text and _codes(fresh) == [later]
    assert await harness.services.digests.message_id(sam.user_id) not in (None, first)


async def test_when_the_chat_is_not_busy_the_peer_gets_a_notice_as_before(
        harness: Harness) -> None:
    sam = peer()
    await _on_call(harness, sam)
    code = await harness.open_request(RESPONDERS[0])
    notice = harness.request.to(sam.user_id, "sendMessage")[-1]
    assert notice.text.startswith("A new request is waiting") and code in notice.text
    assert [b["text"] for b in notice.buttons] == ["Claim"]
    assert await harness.services.digests.message_id(sam.user_id) is None


async def test_a_stale_digest_button_says_so(harness: Harness) -> None:
    sam, kit = peer(2001, "Sam"), peer(2002, "Kit")
    await _on_call(harness, sam)
    await harness.register_peer(kit)
    codes = await _busy_spell(harness, sam, RESPONDERS[:2])
    old = _digest(harness, sam.user_id)
    taken = await _request_id(harness, codes[0])
    await harness.send(in_group(kit).press(f"claim:{taken}"))
    assert harness.request.answers()[-1].startswith(f"{codes[0]} is yours")
    assert _codes(_digest(harness, sam.user_id)) == [codes[1]]

    data = next(b["callback_data"] for b in old.buttons if codes[0] in b["text"])
    await harness.send(sam.press(data))  # the button of the digest as it read before
    assert harness.request.answers()[-1] == "Already claimed by another peer."
    request = await harness.services.requests.get_by_code(codes[0])
    assert request is not None and request.peer_id == kit.user_id  # nothing changed


async def test_a_digest_turns_a_line_urgent_and_speaks_the_peers_language(
        harness: Harness) -> None:
    sam = peer()
    await _on_call(harness, sam)
    await harness.send(sam.command("/language fr"))
    codes = await _busy_spell(harness, sam, RESPONDERS[:2])
    listing = harness.request.to(sam.user_id)[-1]
    assert listing.text.startswith("Vous êtes de garde")
    assert "2 demandes en attente" in listing.text
    await harness.send(RESPONDERS[1].text("honestly I don't want to be alive anymore"))
    lines = harness.request.to(sam.user_id, "editMessageText")[-1].text.splitlines()
    assert next(line for line in lines if codes[1] in line).startswith("URGENT")
    assert not next(line for line in lines if codes[0] in line).startswith("URGENT")


async def test_an_edit_overtaken_by_a_later_change_is_made_again(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two changes handled at once: the one that read the digest first reaches the outbox
    last. Its older text must not be the digest's last word."""
    sam = peer()
    await harness.register_peer(sam)  # not on call: the requests reach no digest by themselves
    codes = [await harness.open_request(person) for person in RESPONDERS[:3]]
    services = harness.services
    first, second, third = [await services.requests.get_by_code(code) for code in codes]
    assert first and second and third
    await digest.add(services, sam.user_id, first)
    edit_text, held, go_on = services.outbox.edit_text, asyncio.Event(), asyncio.Event()

    async def late_once(*args: Any, **kwargs: Any) -> None:
        if not held.is_set():
            held.set()
            await go_on.wait()
        await edit_text(*args, **kwargs)

    monkeypatch.setattr(services.outbox, "edit_text", late_once)
    slow = asyncio.create_task(digest.add(services, sam.user_id, second))  # reads 2, waits
    await held.wait()
    await digest.add(services, sam.user_id, third)  # reads 3, edits
    go_on.set()
    await slow  # its edit (2) arrives last, then it reads again and catches up
    assert _codes(_digest(harness, sam.user_id)) == codes

    await asyncio.gather(*(harness.send(p.command("/end")) for p in RESPONDERS[:2]))
    assert _codes(_digest(harness, sam.user_id)) == codes[2:]


async def test_a_digest_too_long_for_one_message_goes_on_in_pages(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request must stay claimable: past a page's worth, a new message takes the next
    ones, and each page changes alone as its requests are claimed."""
    monkeypatch.setattr(digest, "PAGE_SIZE", 2)
    sam = peer()
    await _on_call(harness, sam)
    codes = await _busy_spell(harness, sam, RESPONDERS)
    pages = [c for c in harness.request.to(sam.user_id, "sendMessage") if WAITING in c.text]
    assert len(pages) == 3
    digests = harness.services.digests
    ids = [await digests.message_id(sam.user_id, page) or 0 for page in range(3)]
    assert all(ids)
    listed = []
    for message_id in ids:
        edits = [c for c in harness.request.to(sam.user_id, "editMessageText")
                 if int(c.params["message_id"]) == message_id]
        listed.append(_codes(edits[-1]))
        assert [b["text"] for b in edits[-1].buttons] == [f"Claim {c}" for c in listed[-1]]
    assert listed == [codes[:2], codes[2:4], codes[4:]]

    edits_before = len(harness.request.to(sam.user_id, "editMessageText"))
    await harness.send(sam.press(f"claim:{await _request_id(harness, codes[3])}", ids[1]))
    [edit] = harness.request.to(sam.user_id, "editMessageText")[edits_before:]
    assert int(edit.params["message_id"]) == ids[1] and _codes(edit) == [codes[2]]
    await harness.send(RESPONDERS[2].command("/end"))
    assert harness.request.to(sam.user_id, "editMessageText")[-1].text == DONE
    assert await digests.message_id(sam.user_id, 1) is None  # page 1 is done with
    assert await digests.message_id(sam.user_id, 0) == ids[0]


def test_a_full_page_of_the_longest_lines_fits_in_one_message(harness: Harness) -> None:
    """PAGE_SIZE holds in every language, with the longest answers and URGENT on each line."""
    for language in LANGUAGES:
        texts = harness.services.texts_in(language)

        def longest(keys: list[str], texts: Texts = texts) -> str:
            return max((texts(key) for key in [*keys, "not_given"]), key=len)

        line = texts("digest_line_urgent", line=texts(
            "digest_line", code="R-ABCD",
            urgency=longest([f"urgency_{u}" for u in keyboards.URGENCIES]),
            discipline=longest([f"discipline_{d}" for d in keyboards.DISCIPLINES]),
            agency=longest(["agency_outside", "agency_any"])))
        lines = "\n".join([line] * digest.PAGE_SIZE)
        assert len(lines) <= digest.MAX_TEXT_CHARS, language
        assert len(texts.plural("digest_peer", digest.PAGE_SIZE, lines=lines)) <= 4096


async def test_a_peers_digest_survives_a_restart(harness: Harness) -> None:
    sam, kit = peer(2001, "Sam"), peer(2002, "Kit")
    await _on_call(harness, sam)
    await harness.register_peer(kit)
    codes = await _busy_spell(harness, sam, RESPONDERS[:2])
    digest_id = await harness.services.digests.message_id(sam.user_id)
    assert digest_id is not None
    taken = await _request_id(harness, codes[0])
    request = OfflineRequest(members=set(PEER_IDS))
    async with harness.restarted(request) as app:  # a new process, same database and keys
        await app.process_update(as_update(in_group(kit).press(f"claim:{taken}"), app.bot))
        edit = request.to(sam.user_id, "editMessageText")[-1]
        assert int(edit.params["message_id"]) == digest_id
        assert "1 request waiting" in edit.text and _codes(edit) == [codes[1]]


async def test_forget_and_retention_take_requests_out_of_every_digest(
        harness: Harness) -> None:
    sam = peer()
    alex, other = RESPONDERS[0], RESPONDERS[1]
    await _on_call(harness, sam)
    codes = await _busy_spell(harness, sam, [alex, other])
    await harness.send(alex.command("/forget"))
    await harness.press(alex, "Yes, delete everything")
    assert _codes(_digest(harness, sam.user_id)) == [codes[1]]
    assert await _listed(harness, sam.user_id) == 1

    # A line left behind by a crash between a close and its rewrite goes with the purge.
    services = harness.services
    await harness.send(other.command("/end"))
    closed = await _request_id(harness, codes[1])
    await services.digests.add_entry(sam.user_id, closed, digest.PAGE_SIZE)
    now = services.clock()
    services.clock = lambda: now + 31 * 86400
    assert await erasure.purge(services) == 1
    assert await _listed(harness, sam.user_id) == 0
