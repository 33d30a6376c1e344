"""Safety, as people meet it: the crisis screen in the relay (English and Spanish), the
/resources browser, /refer and /concern for the claiming peer, the audit log, and an agency's
own RESOURCES_FILE."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .harness import (
    CODE,
    GROUP_ID,
    RESPONDER_IDS,
    WAIT,
    BotProcess,
    Peer,
    StartBot,
    StartTeam,
    User,
    answers,
    callback_data,
    claim,
    forge_press,
    labels,
    message_by_id,
    minimal_env,
    new_token,
    open_request,
    peer,
    quiet,
    register,
    responder,
    sent_to,
    shown_text,
    texts,
    wait_for_answer,
    wait_until,
)

# The harness's `responder` only accepts ids that the emulator reports as outside the peer
# group (RESPONDER_IDS, 918273601..918273660); these are not used by other e2e files.
RESPONDERS = tuple(range(918273630, 918273640))
assert set(RESPONDERS) <= set(RESPONDER_IDS)
PEERS = (2101, 2102, 2103)
COORDINATOR = 7001

RISK_EN = "I can't do this anymore, I want to end it"
RISK_ES = "ya no puedo más, quiero quitarme la vida"
VENT_EN = "Long shift, a rough call with a kid, I can't sleep"
VENT_ES = "Turno largo, una llamada muy dura, no puedo dormir"

CRISIS = r"^Thank you for telling us\."  # the start of the crisis-line message
CRISIS_ES = r"^Gracias por contárnoslo\."  # the same, for a responder whose app is in Spanish


def _open_in_spanish(person: User, first_message: str) -> str:
    """/start, "Hablar con un compañero de apoyo", then the first message straight away (it
    skips the questions): the request's code."""
    start = len(person.inbox())
    person.command("/start")
    person.wait_for(r"Equipo de Apoyo entre Pares", timeout=WAIT, after=start)
    question = len(person.inbox())
    person.press(r"^Hablar con")
    person.wait_for(r"^¿Qué tan pronto", timeout=WAIT, after=question)
    before = len(person.inbox())
    person.say(first_message)
    opened = person.wait_for(r"^Tu solicitud (R-[2-9A-Z]{4}) ya está", timeout=WAIT,
                             after=before)
    found = re.search(r"R-[2-9A-Z]{4}", opened["text"])
    assert found is not None
    return found.group(0)
NOTICE = "A new request is waiting, and you are on call."
BACK = "\u2039 Back to the directory"  # the label starts with a single angle quote
UNUSED_API = "http://127.0.0.1:9/bot"  # for runs that must stop before reaching Telegram


# --- Helpers --------------------------------------------------------------------------------


def _crisis_messages(person: User) -> list[str]:
    return [t for t in texts(person) if re.search(CRISIS, t)]


def _without_codes(text: str) -> str:
    """A text with request codes blanked (a code such as R-988K must not look like 988)."""
    return re.sub(CODE, "R-....", text)


def _claim(person: Peer, responder_: User, code: str) -> None:
    """Claim the card of `code` in the group and wait until both sides know."""
    claim(person, code)
    responder_.wait_for(rf"^{person.alias}(,| from the Peer Support Team) (del Equipo de Apoyo "
                        rf"entre Pares, se unió|has joined)", timeout=WAIT)


def _relays_both_ways(person: Peer, responder_: User, code: str, tag: str) -> None:
    peer_line = f"Peer says hello, {tag}."
    at = len(responder_.inbox())
    person.private.say(peer_line)
    responder_.wait_for(rf"^{person.alias}: {re.escape(peer_line)}$", timeout=WAIT, after=at)
    responder_line = f"Responder answers, {tag}."
    at = len(person.private.inbox())
    responder_.say(responder_line)
    person.private.wait_for(rf"^{code}: {re.escape(responder_line)}$", timeout=WAIT, after=at)


def _claimed_conversation(person: Peer, responder_: User, first: str) -> str:
    code = open_request(responder_, first)
    _claim(person, responder_, code)
    return code


def _audit(bot: BotProcess) -> list[tuple[Any, ...]]:
    return bot.db_rows("SELECT action, request_code, detail, actor_id FROM audit ORDER BY id")


# --- The crisis screen ----------------------------------------------------------------------


