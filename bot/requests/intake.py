"""A responder's first steps: the welcome, the one-tap questions (how soon; the safety question,
unless SAFETY_QUESTION is off; a peer from outside their agency), and opening the request."""

from __future__ import annotations

import logging

from bot.escalation import ladder
from bot.platform import guards, keyboards, language
from bot.platform.replies import Answer, Phrase, Reply
from bot.platform.services import Services
from bot.requests import cards
from bot.safety import risk
from bot.team import members as team
from storage.requests import Request, RiskSource, State

_log = logging.getLogger(__name__)

# question letter -> (the step it answers, the step that follows); after "u" comes "safety"
# instead while SAFETY_QUESTION is on.
_QUESTIONS = {
    "u": ("urgency", "agency"),
    "s": ("safety", "agency"),
    "a": ("agency", "message"),
    "g": ("agency_name", "message"),
    "d": ("message", "message"),
}


_AT_RISK = ("yes", "unsure")  # the safety question's answers that are heard as risk


def _question_count(services: Services) -> int:
    """How soon, (the safety question,) outside their agency: the "n" of "1 of n"."""
    return 3 if services.settings.safety_question else 2


def _accepted(question: str, agencies: tuple[str, ...]) -> tuple[str, ...]:
    if question == "u":
        return (*keyboards.URGENCIES, "skip")
    if question == "s":
        return (*keyboards.SAFETY_ANSWERS, "skip")
    if question == "a":
        return ("outside", "any", "skip")
    if question == "g":
        return (*(str(i) for i in range(len(agencies))), "skip")
    return keyboards.DISCIPLINES


async def greet(services: Services, user_id: int, first_name: str) -> Reply:
    """/start in private: the open request if there is one; peers are registered; coordinators
    are greeted as coordinators (a coordinator in the peer group is registered as a peer too,
    and told both); else welcome. Everyone keeps Talk to a peer, coordinators included."""
    live = await services.requests.live_for_responder(user_id)
    if live is not None and live.state is not State.INTAKE:
        return await _already_open(services, live)
    coordinator = guards.is_coordinator(services, user_id)
    if await team.is_member(services, user_id):
        peer = await team.register(services, user_id, first_name)
        greeting = (Phrase("peer_removed_welcome") if peer is None
                    else Phrase("peer_welcome", {"alias": peer.alias}))
        if coordinator:
            return Reply("coordinator_peer_welcome",
                         {"peer": greeting, "role": Phrase("coordinator_role")},
                         keyboards.welcome)
        return Reply(greeting.key, greeting.values, keyboards.welcome)
    if coordinator:
        # Their menu: at start-up Telegram refuses it for someone who never opened the chat.
        await language.install_menus(services, user_id)
        return Reply("coordinator_welcome", {"role": Phrase("coordinator_role")},
                     keyboards.welcome)
    return Reply("welcome", keyboard=keyboards.welcome)


async def keep_waiting(services: Services, user_id: int) -> Reply | None:
    """"Keep waiting" on an escalation update: a word of reassurance while the request still
    waits; nothing once a peer has it or it has ended (the chat already says so)."""
    live = await services.requests.live_for_responder(user_id)
    if live is None or live.state is not State.OPEN:
        return None
    return Reply("keep_waiting_ack", {"code": live.code})


async def _already_open(services: Services, live: Request) -> Reply:
    if live.state is State.CLAIMED and live.peer_id is not None:
        peer = await services.peers.get(live.peer_id)
        alias = peer.alias if peer else ""
        return Reply("already_open_claimed", {"code": live.code, "alias": alias})
    return Reply("already_open_waiting", {"code": live.code})


async def begin(services: Services, user_id: int, chat_id: int, *, followup: bool = False,
                previous_peer: int | None = None) -> Reply:
    """"Talk to a peer": the first question, or the open request if one exists. A peer who
    holds conversations hands them on first, so no message of theirs can go astray.
    `followup`: "Talk to a peer again" on a check-in (bot/requests/checkins.py), offered to
    `previous_peer` first."""
    held = await services.requests.claimed_by(user_id)
    if held:
        return Reply("peer_holding_conversations", {"codes": ", ".join(r.code for r in held)})
    language = (await services.texts_for(chat_id)).language
    request = await services.requests.start_intake(user_id, chat_id, services.clock(), language)
    if request.state is not State.INTAKE:
        return await _already_open(services, request)
    await services.requests.restart_intake(request.id, language, followup=followup,
                                           previous_peer=previous_peer)
    return Reply("intake_urgency", {"steps": _question_count(services)},
                 keyboard=lambda texts: keyboards.urgency(texts, request.id))


