"""The three ways risk is heard, as people meet them: the intake's safety question (Yes, Not
sure, No, Skip, and SAFETY_QUESTION=off), the claiming peer's /urgent (and everyone else's
refused), and the crisis screen on messages in Spanish and French and on risk said a little
at a time over three messages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.safety.screen import layers

from .harness import (
    CODE,
    RESPONDER_IDS,
    SAFETY_QUESTION,
    WAIT,
    BotProcess,
    Emulator,
    StartBot,
    StartTeam,
    User,
    labels,
    open_request,
    quiet,
    responder,
    sent_to,
    texts,
)

RESPONDERS = tuple(range(918273710, 918273720))
assert set(RESPONDERS) <= set(RESPONDER_IDS)
PEERS = (2201, 2202)
COORDINATOR = 7201
CRISIS = r"^Thank you for telling us\. It sounds like"  # the crisis-line message
HEARD = r"^Thank you for telling us\. That took courage"


def _to(emu: Emulator, chat_id: int) -> list[str]:
    return [str(c.get("text")) for c in sent_to(emu, chat_id, "sendMessage")]


def _answer_how_soon(person: User, steps: int) -> int:
    """/start, Talk to a peer, "Today" (question 1 of `steps`); where the inbox was."""
    at = len(person.inbox())
    person.command("/start")
    person.wait_for(r"confidential", timeout=WAIT, after=at)
    at = len(person.inbox())
    person.press(r"^Talk to a peer$")
    person.wait_for(rf"How soon would you like to talk\? \(1 of {steps}", timeout=WAIT,
                    after=at)
    person.press(r"^Today$")
    return at


def _to_safety_question(person: User) -> dict[str, Any]:
    """The safety question, as the responder sees it."""
    at = _answer_how_soon(person, steps=3)
    return dict(person.wait_for(SAFETY_QUESTION, timeout=WAIT, after=at))


def _risk_source(bot: BotProcess) -> list[tuple[Any, ...]]:
    return bot.db_rows("SELECT code, high_risk, risk_source, escalation_step FROM requests")


@pytest.mark.parametrize("answer", ["Yes", "Not sure"])
def test_yes_or_not_sure_is_a_crisis_at_once_and_opens_the_request(
        start_team: StartTeam, answer: str) -> None:
    bot, coordinator, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"), on_call=True,
                                            ESCALATION_SCHEDULE="1h,2h,3h")
    emu = bot.emu
    wren = responder(emu, RESPONDERS[0], "Wendeline", "wendeline_r")

    question = _to_safety_question(wren)
    assert labels(question) == ["Yes", "Not sure", "No", "Skip"]
    assert "(2 of 3" in question["text"] and "skip" in question["text"]
    wren.press(rf"^{answer}$")

    # At once, in place of the question: thanks, the crisis line and the emergency number, a
    # human line that a peer is being found now, and the request's code: no more questions.
    heard = wren.wait_for(HEARD, timeout=WAIT)
    assert "please call 911 now" in heard["text"] and "call or text 988" in heard["text"]
    assert "We are finding a peer for you right now" in heard["text"]
    code = re.search(CODE, heard["text"])
    assert code is not None and heard["message_id"] == question["message_id"]
    assert labels(heard) == []

    # The team: an URGENT card with its Claim button, the on-call peer's URGENT notice, and
    # the coordinator told the code and why, nothing of the responder.
    card = sloane.group.wait_for(rf"Request {code.group(0)}", timeout=WAIT)
    assert card["text"].startswith("URGENT") and labels(card) == ["Claim"]
    alert = coordinator.wait_for(rf"^URGENT: request {code.group(0)} ", timeout=WAIT)
    assert "answered Yes or Not sure when the bot asked" in alert["text"]
    for secret in ("Wendeline", "wendeline_r", str(wren.id)):
        assert secret not in " ".join(_to(emu, COORDINATOR)), secret
    # Straight to the coordinators' step of the ladder (step 2), not after an hour.
    assert _risk_source(bot) == [(code.group(0), 1, "answer", 2)]

    # What they write next is kept for the peer, who is told why it is urgent.
    at = len(wren.inbox())
    wren.say("I don't know what to say. Just tired of everything.")
    wren.wait_for(r"saved", timeout=WAIT, after=at)
    sloane.group.press(r"^Claim$")
    sloane.private.wait_for(rf"^{code.group(0)}: I don't know what to say", timeout=WAIT)
    flag = sloane.private.wait_for(rf"^URGENT, {code.group(0)}:", timeout=WAIT)
    assert "answered Yes or Not sure" in flag["text"]
    assert len([t for t in texts(wren) if "call 911 now" in t]) == 1  # said once, not twice


@pytest.mark.parametrize("answer", ["No", "Skip"])
def test_no_or_skip_goes_on_to_the_next_question_without_alarm(
        start_team: StartTeam, answer: str) -> None:
    bot, _, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"), on_call=True)
    emu = bot.emu
    wren = responder(emu, RESPONDERS[1], "Wendeline", "wendeline_r")

    _to_safety_question(wren)  # the question is edited into the next one, in place
    wren.press(rf"^{answer}$")
    asked = wren.wait_for(r"outside your own agency\? \(3 of 3\)", timeout=WAIT)
    assert labels(asked) == ["Yes, outside my agency", "No matter", "Skip"]
    wren.press(r"^No matter$")
    wren.wait_for(r"Write whatever", timeout=WAIT)
    at = len(wren.inbox())
    wren.say("Long week of nights, would like to talk it through.")
    opened = wren.wait_for(rf"Your request ({CODE}) is with the Peer Support Team", timeout=WAIT,
                           after=at)
    code = re.search(CODE, opened["text"])
    assert code is not None
    card = sloane.group.wait_for(rf"Request {code.group(0)}", timeout=WAIT)
    quiet()
    assert not card["text"].startswith("URGENT")
    assert not [t for t in texts(wren) if re.search(CRISIS, t)]
    assert _to(emu, COORDINATOR) == []
    assert _risk_source(bot) == [(code.group(0), 0, None, 0)]


def test_safety_question_off_asks_only_the_two_questions(start_bot: StartBot) -> None:
    bot = start_bot(SAFETY_QUESTION="off")
    emu = bot.emu
    wren = responder(emu, RESPONDERS[2], "Wendeline", "wendeline_r")
    _answer_how_soon(wren, steps=2)
    wren.wait_for(r"outside your own agency\? \(2 of 2\)", timeout=WAIT)
    assert not [t for t in texts(wren) if re.search(SAFETY_QUESTION, t)]
    code = open_request(wren, "Second try, same as before.", safety=None)
    assert re.fullmatch(CODE, code)


def test_urgent_by_the_claiming_peer_and_refused_to_anyone_else(start_team: StartTeam) -> None:
    bot, coordinator, [sloane, kit] = start_team(COORDINATOR, (PEERS[0], "Sloane"),
                                                 (PEERS[1], "Kit"))
    emu = bot.emu
    wren = responder(emu, RESPONDERS[3], "Wendeline", "wendeline_r")
    code = open_request(wren, "Rough few weeks on nights. Would like to talk sometime.")
    card = sloane.group.wait_for(rf"Request {code}", timeout=WAIT)
    assert not card["text"].startswith("URGENT")
    at = len(sloane.private.inbox())
    sloane.group.press(r"^Claim$")
    sloane.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT, after=at)

    # Someone who holds no conversation, and a responder, cannot mark anything urgent.
    told = len(_to(emu, COORDINATOR))  # nobody was on call: the coordinators heard of it
    at = len(kit.private.inbox())
    kit.private.command("/urgent")
    refused = kit.private.wait_for(r".", timeout=WAIT, after=at)
    assert "URGENT" not in refused["text"]
    at = len(kit.private.inbox())
    kit.private.command(f"/urgent {code}")
    kit.private.wait_for(r".", timeout=WAIT, after=at)
    at = len(wren.inbox())
    wren.command("/urgent")  # a responder in distress may try it: the numbers, and the way in
    told_responder = wren.wait_for(r"/urgent is for peers", timeout=WAIT, after=at)["text"]
    assert "call 911" in told_responder and "988" in told_responder
    quiet()
    assert _risk_source(bot)[0][1:3] == (0, None)
    assert len(_to(emu, COORDINATOR)) == told

    # The claiming peer: the conversation becomes high risk with every effect of a screen hit.
    at = len(sloane.private.inbox())
    sloane.private.command("/urgent")
    marked = sloane.private.wait_for(rf"^{code} is now marked URGENT", timeout=WAIT, after=at)
    assert "your alias" in marked["text"]
    crisis = wren.wait_for(r"^Your peer asked us to make sure you have these", timeout=WAIT)
    assert "call 911 now" in crisis["text"] and "Sloane is here with you" in crisis["text"]
    alert = coordinator.wait_for(rf"^URGENT: Sloane, the peer talking with request {code}",
                                 timeout=WAIT)
    for secret in ("Wendeline", "wendeline_r", str(wren.id), "home"):
        assert secret not in alert["text"], secret
    sloane.group.wait_for(r"^URGENT.*Claimed by Sloane", timeout=WAIT)
    assert _risk_source(bot)[0][1:3] == (1, "peer")

    # Again: it already is, and nobody is told twice.
    at = len(sloane.private.inbox())
    sloane.private.command("/urgent")
    sloane.private.wait_for(rf"^{code} is already marked URGENT", timeout=WAIT, after=at)
    quiet()
    assert len(_to(emu, COORDINATOR)) == told + 1
    assert len([t for t in texts(wren) if "call 911 now" in t]) == 1

    actions = [row[0] for row in bot.db_rows("SELECT action FROM audit")]
    assert actions.count("urgent") == 1


@pytest.mark.parametrize(("language", "message", "crisis"), [
    ("es", "ya no quiero seguir aquí, dejé el arma cargada en la mesa de la cocina",
     r"^Gracias por contárnoslo\."),
    ("fr", "j'ai plus envie de me réveiller le matin, je pense à prendre tous mes cachets",
     r"^Merci de nous l'avoir dit\."),
])
def test_risk_in_spanish_and_french(start_team: StartTeam, language: str, message: str,
                                    crisis: str) -> None:
    bot, coordinator, _ = start_team(COORDINATOR)
    emu = bot.emu
    person = emu.user(RESPONDERS[4], "Rémi", username="remi_r", language_code=language)
    at = len(person.inbox())
    person.command("/start")
    person.wait_for(r".", timeout=WAIT, after=at)
    person.press(r".")  # the first button of the welcome: talk to a peer
    person.wait_for(r"\(1 \w+ 3", timeout=WAIT, after=at)
    person.say(message)  # typing straight away skips the questions
    person.wait_for(crisis, timeout=WAIT, after=at)
    coordinator.wait_for(r"^URGENT: request R-", timeout=WAIT)
    assert [row[1:3] for row in _risk_source(bot)] == [(1, "screen")]


# Each alone is below an alarm, with a weak signal from the learned model (about 0.2, 0.3 and
# 0.85 of one); the first two together are not one, all three are.
SPREAD = (
    "Put my passwords in an envelope for my wife.",
    "I keep thinking about the guy from the bridge call, he looked so calm.",
    "Wrote a couple of letters tonight, for the kids.",
)


def test_risk_spread_over_three_messages_is_added_up(start_team: StartTeam) -> None:
    readings = [layers.read(line) for line in SPREAD]  # the premise, in this process
    assert not any(r.at_risk for r in readings)
    assert sum(r.signal for r in readings[:2]) < 0.9 and sum(r.signal for r in readings) > 1.1
    bot, coordinator, _ = start_team(COORDINATOR)
    emu = bot.emu
    wren = responder(emu, RESPONDERS[5], "Wendeline", "wendeline_r")
    code = open_request(wren, "Hey. Not sure how this works.")
    for number, line in enumerate(SPREAD, start=1):
        at = len(wren.inbox())
        wren.say(line)
        wren.wait_for(r"saved", timeout=WAIT, after=at)  # nobody has claimed it yet
        if number < len(SPREAD):
            quiet()
            assert not [t for t in texts(wren) if re.search(CRISIS, t)], number
    wren.wait_for(CRISIS, timeout=WAIT)
    coordinator.wait_for(rf"^URGENT: request {code} ", timeout=WAIT)
    assert _risk_source(bot)[0][1:3] == (1, "screen")
