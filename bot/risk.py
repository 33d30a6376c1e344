"""What happens when the crisis screen (bot/triage.py) flags something a responder wrote.

At once: the responder gets the crisis line and the emergency number in a calm message (again
only after CRISIS_REPEAT_SECONDS, so someone who keeps writing about it is not answered by the
same text after every line); the request is marked high risk, which its card and every peer
notice show as URGENT; the coordinators are told the request code, and nothing else; and a
request nobody has claimed yet jumps to the coordinator step of the ladder. The claiming
peer, if there is one, is told. The conversation itself goes on exactly as before.

The screen only ever adds attention: it never holds back, changes or hides a message.
"""

from __future__ import annotations

import importlib
import logging

from bot import cards, ladder
from bot.content import Content
from bot.replies import Phrase, Reply
from bot.services import Services
from storage.requests import Request, State

_log = logging.getLogger(__name__)
CRISIS_REPEAT_SECONDS = 30 * 60


SCREEN_MODULE = "bot.triage"


def load_screen() -> None:
    """Import the crisis screen. Its rules take a second or two to build, so start-up does it
    in a worker thread once the bot polls (see bot/app.py); a message that arrives before it
    is ready waits for it, and is never let through unscreened."""
    importlib.import_module(SCREEN_MODULE)


def flags(content: Content) -> bool:
    """True if the text (or a caption) reads as a possible risk of harm."""
    if not content.text:
        return False
    triage = importlib.import_module(SCREEN_MODULE)  # at once if loaded, else waits for it
    return bool(triage.assess(content.text).at_risk)


async def respond(services: Services, request: Request | None, chat_id: int) -> bool:
    """The responder's side of a hit: mark the request and send the crisis line. True if the
    request has just become high risk (the team is then alerted with `alert`)."""
    if request is None:  # they wrote before starting a request: the crisis line, and the way in
        await _crisis_message(services, chat_id, "crisis_next_idle", {})
        return False
    newly = await services.requests.mark_high_risk(request.id)
    if newly:
        _log.info("request %s: the crisis screen flagged a message", request.code)
    if await services.requests.claim_crisis_notice(request.id, services.clock(),
                                                   CRISIS_REPEAT_SECONDS):
        if request.state is State.CLAIMED and request.peer_id is not None:
            peer = await services.peers.get(request.peer_id)
            values = {"alias": peer.alias if peer else ""}
            await _crisis_message(services, chat_id, "crisis_next_claimed", values)
        else:
            await _crisis_message(services, chat_id, "crisis_next_waiting", {})
    return newly


async def _crisis_message(services: Services, chat_id: int, next_key: str,
                          values: dict[str, str]) -> None:
    reply = Reply("crisis_message", {"next": Phrase(next_key, dict(values))})
    await services.say(chat_id, reply, what="a crisis-line message")


async def alert(services: Services, request_id: str, *, just_opened: bool = False) -> None:
    """The team's side of a hit, once per request: urgent card and notices, the coordinators,
    the claiming peer, and the jump to the coordinator step. `just_opened`: the card was
    posted urgent and the ladder started at the coordinator step already."""
    request = await services.requests.get(request_id)
    if request is None or request.state not in (State.OPEN, State.CLAIMED):
        return
    await services.audit.record(services.clock(), "system", "risk_flagged",
                                request_id=request.id, request_code=request.code)
    if request.state is State.CLAIMED and request.peer_id is not None:
        await services.say(request.peer_id, Reply("peer_risk_flag", {"code": request.code}),
                           what=f"request {request.code}: a risk flag to the peer")
        await ladder.coordinators(services, "coordinator_risk_claimed", code=request.code)
        return
    await ladder.coordinators(services, "coordinator_risk_waiting", code=request.code)
    if just_opened:
        return
    await cards.refresh_waiting(services, request)  # now URGENT, Claim buttons kept
    if request.escalation_step < ladder.COORDINATOR_STEP:
        await services.requests.set_ladder(request.id, ladder.COORDINATOR_STEP - 1,
                                           services.clock())
        await ladder.advance(services, request.id, tell_responder=False)