def test_an_english_risk_message_gets_the_crisis_line_and_an_urgent_team(
        start_team: StartTeam) -> None:
    bot, coordinator, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"), on_call=True)
    emu = bot.emu
    wren = responder(emu, RESPONDERS[0], "Wendeline", "wendeline_r")

    code = open_request(wren, RISK_EN)

    # The responder: the crisis line and the emergency number, once, calmly.
    crisis = wren.wait_for(CRISIS, timeout=WAIT)["text"]
    assert "call 911" in crisis and "988" in crisis
    assert "We have told the team that this is urgent" in crisis
    assert len(_crisis_messages(wren)) == 1

    # The group card and the on-call peer's notice say URGENT first, and can be claimed.
    card = sloane.group.wait_for(rf"Request {code}", timeout=WAIT)
    assert card["text"].startswith("URGENT"), card["text"]
    assert labels(card) == ["Claim"]
    notice = sloane.private.wait_for(re.escape(NOTICE), timeout=WAIT)
    assert "URGENT" in notice["text"] and f"Request {code}" in notice["text"]
    assert labels(notice) == ["Claim"]

    # The coordinator: an URGENT alert naming the request, and nothing of the responder.
    alert = coordinator.wait_for(rf"^URGENT: request {code} ", timeout=WAIT)
    assert "no peer has claimed it yet" in alert["text"]
    to_coordinator = shown_text(sent_to(emu, COORDINATOR))
    for secret in ("end it", "can't do this", "Wendeline", "wendeline_r", str(wren.id)):
        assert secret not in to_coordinator, secret

    # Claimed, the conversation goes on as usual; the peer is told what the screen saw.
    _claim(sloane, wren, code)
    sloane.private.wait_for(rf"^{code}: {re.escape(RISK_EN)}$", timeout=WAIT)
    sloane.private.wait_for(rf"^URGENT, {code}:", timeout=WAIT)
    _relays_both_ways(sloane, wren, code, "after the claim")
    assert len(_crisis_messages(wren)) == 1  # an ordinary line brings no second crisis text


def test_a_spanish_risk_message_gets_the_crisis_line_and_an_urgent_card(
        start_team: StartTeam) -> None:
    bot, coordinator, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"), on_call=True)
    emu = bot.emu
    lucia = emu.user(RESPONDERS[1], "Lucía", username="lucia_r", language_code="es")
    assert lucia.id in RESPONDER_IDS

    code = _open_in_spanish(lucia, RISK_ES)

    crisis = lucia.wait_for(CRISIS_ES, timeout=WAIT)["text"]  # her app is in Spanish
    assert "911" in crisis and "988" in crisis
    card = sloane.group.wait_for(rf"Request {code}", timeout=WAIT)
    assert card["text"].startswith("URGENT"), card["text"]
    notice = sloane.private.wait_for(re.escape(NOTICE), timeout=WAIT)
    assert "URGENT" in notice["text"]
    coordinator.wait_for(rf"^URGENT: request {code} ", timeout=WAIT)
    assert "quitarme" not in shown_text(sent_to(emu, COORDINATOR))

    _claim(sloane, lucia, code)
    sloane.private.wait_for(rf"^{code}: {re.escape(RISK_ES)}$", timeout=WAIT)


def test_ordinary_venting_raises_no_alarm(start_team: StartTeam) -> None:
    bot, _, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"), on_call=True)
    emu = bot.emu
    english = responder(emu, RESPONDERS[2], "Perpetua", "perpetua_r")
    spanish = emu.user(RESPONDERS[3], "Ramiro", language_code="es")

    codes = [open_request(english, VENT_EN), _open_in_spanish(spanish, VENT_ES)]
    for code in codes:
        sloane.group.wait_for(rf"Request {code}", timeout=WAIT)
    quiet()

    for person, code in zip((english, spanish), codes, strict=True):
        assert _crisis_messages(person) == [], texts(person)
        assert not [t for t in texts(person) if re.match(CRISIS_ES, t)], texts(person)
        acknowledgement = person.wait_for(rf"^(Your request|Tu solicitud) {code}",
                                          timeout=WAIT)["text"]
        assert "coordinators have been alerted" not in acknowledgement
        assert "coordinadores" not in acknowledgement
    cards = sloane.group.inbox()
    assert len(cards) == 2
    assert not [c["text"] for c in cards if "URGENT" in c["text"]]
    notices = [t for t in texts(sloane.private) if t.startswith(NOTICE)]
    assert len(notices) == 2
    assert not [t for t in notices if "URGENT" in t]
    assert sent_to(emu, COORDINATOR) == []
    assert emu.bot_messages(COORDINATOR) == []


