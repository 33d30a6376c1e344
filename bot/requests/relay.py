"""Passing messages between a responder and their peer, through the bot.

Text is re-sent with a label; media is copied (copyMessage), never forwarded, so the
responder's name and account never reach the peer. Everything is stored sealed first.

A relayed message that may not have arrived (the network stalled) or that was given up on is
named to its writer afterwards, with a Send again button (bot/requests/resend.py): its outbox row's
purpose (`Purpose.relay`: request, sender and `ref`) says which stored message it was (its place
in the conversation, or for a message just written, the index of the Telegram message it came
from), never what it said.
"""

from __future__ import annotations

import logging

from bot.platform import afterwards, keyboards
from bot.platform.outbox import DeliveryError, Purpose
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.requests import intake, resend
from bot.requests.content import Content, Kind, refusal
from bot.safety import risk
from bot.team import members as team
from locales import Texts
from storage.messages import Sender, StoredMessage
from storage.peers import Peer
from storage.requests import Request, State, StateChangedError
from storage.resends import RESENT, AlreadyResentError
from storage.session import Write, together

_log = logging.getLogger(__name__)


def _storing(services: Services, request: Request, sender: Sender, content: Content,
             alias: str | None = None) -> Write[object]:
    """The write that seals and keeps a message; a peer's keeps the alias they wrote under."""
    now = services.clock()
    source = services.messages.source(content.chat_id, content.message_id)
    if content.kind is Kind.TEXT:
        return services.messages.storing_text(request.id, sender, content.text or "", now,
                                              alias=alias, source=source)
    return services.messages.storing_media(
        request.id, sender, from_chat_id=content.chat_id, message_id=content.message_id,
        caption=content.text, now=now, alias=alias, captionless=content.captionless,
        source=source, media=content.media)


storing = _storing  # for what is relayed as a responder's message elsewhere (/selfcheck)


async def _store(services: Services, request: Request, sender: Sender, content: Content,
                 ) -> bool:
    """Keep a message that is not passed on now (nobody has the request yet); False, and
    nothing kept, if the request has left the state it was read in (claimed meanwhile)."""
    try:
        await services.db.run(together(services.requests.still(request.id, request.state),
                                       _storing(services, request, sender, content)))
    except StateChangedError:
        return False
    return True


def _labelled(texts: Texts, label: str, text: str | None) -> str:
    """Who it is from (request code or peer alias), then what they wrote, verbatim."""
    if text:
        return texts("relay_labelled", label=label, text=text)
    return texts("relay_label_only", label=label)


async def deliver(services: Services, chat_id: int, label: str, message: StoredMessage,
                  along: Write[object] | None = None) -> int:
    """Send one message to `chat_id` under `label`: its message id, or 0 if it is kept for
    later; raises DeliveryError. If it has to wait (flood limit, network), the outbox delivers
    it later and reports a failure then. `along` keeps the message itself in the same
    transaction as its first outbox row."""
    purpose = Purpose.relay(message)
    texts = await services.texts_for(chat_id)
    if message.is_media:
        assert message.from_chat_id is not None and message.message_id is not None
        if message.captionless:  # say who it is from first, since it cannot carry a label
            await services.outbox.send_text(chat_id, _labelled(texts, label, None), along=along)
            return await services.outbox.copy(chat_id, message.from_chat_id,
                                              message.message_id, None, purpose=purpose)
        return await services.outbox.copy(chat_id, message.from_chat_id, message.message_id,
                                          _labelled(texts, label, message.caption),
                                          purpose=purpose, along=along)
    return await services.outbox.send_text(chat_id, _labelled(texts, label, message.text),
                                           purpose=purpose, relayed=True, along=along)


def _as_stored(services: Services, request: Request, sender: Sender, content: Content,
               ) -> StoredMessage:
    source = services.messages.source(content.chat_id, content.message_id)
    if content.kind is Kind.TEXT:
        return StoredMessage(request.id, 0, sender, text=content.text, source=source)
    return StoredMessage(request.id, 0, sender, from_chat_id=content.chat_id,
                         message_id=content.message_id, caption=content.text,
                         captionless=content.captionless, media=content.media, source=source)


