"""Case notes: the peer holding a conversation keeps private notes on it (/note TEXT), reads them
(/notes [CODE]), and whoever claims it next is shown them with the history.

Notes are the team's: never sent to the responder, sealed at rest like messages (storage/notes.py)
and erased with their request (/forget, the retention purge). Every message that carries a
note's text names its request in its outbox purpose, so that it goes with the request too. The
audit log records that a note was written ("note"), the log the request code: never the text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from babel.dates import format_datetime

from bot.platform import guards
from bot.platform.outbox import DeliveryError
from bot.platform.replies import Reply
from bot.platform.services import Services
from locales import Texts
from storage.notes import Note
from storage.outbox import Purpose
from storage.peers import Peer
from storage.requests import Request

_log = logging.getLogger(__name__)

MAX_NOTE_CHARS = 1000  # a note, in characters: short enough to read at a claim
MAX_NOTES = 50  # per conversation: what a claiming peer is shown stays readable
PAGE_CHARS = 3800  # one Telegram message holds 4096; a page of notes stays under it


@guards.peers_only
async def add(services: Services, peer: Peer, text: str | None, *, message_id: int) -> Reply:
    """/note TEXT: a private note on the peer's current conversation. `message_id`: the /note
    message's, so that it is kept once however often it is handled."""
    if not text:
        return Reply("note_usage", {"max": MAX_NOTE_CHARS})
    request = await guards.current_conversation(services, peer)
    if isinstance(request, Reply):
        if request.key == "peer_which_conversation":  # say it was not kept, nor sent
            return Reply("note_which_conversation", request.values)
        return request
    if len(text) > MAX_NOTE_CHARS:
        return Reply("note_too_long", {"max": MAX_NOTE_CHARS, "length": len(text)})
    added = await services.notes.add(request.id, peer.alias, text, services.clock(),
                                     source=services.notes.source(peer.user_id, message_id),
                                     limit=MAX_NOTES)
    if added.seq is None:
        return Reply("note_full", {"code": request.code, "max": MAX_NOTES})
    if added.new:
        _log.info("request %s: a case note was written", request.code)
        await services.audit.record(services.clock(), "peer", "note", actor_id=peer.user_id,
                                    request_id=request.id, request_code=request.code)
    return Reply("note_saved", {"code": request.code, "count": added.count})


@guards.claiming_peer_only
async def show(services: Services, peer: Peer, request: Request) -> Reply:
    """/notes [CODE]: the notes of the peer's current conversation (or of CODE), oldest
    first, each with its writer's alias and when."""
    notes = await services.notes.of_request(request.id)
    if not notes:
        return Reply("notes_none", {"code": request.code})
    texts = await services.texts_for(peer.user_id)
    try:
        for page in pages(services, texts, texts("notes_heading", code=request.code), notes):
            await services.outbox.send_text(peer.user_id, page,
                                            purpose=Purpose.request(request.id))
    except DeliveryError:
        _log.warning("request %s: the case notes could not be delivered", request.code)
    return Reply("notes_footer", {"code": request.code, "count": len(notes)})


async def brief(services: Services, chat_id: int, request: Request, texts: Texts) -> None:
    """The notes of a request being claimed, for its new peer (after the history), clearly
    marked as the team's; nothing if it has none. Raises DeliveryError if the peer's chat
    cannot be reached (the claim cannot stand)."""
    notes = await services.notes.of_request(request.id)
    if not notes:
        return
    heading = texts("peer_claimed_notes", code=request.code)
    try:
        for page in pages(services, texts, heading, notes):
            await services.outbox.send_text(chat_id, page, purpose=Purpose.request(request.id))
    except DeliveryError as exc:
        if exc.unreachable:
            raise
        await services.outbox.send_text(chat_id, texts("notes_gap", code=request.code))


def pages(services: Services, texts: Texts, heading: str, notes: Sequence[Note],
          ) -> Iterator[str]:
    """The notes as messages, each starting with `heading` and holding whole notes only."""
    page: list[str] = []
    used = len(heading)
    for note in notes:
        entry = texts("note_entry", alias=note.alias, when=_when(services, texts, note),
                      text=note.text)
        if page and used + 2 + len(entry) > PAGE_CHARS:
            yield "\n\n".join([heading, *page])
            page, used = [], len(heading)
        page.append(entry)
        used += 2 + len(entry)
    if page:
        yield "\n\n".join([heading, *page])


def _when(services: Services, texts: Texts, note: Note) -> str:
    moment = datetime.fromtimestamp(note.created_at, UTC).astimezone(services.settings.tz)
    return format_datetime(moment, "d MMM, HH:mm zzz", locale=texts.language)