def test_a_risk_message_in_a_conversation_is_relayed_and_flagged(start_team: StartTeam) -> None:
    bot, coordinator, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"))
    emu = bot.emu
    otto = responder(emu, RESPONDERS[4], "Ottoline", "ottoline_r")
    code = _claimed_conversation(sloane, otto, VENT_EN)
    assert _crisis_messages(otto) == []
    assert not [t for t in texts(sloane.private) if t.startswith(f"URGENT, {code}")]
    before_coordinator = len(sent_to(emu, COORDINATOR))

    risk = "Honestly there is no reason to keep going, I want to die"
    otto.say(risk)

    # Relayed as any other line, and the peer is told what the screen saw.
    sloane.private.wait_for(rf"^{code}: {re.escape(risk)}$", timeout=WAIT)
    flag = sloane.private.wait_for(rf"^URGENT, {code}:", timeout=WAIT)["text"]
    assert "/concern" in flag
    # The responder: the crisis line, naming the peer who is with them.
    crisis = otto.wait_for(CRISIS, timeout=WAIT)["text"]
    assert "911" in crisis and "988" in crisis
    assert "Sloane is here with you" in crisis
    # The coordinator: the code, and that a peer is with them; none of the words.
    alert = coordinator.wait_for(rf"^URGENT: request {code} ", timeout=WAIT)["text"]
    assert "A peer is talking with them" in alert
    new_to_coordinator = sent_to(emu, COORDINATOR)[before_coordinator:]
    for secret in ("reason to keep going", "die", "Ottoline", "ottoline_r", str(otto.id)):
        assert secret not in shown_text(new_to_coordinator), secret

    # Another such line soon after is relayed, without a second crisis text or alert.
    again = "I just want to die"
    otto.say(again)
    sloane.private.wait_for(rf"^{code}: {re.escape(again)}$", timeout=WAIT)
    quiet()
    assert len(_crisis_messages(otto)) == 1
    assert len([t for t in texts(coordinator) if t.startswith("URGENT")]) == 1
    assert len([t for t in texts(sloane.private) if t.startswith(f"URGENT, {code}")]) == 1


# --- /resources -----------------------------------------------------------------------------


def test_resources_browses_in_one_message(bot: BotProcess) -> None:
    emu = bot.emu
    nell = responder(emu, RESPONDERS[5], "Nell", None)
    nell.command("/resources")
    top = nell.wait_for(r"Crisis lines, free and confidential", timeout=WAIT)
    message_id = top["message_id"]
    assert top["text"].index("911") < top["text"].index("988 Suicide & Crisis Lifeline")
    assert "Crisis Text Line" in top["text"]
    assert labels(top) == ["Clinician directory", "Talk to a peer"]
    count = len(nell.inbox())

    def press_and_wait(label: str, expected: str) -> dict[str, Any]:
        edits = len(sent_to(emu, nell.id, "editMessageText"))
        nell.press(label)
        wait_until(lambda: re.search(expected, message_by_id(nell, message_id)["text"])
                   is not None, f"the resources message to show {expected!r}")
        assert len(sent_to(emu, nell.id, "editMessageText")) == edits + 1
        return message_by_id(nell, message_id)

    page = press_and_wait(r"^Clinician directory$", r"page 1 of 1")
    assert labels(page) == ["EXAMPLE Trauma Clinic (replace me)",
                            "EXAMPLE Counsellor, LCSW (replace me)",
                            "EXAMPLE Residential Programme (replace me)", "Crisis lines"]

    entry = press_and_wait(r"^EXAMPLE Trauma Clinic", r"^EXAMPLE Trauma Clinic \(replace me\)")
    assert "Experience with first responders: Ten years with police" in entry["text"]
    assert "Languages: English, Spanish" in entry["text"]
    assert "How to reach them: Call (555) 010-0100" in entry["text"]
    assert "This is an example entry" in entry["text"]
    assert labels(entry) == [BACK, "Crisis lines"]

    back = press_and_wait(rf"^{BACK}$", r"page 1 of 1")
    assert "EXAMPLE Counsellor, LCSW (replace me)" in labels(back)

    crisis = press_and_wait(r"^Crisis lines$", r"Crisis lines, free and confidential")
    assert crisis["text"] == top["text"]
    assert labels(crisis) == ["Clinician directory", "Talk to a peer"]

    # All of it in place: not one new message, and every button was answered.
    assert len(nell.inbox()) == count
    assert len(sent_to(emu, nell.id, "sendMessage")) == 1
    wait_until(lambda: len(answers(emu)) >= 4, "every press to be answered")


