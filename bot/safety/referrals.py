"""What a claiming peer can do beyond talking: /refer a clinician from the directory,
/concern to tell the coordinators a conversation may need sensitive intervention, and /urgent
to mark it high risk (peers read risk better than any screen).

All three are recorded in the audit log by action, request code, peer and directory id only:
never what anyone wrote. Callback data:
  rf:<request>:p<page>        the peer turns a page of the directory
  rf:<request>:e:<entry>      the peer sends that entry to their responder (once per picker)
  ra:<referral>:<y|n>         the responder answers "help me contact them?" (once)
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.escalation import ladder
from bot.platform import guards
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.safety import directory, risk
from locales import Texts
from storage.peers import Peer
from storage.requests import Request, RiskSource, State

_log = logging.getLogger(__name__)

_REQUEST_ID = r"[0-9a-f]{16}"
REFER_PATTERN = re.compile(rf"^rf:({_REQUEST_ID}):(?:p(\d{{1,3}})|e:([a-z0-9-]{{1,32}}))$")
ANSWER_PATTERN = re.compile(r"^ra:(\d{1,12}):(y|n)$")


@guards.claiming_peer_only
async def refer(services: Services, peer: Peer, request: Request) -> Reply:
    """/refer [CODE]: the directory, as buttons, for the peer's current conversation."""
    if not services.settings.resources.directory:
        return Reply("refer_empty")
    return _picker(services, request, 0)


def _picker(services: Services, request: Request, page: int) -> Reply:
    resources = services.settings.resources
    count = directory.pages(resources)
    page = min(page, count - 1)

    def keyboard(texts: Texts) -> InlineKeyboardMarkup:
        rows = [[InlineKeyboardButton(entry.name.get(texts.language),
                                      callback_data=f"rf:{request.id}:e:{entry.id}")]
                for entry in directory.page_entries(resources, page)]
        nav = directory.navigation(texts, page, count, f"rf:{request.id}:p{{}}")
        return InlineKeyboardMarkup([*rows, nav] if nav else rows)

    return Reply("refer_choose", {"code": request.code, "page": page + 1, "pages": count},
                 keyboard)


async def _held_by(services: Services, request_id: str, peer_id: int) -> Request | None:
    request = await services.requests.get(request_id)
    if request is None or request.state is not State.CLAIMED or request.peer_id != peer_id:
        return None
    return request


async def pick(services: Services, user_id: int, data: str, picker_message_id: int,
               ) -> tuple[Answer, Reply | None]:
    """A tap in the /refer picker: a page turn (the picker changes) or a choice (the entry goes
    to the responder, once however often the picker is tapped, and the picker says so)."""
    match = REFER_PATTERN.match(data)
    request = await _held_by(services, match.group(1), user_id) if match else None
    peer = await services.peers.get(user_id)
    if match is None or request is None or peer is None:
        return Answer("stale_button"), None
    _, page, entry_id = match.groups()
    if page is not None:
        return Answer(), _picker(services, request, int(page))
    entry = services.settings.resources.clinician(entry_id)
    if entry is None:
        return Answer("stale_button"), None
    referral_id = await services.referrals.add(request.id, entry.id, user_id,
                                               picker_message_id, services.clock())
    if referral_id is None:
        return Answer("referral_already_sent"), None
    texts = await services.texts_for(request.responder_chat_id)
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton(texts("btn_referral_help"), callback_data=f"ra:{referral_id}:y")],
        [InlineKeyboardButton(texts("btn_referral_self"), callback_data=f"ra:{referral_id}:n")]])
    text = texts("referral_to_responder", alias=peer.alias,
                 details=directory.details(entry, texts))
    if not await services.outbox.notify(request.responder_chat_id, text, keyboard,
                                        what=f"request {request.code}: a referral"):
        await services.referrals.withdraw(referral_id)
        return Answer("referral_not_delivered", alert=True), None
    await services.audit.record(services.clock(), "peer", "referral", actor_id=user_id,
                                request_id=request.id, request_code=request.code,
                                detail=entry.id)
    _log.info("request %s: a referral was sent", request.code)
    name = entry.name.get((await services.texts_for(user_id)).language)
    return Answer(), Reply("refer_sent", {"code": request.code, "name": name})


async def answer(services: Services, user_id: int, data: str) -> Answer:
    """The responder's "help me contact them?" answer goes to their peer (the first answer
    only: a second tap changes nothing)."""
    match = ANSWER_PATTERN.match(data)
    referral = await services.referrals.get(int(match.group(1))) if match else None
    if match is None or referral is None:
        return Answer("stale_button")
    choice = match.group(2)
    request = await services.requests.get(referral.request_id)
    entry = services.settings.resources.clinician(referral.entry_id)
    if (request is None or entry is None or request.state is not State.CLAIMED
            or request.peer_id is None
            or not services.requests.is_responder_of(request, user_id)):
        return Answer("stale_button")
    if not await services.referrals.answer(referral.id, "help" if choice == "y" else "self",
                                           services.clock()):
        return Answer("referral_already_answered")
    peer = await services.peers.get(request.peer_id)
    alias = peer.alias if peer else ""
    key = "peer_referral_help" if choice == "y" else "peer_referral_self"
    name = entry.name.get((await services.texts_for(request.peer_id)).language)
    await services.say(request.peer_id, Reply(key, {"code": request.code, "name": name}),
                       what=f"request {request.code}: a referral answer")
    await services.audit.record(services.clock(), "responder",
                                "referral_help_wanted" if choice == "y" else "referral_declined",
                                request_id=request.id, request_code=request.code,
                                detail=entry.id)
    if choice == "y":
        return Answer("referral_help_ack", {"alias": alias}, alert=True)
    return Answer("referral_self_ack", alert=True)


@guards.claiming_peer_only
async def concern(services: Services, peer: Peer, request: Request) -> Reply:
    """/concern [CODE]: the coordinators get the request code and the peer's alias, no more."""
    await services.audit.record(services.clock(), "peer", "concern", actor_id=peer.user_id,
                                request_id=request.id, request_code=request.code)
    _log.info("request %s: a peer raised a concern", request.code)
    if not services.settings.coordinator_ids:
        return Reply("concern_no_coordinators")
    await ladder.coordinators(services, "coordinator_concern", code=request.code,
                              alias=peer.alias)
    return Reply("concern_sent", {"code": request.code})


# Someone not a peer may be a responder in distress: the numbers, and the way to a peer.
@guards.claiming_peer_only(refusal=Reply("urgent_not_a_peer"))
async def urgent(services: Services, peer: Peer, request: Request) -> Reply:
    """/urgent [CODE]: the conversation becomes high risk, with every effect of a crisis-screen
    hit; the coordinators get the request code and the peer's alias, no more."""
    if request.high_risk and request.risk_alerted:  # (not yet alerted: a crash; alert now)
        return Reply("urgent_already", {"code": request.code})
    if not await risk.respond(services, request, request.responder_chat_id, RiskSource.PEER):
        return Reply("urgent_already", {"code": request.code})  # flagged a moment ago
    await risk.alert(services, request.id, by=peer)
    if not services.settings.coordinator_ids:
        return Reply("urgent_marked_no_coordinators", {"code": request.code})
    return Reply("urgent_marked", {"code": request.code})