def _recorded(choice: keyboards.IntakeChoice, agencies: tuple[str, ...]) -> dict[str, object]:
    """What a tap records in the intake answers (nothing for Skip)."""
    if choice.answer == "skip":
        return {}
    if choice.question == "u":
        return {"urgency": choice.answer}
    if choice.question == "s":
        return {"safety": choice.answer}
    if choice.question == "a":
        return {"outside_agency": choice.answer == "outside"}
    if choice.question == "g":
        return {"agency": agencies[int(choice.answer)]}
    return {"discipline": choice.answer}


async def answer(services: Services, user_id: int, choice: keyboards.IntakeChoice,
                 ) -> tuple[Answer, Reply | None]:
    """Record one tap; the Reply (if any) replaces the question with the next one."""
    agencies = services.settings.agencies
    asks_safety = services.settings.safety_question
    steps = _question_count(services)
    step, next_step = _QUESTIONS[choice.question]
    if choice.question == "u" and asks_safety:
        next_step = "safety"
    request = await services.requests.get(choice.request_id)
    if (request is None or choice.answer not in _accepted(choice.question, agencies)
            or not services.requests.is_responder_of(request, user_id)):
        return Answer("stale_button"), None
    values = _recorded(choice, agencies)
    ask_agency = choice.question == "a" and choice.answer == "outside" and bool(agencies)
    if ask_agency:
        next_step = "agency_name"
    updated = await services.requests.answer_intake(request.id, step, next_step, **values)
    if updated is None:
        if _heard_but_unfinished(request, choice):
            # The same tap again after a crash between recording it and opening the request,
            # or between opening it and alerting the team (the stored update is handled
            # anew): finish what it began.
            return Answer(), await _heard_at_risk(services, request)
        return Answer("intake_stale"), None
    if choice.question == "u" and asks_safety:
        return Answer(), Reply("intake_safety", {"step": 2, "steps": steps},
                               keyboard=lambda texts: keyboards.safety(texts, request.id))
    if choice.question == "s" and choice.answer in _AT_RISK:
        return Answer(), await _heard_at_risk(services, updated)
    if choice.question in ("u", "s"):
        return Answer(), Reply("intake_agency", {"step": steps, "steps": steps},
                               keyboard=lambda texts: keyboards.agency(texts, request.id))
    if ask_agency:
        return Answer(), Reply(
            "intake_own_agency",
            keyboard=lambda texts: keyboards.own_agency(texts, request.id, agencies))
    if choice.question in ("a", "g"):
        return Answer(), Reply("intake_message",
                               keyboard=lambda texts: keyboards.discipline(texts, request.id))
    label = Phrase(f"discipline_{choice.answer}")
    return Answer(), Reply("intake_discipline_noted", {"discipline": label})


def _heard_but_unfinished(request: Request, choice: keyboards.IntakeChoice) -> bool:
    if not (choice.question == "s" and choice.answer in _AT_RISK
            and request.intake.safety in _AT_RISK):
        return False
    return request.state is State.INTAKE or (
        request.state in (State.OPEN, State.CLAIMED) and request.high_risk
        and not request.risk_alerted)


async def _heard_at_risk(services: Services, request: Request) -> Reply:
    """Yes or Not sure to the safety question: everything a crisis-screen hit does, at once
    (the crisis line, URGENT for the team, the coordinators, their step of the ladder), and the
    request opens now instead of after a first message; the other questions are not asked.
    The crisis line is in the reply itself, with the thanks and the request's code."""
    await risk.respond(services, request, request.responder_chat_id, RiskSource.ANSWER,
                       send=False)
    flagged = await services.requests.get(request.id)
    assert flagged is not None
    opened = await open_request(services, flagged)
    # The team's alert, once per request (risk.alert), and the crisis line to the responder:
    # also when the request was open already, by a message typed at the same moment or by
    # this tap before a crash (its reply, sent after the handler, never went).
    await risk.alert(services, request.id, just_opened=True)
    return Reply("safety_heard", {"opened": Phrase(opened.key, dict(opened.values))})


async def open_request(services: Services, request: Request) -> Reply:
    """The first message (already stored) opens the request and shows its card to the team."""
    now = services.clock()
    first_step = ladder.deadline(services, now, 0)
    assert first_step is not None
    if not await services.requests.open(request.id, now, first_step):
        current = await services.requests.get(request.id)
        assert current is not None
        return await _already_open(services, current)  # opened once already: no second card
    opened = await services.requests.get(request.id)
    assert opened is not None
    _log.info("request %s opened", opened.code)
    posted = await cards.post(services, opened)
    acknowledgement = await ladder.start(services, opened)
    if not posted:
        acknowledgement = "request_opened_team_unreachable"
    return Reply(acknowledgement, {"code": opened.code})