async def from_private_chat(services: Services, user_id: int, content: Content,
                            ) -> Reply | None:
    """Someone wrote in private. Their own live request comes first (a peer may need support
    too); otherwise a peer's message goes to their current conversation."""
    live = await services.requests.live_for_responder(user_id)
    if live is None:
        peer = await services.peers.get(user_id)
        if peer is not None:
            return await from_peer(services, peer, content)
    return await from_responder(services, live, content)


async def from_responder(services: Services, live: Request | None, content: Content, *,
                         alarm: bool | None = None) -> Reply | None:
    """A responder wrote in private: open, store for, or relay to their peer.

    A message on its way to a peer goes first and is screened right after (the screen only
    adds attention, it never holds a message back); anything else is screened first, even a
    message too long to pass on, so that its crisis line comes before the other answers.
    `alarm`: what the screen said of it already (it is then not screened again)."""
    if live is not None and live.state is State.CLAIMED and live.peer_id is not None:
        refused = refusal(content)
        reply = refused or await _relay(services, live, live.peer_id, content)
        if alarm is None:
            await afterwards.later(_screen(services, live, content))
        elif alarm:
            await risk.alert(services, live.id)
        return reply
    if alarm is None:
        alarm = await risk.screened(services, live, content)
    if live is None:
        return Reply("not_sent_idle", keyboard=keyboards.welcome)
    refused = refusal(content)
    if refused is not None:
        if alarm:
            await risk.alert(services, live.id)
        return refused
    if not await _store(services, live, "responder", content):
        # Claimed (or closed) between reading the request and keeping the message, too late
        # for the claim's history: it goes as the request is now.
        latest = await services.requests.get(live.id)
        return await from_responder(
            services, latest if latest and latest.state is not State.CLOSED else None, content,
            alarm=alarm)
    if live.state is State.INTAKE:
        opened = await intake.open_request(services, live)
        if alarm or live.high_risk:  # flagged now, or by an earlier message refused as too long
            await risk.alert(services, live.id, just_opened=True)
        return opened
    if alarm:  # nobody has it yet: kept for them
        await risk.alert(services, live.id)
    return Reply("message_saved")


async def _screen(services: Services, live: Request, content: Content) -> None:
    if await risk.screened(services, live, content):
        await risk.alert(services, live.id)


async def _relay(services: Services, live: Request, peer_id: int, content: Content,
                 ) -> Reply | None:
    try:  # stored in the same transaction as the row that delivers it, while it is theirs
        await deliver(services, peer_id, live.code,
                      _as_stored(services, live, "responder", content),
                      along=together(services.requests.held_by(live.id, peer_id),
                                     _storing(services, live, "responder", content)))
    except StateChangedError:
        # Handed over (/transfer) or ended between reading the request and keeping the
        # message, too late for the new peer's history: it goes as the request is now.
        latest = await services.requests.get(live.id)
        return await from_responder(
            services, latest if latest and latest.state is not State.CLOSED else None, content,
            alarm=False)  # screened by the first call, after this
    except DeliveryError as exc:
        _log.warning("request %s: a responder message could not be relayed", live.code)
        return None if exc.followed_up else Reply("relay_failed_responder")
    return None


async def screen_edit(services: Services, user_id: int, content: Content) -> None:
    """An edited message is not relayed, but a risk in it gets the same response."""
    live = await services.requests.live_for_responder(user_id)
    if live is None and await services.peers.get(user_id) is not None:
        return  # a peer's own edit: peers are not screened
    if await risk.screened(services, live, content, adds_up=False) and live is not None:
        await risk.alert(services, live.id)


async def from_peer(services: Services, peer: Peer, content: Content) -> Reply | None:
    """A peer wrote in private: relay it to the responder of their current conversation."""
    request = await team.current_conversation(services, peer)
    if isinstance(request, Reply):
        return request  # none, several and none chosen, or the chosen one gone: not sent
    return await to_responder(services, peer, request, content)