# --- /refer and /concern --------------------------------------------------------------------


def test_refer_reaches_the_responder_and_only_the_claiming_peer_can_use_it(
        start_bot: StartBot) -> None:
    bot = start_bot()
    emu = bot.emu
    sloane = register(peer(emu, PEERS[1], "Sloane"))
    kit = register(peer(emu, PEERS[2], "Kit"))
    first = "Saffron harbour nights keep me awake after the pier call."
    tamsin = responder(emu, RESPONDERS[6], "Tamsin", "tamsin_r")
    code = _claimed_conversation(sloane, tamsin, first)

    at = len(sloane.private.inbox())
    sloane.private.command("/refer")
    picker = sloane.private.wait_for(rf"^What would you like to suggest to {code}\?",
                                     timeout=WAIT, after=at)
    assert labels(picker) == ["EXAMPLE Trauma Clinic (replace me)",
                              "EXAMPLE Counsellor, LCSW (replace me)",
                              "EXAMPLE Residential Programme (replace me)"]
    counsellor = callback_data(picker, "EXAMPLE Counsellor, LCSW (replace me)")

    # Another peer pressing the same button (a forged press) is turned away; nothing is sent.
    responder_count = len(tamsin.inbox())
    pressed = len(answers(emu))
    forge_press(emu, kit.private, counsellor, message_id=picker["message_id"],
                text=picker["text"])
    assert wait_for_answer(emu, r"no longer valid", after=pressed) == \
        "This button is no longer valid."
    quiet()
    assert len(tamsin.inbox()) == responder_count
    assert not [t for t in texts(kit.private) if "Sent to" in t]

    # The claiming peer picks the counsellor: the responder gets it, with two buttons.
    sloane.private.press(r"^EXAMPLE Counsellor")
    referral = tamsin.wait_for(r"^Sloane thought this could help you\.", timeout=WAIT,
                               after=responder_count)
    assert "EXAMPLE Counsellor, LCSW (replace me)" in referral["text"]
    assert "How to reach them: Email counsellor@example.org" in referral["text"]
    assert labels(referral) == ["Yes, help me contact them", "No thanks, not now"]
    wait_until(lambda: message_by_id(sloane.private, picker["message_id"])["text"].startswith(
        f"Sent to {code}: EXAMPLE Counsellor, LCSW (replace me)."), "the picker to say so")
    assert labels(message_by_id(sloane.private, picker["message_id"])) == []

    # "Yes, help me contact them" goes to the peer, and the buttons go.
    at = len(sloane.private.inbox())
    pressed = len(answers(emu))
    tamsin.press(r"^Yes, help me contact them$")
    sloane.private.wait_for(
        rf"^{code} would like your help contacting EXAMPLE Counsellor, LCSW \(replace me\)\.$",
        timeout=WAIT, after=at)
    assert "Sloane will help you" in wait_for_answer(emu, r"Sloane will help", after=pressed)
    # The emulator does not apply editMessageReplyMarkup to its history: check the request.
    wait_until(lambda: any(not c.get("reply_markup")
                           for c in sent_to(emu, tamsin.id, "editMessageReplyMarkup")),
               "the referral's buttons to be removed")

    # A responder sending /refer is told it is for peers.
    at = len(tamsin.inbox())
    tamsin.command("/refer")
    tamsin.wait_for(r"^This command is for peers", timeout=WAIT, after=at)

    # The audit log: who referred what, by directory id; no words, no responder.
    assert bot.stop() == 0
    rows = _audit(bot)
    assert ("referral", code, "example-counsellor", sloane.id) in rows, rows
    assert ("referral_help_wanted", code, "example-counsellor", None) in rows, rows
    assert not [r for r in rows if r[0] == "referral" and r[3] == kit.id], rows
    dump = repr(rows)
    for secret in ("Saffron", "pier call", "Tamsin", "tamsin_r", str(tamsin.id)):
        assert secret not in dump, secret


