"""Send again: a relayed message that may not have arrived is named to the person who wrote it.

When the network stalls, a relayed message whose call timed out may or may not have reached the
other side, and it is not repeated blindly (bot/platform/outbox/). Instead it is *held* here,
and its writer gets a notice that names it by its first words (or says what it was: a photo, a
voice message), with a Send again button. Everything held for one writer in one conversation
during one stall goes into one notice: the notice waits until the stall is over (the outbox has
had an answer from Telegram since its last lost call; at most MAX_HOLD_SECONDS) and until no
more has been held for COLLECT_SECONDS; a notice not yet delivered when more is held is
rewritten to name that too. A later stall gets a notice of its own.

Pressing Send again (bot/requests/relay.py `send_again`) sends the stored copy once more, once;
the button carries only a random token (storage/resends.py). Nothing about a message is logged.
"""

from __future__ import annotations

import logging
import secrets
import time

from telegram import InlineKeyboardMarkup

from bot.platform import keyboards
from bot.platform.outbox import DeliveryError, Purpose
from bot.platform.services import Services
from locales import Texts
from storage.messages import Sender, StoredMessage
from storage.requests import Request
from storage.resends import RESENT, AlreadyOfferedError, Resend

_log = logging.getLogger(__name__)

COLLECT_SECONDS = 2  # a notice waits this long after the last message it names was held
RECHECK_SECONDS = 2  # while the network is still stalled, look again this often
MAX_HOLD_SECONDS = 60  # and tell the writer after this long even if it has not recovered
NOTICE_WORDS, NOTICE_CHARS = 8, 60  # how much of a message its notice quotes
BUTTON_WORDS, BUTTON_CHARS = 4, 24  # and its Send again button
_NOTICES = {
    ("responder", True): "again_notice_responder_one",
    ("responder", False): "again_notice_responder_many",
    ("peer", True): "again_notice_peer_one",
    ("peer", False): "again_notice_peer_many",
}
_MEDIA = {
    "photo": "again_photo", "voice": "again_voice", "audio": "again_audio",
    "video": "again_video", "video_note": "again_video_note", "document": "again_document",
}
_SOME_MEDIA = "again_media"  # kept before the kind of media was stored


def first_words(text: str, words: int = NOTICE_WORDS, chars: int = NOTICE_CHARS) -> str:
    """The first `words` words of `text`, at most `chars` characters, on one line; "…" if
    anything was left out."""
    every = text.split()
    cut = " ".join(every[:words])
    if len(cut) > chars:
        cut = cut[:chars].rsplit(" ", 1)[0] if " " in cut[:chars] else cut[:chars]
    return cut + ("…" if cut != " ".join(every) else "")


def describe(texts: Texts, message: StoredMessage) -> tuple[str, str]:
    """How a notice names a message, and how its button does."""
    if not message.is_media:
        text = message.text or ""
        return (texts("again_item", words=first_words(text)),
                first_words(text, BUTTON_WORDS, BUTTON_CHARS))
    what = texts(_MEDIA.get(message.media or "", _SOME_MEDIA))
    if message.caption:
        return texts("again_item_media_caption", what=what,
                     words=first_words(message.caption)), what
    return texts("again_item_media", what=what), what


def _timer(request_id: str, sender: Sender) -> str:
    return f"again:{request_id}:{sender}"


def _announce_at(services: Services, request_id: str, sender: Sender, when: float) -> None:
    services.timers.at(_timer(request_id, sender), when,
                       lambda: announce(services, request_id, sender))


async def hold(services: Services, request_id: str, sender: Sender, ref: str,
               to_chat: int) -> None:
    """A relayed message (`ref`: its place in the conversation, or the index of the Telegram
    message it came from) may not have reached `to_chat`: keep it to name to its writer."""
    request = await services.requests.get(request_id)
    if request is None:
        return
    writer: int | None = request.responder_chat_id
    other_side: int | None = request.peer_id
    if sender == "peer":
        writer, other_side = other_side, writer
    if writer is None or to_chat != other_side:
        # An earlier peer's message shown to the peer who took the conversation over (they see
        # a gap instead), or the conversation moved on: nobody to offer it to.
        return
    seq = int(ref) if ref.isdigit() else await services.messages.seq_of(request_id, ref)
    if seq is None:
        return
    now = services.clock()
    await services.outbox.rows.resends.hold(request_id, seq, sender,
                                            services.outbox.rows.chat_key(writer), now)
    _announce_at(services, request_id, sender, now + COLLECT_SECONDS)