async def to_responder(services: Services, peer: Peer, request: Request, content: Content,
                       ) -> Reply | None:
    """What a peer wrote goes to the responder of `request` (one they hold): kept sealed under
    their alias, with their last activity, in the transaction of the row that delivers it;
    Send again if it may not have arrived. A saved reply (/snippets) goes this way too."""
    refused = refusal(content)
    if refused is not None:
        return refused
    store_and_touch = together(services.requests.held_by(request.id, peer.user_id),
                               _storing(services, request, "peer", content, peer.alias),
                               services.peers.touching(peer.user_id, services.clock()))
    try:  # stored (and the peer's last activity noted) with the row that delivers it, while
        # the peer still holds the conversation
        await deliver(services, request.responder_chat_id, peer.alias,
                      _as_stored(services, request, "peer", content), along=store_and_touch)
    except StateChangedError:
        # Handed over (/transfer), released or closed since it was read: nothing was sent.
        return Reply("peer_not_sent_not_yours", {"code": request.code})
    except DeliveryError as exc:
        _log.warning("request %s: a peer message could not be relayed", request.code)
        return None if exc.followed_up else Reply("peer_relay_failed", {"code": request.code})
    return None


async def report_late_failure(services: Services, purpose: Purpose, outcome: str | None,
                              to_chat: int) -> None:
    """A relayed message (`purpose`) may not have arrived (`outcome` "uncertain"), or was
    given up on ("failed"): it is named to its writer with a Send again button. Refused (its
    chat blocked the bot, say), after its caller stopped waiting: its sender is told so."""
    request_id, sender, ref = purpose.request_id, purpose.sender, purpose.ref
    if request_id is None:
        return
    if outcome in ("uncertain", "failed") and ref and sender is not None:
        await resend.hold(services, request_id, sender, ref, to_chat)
        return
    request = await services.requests.get(request_id)
    if request is None:
        return
    if sender == "responder":
        chat_id, reply = request.responder_chat_id, Reply("relay_failed_responder")
    elif request.peer_id is not None:
        chat_id, reply = request.peer_id, Reply("peer_relay_failed", {"code": request.code})
    else:
        return
    text, _ = reply.render(await services.texts_for(chat_id))
    await services.outbox.notify(chat_id, text,
                                 what=f"request {request.code}: a failed-relay notice")


async def send_again(services: Services, user_id: int, data: str) -> Answer:
    """A Send again button: the stored copy of the message it names goes once more to the
    other side of its conversation, if the one pressing wrote it and the conversation goes on.
    Once: the outbox row that sends it and the mark that it was sent again are one write."""
    token = keyboards.parse_again(data)
    resends = services.outbox.rows.resends
    item = await resends.get(token) if token else None
    if item is None:  # never ours, or erased since (/forget, the retention purge)
        return Answer("again_gone", alert=True)
    if item.chat_key != services.outbox.rows.chat_key(user_id):
        return Answer("again_not_yours", alert=True)
    if item.state == RESENT:
        return Answer("again_already")
    request = await services.requests.get(item.request_id)
    message = await services.messages.get(item.request_id, item.seq)
    if request is None or message is None:
        return Answer("again_gone", alert=True)
    if request.state is not State.CLAIMED or request.peer_id is None or (
            item.sender == "peer" and request.peer_id != user_id):
        return Answer("again_ended", alert=True)
    if item.sender == "responder":
        to_chat, label = request.peer_id, request.code
    else:
        peer = await services.peers.get(user_id)
        to_chat, label = request.responder_chat_id, message.alias or (peer.alias if peer else "")
    try:
        sent = await deliver(services, to_chat, label, message,
                             along=resends.resending(item.token, services.clock()))
    except AlreadyResentError:
        return Answer("again_already")
    except DeliveryError as exc:
        _log.warning("request %s: a message could not be sent again", request.code)
        if exc.followed_up:  # it may not have arrived either: named again after this stall
            return Answer("again_unsure")
        await resends.unsend(item.token)  # refused: its button still works
        return Answer("again_not_sent", alert=True)
    return Answer("again_sent" if sent else "again_queued")