def test_concern_tells_the_coordinator_the_code_and_alias_only(start_team: StartTeam) -> None:
    bot, coordinator, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"), on_call=True)
    emu = bot.emu
    first = "Cobalt lighthouse shift still replays every night."
    later = "Nobody at Juniper station knows I sleep in the truck."
    ines = responder(emu, RESPONDERS[7], "Inesita", "inesita_r")
    code = _claimed_conversation(sloane, ines, first)
    at = len(sloane.private.inbox())
    ines.say(later)
    sloane.private.wait_for(rf"^{code}: {re.escape(later)}$", timeout=WAIT, after=at)

    at = len(sloane.private.inbox())
    sloane.private.command("/concern")
    told = sloane.private.wait_for(rf"^The coordinators have been told that {code}",
                                   timeout=WAIT, after=at)
    assert "nothing else" in told["text"]
    alert = coordinator.wait_for(rf"^Concern raised by peer Sloane about request {code}:",
                                 timeout=WAIT)["text"]
    assert "Please get in touch with Sloane." in alert

    quiet()
    received = shown_text(sent_to(emu, COORDINATOR)) + json.dumps(coordinator.inbox())
    for secret in (first, later, "Cobalt", "Juniper", "lighthouse", "Inesita", "inesita_r",
                   str(ines.id)):
        assert secret not in received, secret
    assert len([t for t in texts(coordinator) if t.startswith("Concern raised")]) == 1
    assert bot.stop() == 0
    assert ("concern", code, None, sloane.id) in _audit(bot)


# --- RESOURCES_FILE -------------------------------------------------------------------------

UK_RESOURCES = """\
emergency_number = "999"
crisis_action = "call Samaritans on 116 123"

[[crisis_lines]]
id = "samaritans"
name = "Samaritans"
region = "United Kingdom and Ireland"
contact = "Call 116 123"
hours = "Any time, free"
"""


def test_an_agencys_resources_file_replaces_the_numbers(start_team: StartTeam,
                                                        tmp_path: Path) -> None:
    resources = tmp_path / "uk-resources.toml"
    resources.write_text(UK_RESOURCES, encoding="utf-8")
    bot, _, [sloane] = start_team(COORDINATOR, (PEERS[0], "Sloane"), on_call=True,
                                  RESOURCES_FILE=str(resources))
    emu = bot.emu
    hollis = responder(emu, RESPONDERS[8], "Hollis", None)

    hollis.command("/start")
    welcome = hollis.wait_for(r"thank you for reaching out", timeout=WAIT)["text"]
    assert "call 999" in welcome and "call Samaritans on 116 123" in welcome

    code = open_request(hollis, RISK_EN)
    crisis = hollis.wait_for(CRISIS, timeout=WAIT)["text"]
    assert "call 999" in crisis and "call Samaritans on 116 123" in crisis
    sloane.group.wait_for(rf"^URGENT.*Request {code}", timeout=WAIT)

    at = len(hollis.inbox())
    hollis.command("/resources")
    lines = hollis.wait_for(r"Crisis lines, free and confidential", timeout=WAIT, after=at)
    assert "Samaritans (United Kingdom and Ireland)" in lines["text"]
    hollis.press(r"^Clinician directory$")
    wait_until(lambda: "has not listed any clinicians" in message_by_id(
        hollis, lines["message_id"])["text"], "the empty directory")
    assert "call Samaritans on 116 123" in message_by_id(hollis, lines["message_id"])["text"]

    everything = [_without_codes(t) for t in texts(hollis)]
    assert not [t for t in everything if "911" in t or "988" in t], everything


@pytest.mark.parametrize(("contents", "reason"), [
    ("emergency_number = \"999\n[[crisis_lines]\n", r"not valid TOML"),
    ("emergency_number = \"999\"\ncrisis_action = \"call 116 123\"\n", r"crisis_lines"),
])
def test_a_broken_resources_file_stops_the_bot(tmp_path: Path, bot_keys: dict[str, str],
                                               contents: str, reason: str) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(contents, encoding="utf-8")
    settings = {"BOT_TOKEN": new_token(), "PEER_GROUP_ID": str(GROUP_ID), **bot_keys,
                "TELEGRAM_API_BASE_URL": UNUSED_API,
                "DATABASE_PATH": str(tmp_path / "data" / "peer_support.db"),
                "RESOURCES_FILE": str(broken)}
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path,
                            env=minimal_env(**settings), capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 2, result
    assert "RESOURCES_FILE" in result.stderr
    assert re.search(reason, result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists(), "nothing is created with a broken resources file"