def announce_soon(services: Services) -> None:
    """At start: name whatever a stop caught before its writer was told."""
    async def every_writer() -> None:
        for request_id, sender in await services.outbox.rows.resends.held_writers():
            await announce(services, request_id, sender)

    services.timers.at("again", time.time() + COLLECT_SECONDS, every_writer)


async def announce(services: Services, request_id: str, sender: Sender) -> None:
    """Name what is held for this writer and conversation in one notice, once the stall is
    over (see the module's docstring); until then, look again later."""
    resends = services.outbox.rows.resends
    held = await resends.held(request_id, sender)
    if not held:
        return
    now = services.clock()
    newest, oldest = max(h.held_at for h in held), min(h.held_at for h in held)
    if now < newest + COLLECT_SECONDS:
        _announce_at(services, request_id, sender, newest + COLLECT_SECONDS)
        return
    if services.outbox.stalled and now < oldest + MAX_HOLD_SECONDS:
        _announce_at(services, request_id, sender, now + RECHECK_SECONDS)
        return
    request = await services.requests.get(request_id)
    chat_id = None if request is None else (
        request.responder_chat_id if sender == "responder" else request.peer_id)
    if request is None or chat_id is None:
        return
    chat_key = services.outbox.rows.chat_key(chat_id)
    held = [h for h in held if h.chat_key == chat_key]  # not a peer's who let it go since
    if not held:
        return
    tokens = [h.token for h in held]
    batch = await resends.latest_batch(request_id, sender)
    try:
        if batch is not None:  # a notice of this stall not yet delivered names these too
            earlier = [r for r in await resends.batch(batch) if r.chat_key == chat_key]
            rendered = await render(services, request, chat_id,
                                    sorted([*earlier, *held], key=lambda r: r.seq))
            if rendered is not None and await services.outbox.replace(
                    chat_id, Purpose.resend_notice(request_id, batch), *rendered,
                    along=resends.offering(tokens, batch)):
                return
        batch = secrets.token_hex(8)
        rendered = await render(services, request, chat_id, held)
        if rendered is None:
            return
        text, keyboard = rendered
        await services.outbox.send_text(chat_id, text, keyboard,
                                        # it names the request: /forget takes it too
                                        purpose=Purpose.resend_notice(request_id, batch),
                                        along=resends.offering(tokens, batch))
    except AlreadyOfferedError:
        return  # another instance named them at the same moment: its notice says it
    except DeliveryError:
        _log.warning("a Send again notice could not be delivered")


async def render(services: Services, request: Request, chat_id: int, items: list[Resend],
                 ) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The notice naming `items` (all one writer's), in the writer's language: a Send again
    button for each not sent again yet. None if none of them is kept any more."""
    texts = await services.texts_for(chat_id)
    lines: list[str] = []
    buttons: list[tuple[str, str]] = []
    for item in items:
        message = await services.messages.get(item.request_id, item.seq)
        if message is None:
            continue
        line, short = describe(texts, message)
        if item.state == RESENT:
            line = texts("again_item_resent", item=line)
        else:
            buttons.append((short, item.token))
        lines.append(line)
    if not lines:
        return None
    one = len(lines) == 1
    text = texts(_NOTICES[items[0].sender, one], count=len(lines), items="\n".join(lines),
                 code=request.code)
    if not buttons:
        return text, None
    labelled = [(texts("btn_send_again") if one else
                 texts("btn_send_again_item", words=short), token) for short, token in buttons]
    return text, keyboards.send_again(labelled)


async def refresh(services: Services, user_id: int, chat_id: int, message_id: int,
                  data: str) -> None:
    """After a press: the notice it was on shows what was sent again, without its button."""
    token = keyboards.parse_again(data)
    item = await services.outbox.rows.resends.get(token) if token else None
    if item is None or item.batch is None or chat_id != user_id:
        return
    if item.chat_key != services.outbox.rows.chat_key(user_id):
        return
    request = await services.requests.get(item.request_id)
    if request is None:
        return
    items = [r for r in await services.outbox.rows.resends.batch(item.batch)
             if r.chat_key == item.chat_key]
    rendered = await render(services, request, chat_id, items)
    if rendered is not None:
        try:
            await services.outbox.edit_text(chat_id, message_id, *rendered)
        except DeliveryError:
            _log.warning("a Send again notice could not be updated")
