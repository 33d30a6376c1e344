"""What happens when a responder may be at risk of harm.

Three things can say so: the crisis screen (bot/safety/screen/) reading something they wrote, their
own Yes or Not sure to the safety question of the intake, and the claiming peer's /urgent.
Each has the same effects. At once: the responder gets the crisis line and the emergency
number in a calm message (again only after CRISIS_REPEAT_SECONDS, so someone who keeps writing
about it is not answered by the same text after every line); the request is marked high risk,
which its card and every peer notice show as URGENT; the coordinators are told the request
code and why (the peer's alias too, for /urgent), and nothing else; and a request nobody has
claimed yet jumps to the coordinator step of the ladder. The claiming peer, if there is one,
is told.

The screen also adds up weak signals across a responder's messages: each message's `signal`
(how close the learned model came to an alarm on it) is added to the request's level, which
halves every SIGNAL_HALF_LIFE seconds; a level of 1 alarms as a single risky message would.
Simulated on the validation split (messages 2 minutes apart), runs of ten ordinary messages
that do not alarm alone reached 1 about 5 % of the time, and runs of three risky messages that
each escaped the screen about 17 % of the time: a modest net, not a reliable one. An edit is
screened but not added again.

None of this ever holds back, changes or hides a message: it only adds attention.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from types import ModuleType

from bot.escalation import ladder
from bot.platform import faults
from bot.platform.outbox import DeliveryError, send_scope
from bot.platform.replies import Phrase, Reply
from bot.platform.services import Services
from bot.requests import cards
from bot.requests.content import Content
from storage.errors import StorageError
from storage.peers import Peer
from storage.requests import Request, RiskSource, State, StateChangedError
from storage.session import Write

_log = logging.getLogger(__name__)
CRISIS_REPEAT_SECONDS = 30 * 60
SIGNAL_HALF_LIFE = 60 * 60  # seconds
LEVEL_ALARM = 1.0

SCREEN_MODULE = "bot.safety.screen.layers"
_LOGGED = {RiskSource.SCREEN: "the crisis screen flagged a message",
           RiskSource.ANSWER: "the safety question was answered Yes or Not sure",
           RiskSource.PEER: "the claiming peer marked it urgent"}


def load_screen() -> None:
    """Import the crisis screen and its model. Its rules take a second or two to build, so
    start-up does it in a worker thread while the bot starts taking updates in (see
    bot/app.py); a message that arrives before it is ready waits for it, and is never let
    through unscreened."""
    _screen().read("")


def _screen() -> ModuleType:
    return importlib.import_module(SCREEN_MODULE)  # at once if loaded, else waits for it


def read(content: Content) -> float | None:
    """How the screen reads a text (or caption): 1.0 for an alarm on its own, else its weak
    signal (0 up to 1); None when there is no text."""
    if not content.text:
        return None
    return float(_screen().read(content.text).signal)  # 1.0 exactly when it alarms alone


async def screened(services: Services, request: Request | None, content: Content, *,
                   adds_up: bool = True) -> bool:
    """Screen what a responder wrote, add it to their running level (unless `adds_up` is
    False: an edit of a message already counted), and respond to an alarm. True if the team
    is to be alerted now (then `alert` it; see `respond`)."""
    signal = read(content)
    if signal is None:
        return False
    alarm = signal >= 1.0
    if not alarm and signal > 0 and request is not None and adds_up:
        level = await services.requests.add_risk_signal(request.id, signal, services.clock(),
                                                        SIGNAL_HALF_LIFE)
        alarm = level >= LEVEL_ALARM
        if alarm:
            _log.info("request %s: weak signals added up across messages", request.code)
    if not alarm:
        return False
    return await respond(services, request, content.chat_id)


async def respond(services: Services, request: Request | None, chat_id: int,
                  source: RiskSource = RiskSource.SCREEN, *, send: bool = True) -> bool:
    """The responder's side: mark the request and send the crisis line (`send=False`: the
    caller's own reply carries it). True if the team is to be alerted now with `alert`: the
    request has just become high risk, or became so earlier and the team's alert is not done
    yet (the process died in between, and this is the same update handled again after the
    restart, or a later alarm; or another alert is under way, whose messages `alert` shares)."""
    if request is None:  # they wrote before starting a request: the crisis line, and the way in
        await _crisis_message(services, chat_id, "crisis_next_idle", {})
        return False
    newly = await services.requests.mark_high_risk(request.id, source)
    if newly:
        _log.info("request %s: %s", request.code, _LOGGED[source])
        services.metrics.flagged()
    faults.crash_at("after-risk-mark")  # flagged, the team not yet told: the alert must follow
    if not send:
        await services.requests.claim_crisis_notice(request.id, services.clock(),
                                                    CRISIS_REPEAT_SECONDS)
    else:
        claim = services.requests.claiming_crisis_notice(request.id, services.clock(),
                                                         CRISIS_REPEAT_SECONDS)
        # After a peer's /urgent the responder told the bot nothing: not "thank you for
        # telling us", but their peer's wish that they have these numbers.
        opening = "crisis_message_from_peer" if source is RiskSource.PEER else "crisis_message"
        if request.state is State.CLAIMED and request.peer_id is not None:
            peer = await services.peers.get(request.peer_id)
            values = {"alias": peer.alias if peer else ""}
            await _crisis_message(services, chat_id, "crisis_next_claimed", values, opening,
                                  claim=claim)
        else:
            await _crisis_message(services, chat_id, "crisis_next_waiting", {}, opening,
                                  claim=claim)
    if newly:
        return True
    latest = await services.requests.get(request.id)
    return latest is not None and latest.high_risk and not latest.risk_alerted


async def _crisis_message(services: Services, chat_id: int, next_key: str,
                          values: dict[str, str], opening: str = "crisis_message", *,
                          claim: Write[None] | None = None) -> None:
    """The crisis line. `claim`: the request's crisis notice, claimed in the same transaction
    as the message's outbox row, so the two are kept together or not at all (a crash between
    a claim and its message would leave the responder without it for CRISIS_REPEAT_SECONDS);
    nothing is sent if it was sent that recently, or by the first run of this same work."""
    reply = Reply(opening, {"next": Phrase(next_key, dict(values))})
    if claim is None:
        await services.say(chat_id, reply, what="a crisis-line message")
        return
    text, keyboard = reply.render(await services.texts_for(chat_id))
    try:
        await services.outbox.send_text(chat_id, text, keyboard, along=claim)
    except StateChangedError:
        pass  # sent within CRISIS_REPEAT_SECONDS: not again
    except StorageError:  # not kept (disk full): still sent, directly if it must be
        await services.say(chat_id, reply, what="a crisis-line message")
    except DeliveryError:
        _log.warning("a crisis-line message could not be delivered")


def why(request: Request) -> Phrase:
    """Why a request is high risk, as the team reads it."""
    source = request.risk_source or RiskSource.SCREEN
    return Phrase(f"risk_why_{source.value}")


async def alert(services: Services, request_id: str, *, just_opened: bool = False,
                by: Peer | None = None) -> None:
    """The team's side, once per request: urgent card and notices, the coordinators, the
    claiming peer, and the jump to the coordinator step. `just_opened`: the card was posted
    urgent and the ladder started at the coordinator step already. `by`: the peer who used
    /urgent (they are not told what they just did; the coordinators get their alias).

    Once, even across a crash: the request is marked alerted only after the work, so a crash
    before leaves it to do (see `respond`); and the work sends under keys of the request, not
    of the update that found it, each part (the peer, the coordinators, the card) under its
    own, so that running it again (the same update after a crash, another one, or another
    instance at the same moment, in whatever state) sends each message at most once."""
    request = await services.requests.get(request_id)
    if (request is None or request.state not in (State.OPEN, State.CLAIMED)
            or not request.high_risk or request.risk_alerted):
        return

    def part(name: str) -> contextlib.AbstractContextManager[None]:
        return send_scope(f"risk{request_id}.{name}", request_id=request_id)

    reason = why(request)
    if request.state is State.CLAIMED and request.peer_id is not None:
        if by is None:
            with part("peer"):
                await services.say(
                    request.peer_id, Reply("peer_risk_flag", {"code": request.code,
                                                              "why": reason}),
                    what=f"request {request.code}: a risk flag to the peer")
            with part("coordinators"):
                await ladder.coordinators(services, "coordinator_risk_claimed",
                                          code=request.code, why=reason)
        else:
            with part("coordinators"):
                await ladder.coordinators(services, "coordinator_urgent_by_peer",
                                          code=request.code, alias=by.alias)
        peer = by or await services.peers.get(request.peer_id)  # `by` holds it already
        with part("card"):
            await cards.rewrite(services, request, "card_claimed",
                                alias=peer.alias if peer else "")  # the group card says URGENT
    else:
        with part("coordinators"):
            await ladder.coordinators(services, "coordinator_risk_waiting", code=request.code,
                                      why=reason)
        if not just_opened:
            with part("card"):
                await cards.refresh_waiting(services, request)  # URGENT, Claim buttons kept
            # To the coordinator step, unless the ladder (the sweep, another instance) took it
            # or a later one since `request` was read: then it is not wound back.
            if (request.escalation_step < ladder.COORDINATOR_STEP
                    and await services.requests.jump_ladder(
                        request.id, ladder.COORDINATOR_STEP - 1, services.clock())):
                await ladder.advance(services, request.id, tell_responder=False)
    if not await services.requests.mark_risk_alerted(request.id):
        return  # another run did it at the same moment (its messages were these same rows)
    if by is not None:
        await services.audit.record(services.clock(), "peer", "urgent", actor_id=by.user_id,
                                    request_id=request.id, request_code=request.code)
    else:
        action = ("risk_answered" if request.risk_source is RiskSource.ANSWER
                  else "risk_flagged")
        await services.audit.record(services.clock(), "system", action,
                                    request_id=request.id, request_code=request.code)
