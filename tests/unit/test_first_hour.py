"""The first hour of a new team, as its people see it: a coordinator's /start, alerts that say
why they came and what to do, the backup chat told whom to contact, /oncall for days with the
date it ends (and the reminder before it), and thanks that stay in the chat."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest
from conftest import GROUP, START, Clock, Harness, in_group, peer, responder
from offline import Person

from bot.escalation import sweep
from bot.platform import commands
from bot.platform.commands import Audience
from bot.platform.outbox import send_scope

COORDINATOR = 4001  # not in the peer group
COORDINATOR_PEER = 2003  # in the peer group, and a coordinator
BACKUP = -2002
CONTACT = "the duty supervisor, 555-0100"
COORDINATOR_COMMANDS = ("/stats", "/export", "/roster", "/peers", "/removepeer", "/audit",
                        "/help")


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR, COORDINATOR_PEER}),
            "backup_chat_id": BACKUP, "backup_contact": CONTACT,
            "escalation_schedule": (300.0, 900.0, 1800.0), "timezone": "America/Chicago"}


def _coordinator(user_id: int = COORDINATOR, name: str = "Casey") -> Person:
    return Person(user_id, name)


def _alerts(harness: Harness, code: str, chat: int = COORDINATOR) -> list[str]:
    return [t for t in harness.texts_to(chat) if code in t]


# --- 1. A coordinator's /start ----------------------------------------------------------------


def _menus_for(harness: Harness, chat_id: int) -> list[list[str]]:
    """The commands of every menu set for one private chat (setMyCommands), oldest first."""
    found = []
    for call in harness.request.calls:
        if call.method != "setMyCommands":
            continue
        scope, listed = call.params["scope"], call.params["commands"]
        scope = json.loads(scope) if isinstance(scope, str) else scope
        listed = json.loads(listed) if isinstance(listed, str) else listed
        if scope.get("chat_id") == chat_id:
            found.append([entry["command"] for entry in listed])
    return found


def _menu_set_for(harness: Harness, chat_id: int) -> list[tuple[str, str]]:
    """The last menu set for one private chat: (command, description) pairs."""
    [*_, call] = [c for c in harness.request.calls if c.method == "setMyCommands"
                  and _chat_of_scope(c.params["scope"]) == chat_id]
    listed = call.params["commands"]
    listed = json.loads(listed) if isinstance(listed, str) else listed
    return [(entry["command"], entry["description"]) for entry in listed]


def _chat_of_scope(scope: Any) -> int | None:
    scope = json.loads(scope) if isinstance(scope, str) else scope
    chat: int | None = scope.get("chat_id")
    return chat


async def test_a_coordinator_is_greeted_as_a_coordinator_in_private(harness: Harness) -> None:
    casey = _coordinator()
    harness.request.calls.clear()  # start-up's menus: Telegram refuses them before a /start
    await harness.send(casey.command("/start"))
    [greeting] = harness.texts_to(casey.user_id)
    assert greeting.startswith("Welcome: you are a coordinator of the Peer Support Team.")
    for alert in ("nobody on call", "climbs the escalation ladder", "flagged high risk"):
        assert alert.replace("nobody on call", "no peer on call") in greeting, alert
    for command in COORDINATOR_COMMANDS:
        assert command in greeting, command
    assert "If you need support yourself, tap Talk to a peer below" in greeting
    assert "registered as a peer" not in greeting
    assert "confidential" not in greeting  # not the responder's welcome
    assert [b["text"] for b in harness.last_to(casey.user_id).buttons] == [
        "Talk to a peer", "Resources"]
    assert await harness.services.peers.get(casey.user_id) is None
    # Their menu is the coordinator's from now on (at start-up Telegram refused it).
    [menu] = _menus_for(harness, casey.user_id)
    assert {"stats", "roster", "peers", "removepeer", "audit", "help"} <= set(menu)


async def test_a_coordinator_can_still_ask_for_support(harness: Harness) -> None:
    casey = _coordinator()
    await harness.send(casey.command("/start"))
    await harness.press(casey, "Talk to a peer")
    await harness.send(casey.text("Rough week, I need to talk to someone."))
    assert re.search(r"Your request R-[2-9A-Z]{4} is with the Peer Support Team",
                     harness.texts_to(casey.user_id)[-1])
    assert harness.texts_to(GROUP)[-1].startswith("Request R-")


async def test_a_coordinator_in_the_peer_group_is_registered_and_told_both(
        harness: Harness) -> None:
    jo = _coordinator(COORDINATOR_PEER, "Jo")
    await harness.send(jo.command("/start"))
    [greeting] = harness.texts_to(jo.user_id)
    assert greeting.startswith("Welcome, Jo: you are registered as a peer")
    assert "You are also a coordinator of the Peer Support Team." in greeting
    assert "/roster" in greeting and "/oncall" in greeting
    assert await harness.services.peers.get(jo.user_id) is not None


async def test_a_coordinator_removed_as_a_peer_keeps_the_coordinators_menu(
        harness: Harness) -> None:
    """/removepeer takes the peer's menu away; a coordinator is still one, so they get the
    coordinator's menu (in their language) instead of no menu at all."""
    jo, kim = _coordinator(COORDINATOR_PEER, "Jo"), peer(2002, "Kim")
    await harness.register_peer(jo)
    await harness.send(jo.command("/language es"))
    await harness.register_peer(kim)
    casey = _coordinator()
    await harness.send(casey.command("/removepeer Jo"))
    assert harness.texts_to(COORDINATOR)[-1].startswith("Jo is no longer a peer")
    assert _menu_set_for(harness, jo.user_id) == commands.menu(
        Audience.COORDINATOR, harness.services.texts_in("es"))
    # Someone who is only a peer is left with the responders' menu for every private chat.
    await harness.send(casey.command("/removepeer Kim"))
    assert harness.texts_to(COORDINATOR)[-1].startswith("Kim is no longer a peer")
    assert _menu_set_for(harness, kim.user_id) == []


async def test_in_the_peer_group_a_coordinator_gets_the_groups_one_short_answer(
        harness: Harness) -> None:
    await harness.send(in_group(_coordinator(COORDINATOR_PEER, "Jo")).command("/start"))
    [answer] = harness.texts_to(GROUP)
    assert answer == ("Peers register and talk with responders, and coordinators get their "
                      "alerts, in a private chat with me: open it and send /start there.")
    assert await harness.services.peers.get(COORDINATOR_PEER) is None  # nothing in the group


async def test_a_responder_still_gets_the_responders_welcome(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/start"))
    welcome = harness.texts_to(alex.user_id)[-1]
    assert welcome.startswith("Hello, and thank you for reaching out.")
    assert "coordinator" not in welcome


# --- 2. Every coordinator alert says why, and what to do ------------------------------------


async def test_nobody_on_call_says_so(harness: Harness, clock: Clock) -> None:
    await harness.register_peer(peer())  # registered, not on call
    code = await harness.open_request(responder())
    [alert] = _alerts(harness, code)
    assert alert.startswith(f"Request {code} has been waiting 0s and nobody has claimed it")
    assert ("Why this alert: no peer on call could be told of it (nobody is on call, or none "
            "could be reached).") in alert
    # Not "/roster shows who is on call, so you can ask one of them": nobody is.
    assert "/roster" not in alert
    assert alert.endswith("What you can do: ask a peer to go on call with /oncall, so that they "
                          "are told of requests, and to claim this one from its card in the "
                          "peer group. If you are a peer too, claim it yourself from there.")


async def test_a_hand_back_with_nobody_else_on_call_is_one_alert_not_two(
        harness: Harness, clock: Clock) -> None:
    """The only peer on call hands it back: the hand-back alert says nobody else is on call
    and how long ago it was opened, and is the coordinators' one message; the ladder's own
    alert ("has been waiting", the same news) is not sent on top of it. Everything else the
    ladder does happens as before: the responder, the card, step 3 and the backup chat."""
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    code = await harness.claimed(alex, sam)
    clock.now = START + 8 * 60
    await harness.send(sam.command("/release I know this person"))
    for coordinator in (COORDINATOR, COORDINATOR_PEER):
        [alert] = _alerts(harness, code, coordinator)
        assert alert.startswith(f"Request {code} is back in the queue: Sam handed it back.")
        assert "It was opened 8m ago. No other peer is on call right now" in alert
    assert harness.texts_to(alex.user_id)[-1].startswith("Sam had to step away")
    assert harness.texts_to(GROUP)[-1].startswith(f"Request {code}")  # the card, again
    request = await harness.services.requests.get_by_code(code)
    assert request is not None  # the ladder is at the coordinators' step, as before
    assert (request.escalation_step, request.next_step_at) == (2, clock.now + 1800)

    clock.now += 1800
    await sweep.sweep(harness.services)
    [_, step3] = _alerts(harness, code)
    assert step3.startswith(f"Request {code} has been waiting 38m")
    assert "it reached the last step of the escalation ladder (3 of 3)" in step3
    [backup] = harness.texts_to(BACKUP)
    assert backup.startswith(f"Request {code} has been waiting 38m")


async def test_a_hand_back_when_the_others_on_call_cannot_be_told_keeps_both_alerts(
        harness: Harness, clock: Clock) -> None:
    """Kim is on call but pausing after a high-risk conversation: the hand-back alert points
    to /roster (Kim is listed there), and the ladder's alert says that no peer on call could
    be told: news the hand-back alert does not carry."""
    sam, kim = peer(), peer(2002, "Kim")
    await harness.on_call(sam)
    await harness.on_call(kim)
    await harness.services.peers.start_cooldown(kim.user_id, START + 3600)
    code = await harness.claimed(responder(), sam)
    await harness.send(sam.command("/release I know this person"))
    [handed_back, waiting] = _alerts(harness, code)
    assert "What you can do: /roster shows who is on call" in handed_back
    assert waiting.startswith(f"Request {code} has been waiting 0s")
    # Kim is on call, so not "the only peer on call": nobody besides Sam could be told.
    assert ("Why this alert: no peer on call besides the one who just handed it back could be "
            "told of it (nobody else is on call, or those who are cannot be told now).") in waiting


async def test_a_release_with_another_peer_on_call_tells_them_not_the_coordinators(
        harness: Harness, clock: Clock) -> None:
    sam, kim = peer(), peer(2002, "Kim")
    await harness.on_call(sam)
    await harness.on_call(kim)
    code = await harness.claimed(responder(), sam)
    await harness.send(sam.command("/release I know this person"))
    assert not [t for t in _alerts(harness, code) if t.startswith(f"Request {code} has been")]
    assert any(code in t for t in harness.texts_to(kim.user_id))


async def test_now_says_the_responder_asked_for_help_now(harness: Harness,
                                                           clock: Clock) -> None:
    await harness.on_call(peer())
    alex = responder()
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    await harness.press(alex, "^Now$")
    await harness.send(alex.text("Please, someone, now."))
    [code] = re.findall(r"R-[2-9A-Z]{4}", harness.texts_to(alex.user_id)[-1])
    [alert] = _alerts(harness, code)
    assert "Why this alert: the responder asked for help now." in alert


async def test_each_step_says_which_step_and_the_last_names_the_backup(
        harness: Harness, clock: Clock) -> None:
    await harness.on_call(peer())
    code = await harness.open_request(responder())
    clock.now = START + 900
    await sweep.sweep(harness.services)
    clock.now = START + 1800
    await sweep.sweep(harness.services)
    step2, step3 = _alerts(harness, code)
    assert "Why this alert: it reached step 2 of 3 of the escalation ladder." in step2
    assert ("Why this alert: it reached the last step of the escalation ladder (3 of 3), and "
            "the backup chat has been asked to help too.") in step3
    for alert in (step2, step3):
        assert "What you can do: /roster shows who is on call" in alert


async def test_without_a_backup_chat_the_last_step_says_nobody_else_is_told(
        harness: Harness, clock: Clock) -> None:
    harness.services.settings = dataclasses.replace(harness.services.settings,
                                                    backup_chat_id=None)
    await harness.on_call(peer())
    code = await harness.open_request(responder())
    clock.now = START + 1800
    await sweep.sweep(harness.services)
    [alert] = _alerts(harness, code)
    assert ("it reached the last step of the escalation ladder (3 of 3): nobody else will be "
            "told.") in alert


async def test_a_high_risk_answer_says_so_and_what_to_do(harness: Harness,
                                                          clock: Clock) -> None:
    await harness.on_call(peer())
    alex = responder()
    await harness.send(alex.command("/start"))
    await harness.press(alex, "Talk to a peer")
    await harness.press(alex, "^Today$")
    await harness.press(alex, "^Yes$")
    request = await harness.services.requests.live_for_responder(alex.user_id)
    assert request is not None
    waiting, urgent = _alerts(harness, request.code)
    assert "Why this alert: it is flagged high risk (see the URGENT alert)." in waiting
    assert urgent.startswith(f"URGENT: request {request.code} may involve a risk of harm")
    assert ("What you can do: /roster shows who is on call, so you can ask one of them to "
            "claim it now.") in urgent


async def test_a_request_back_in_the_queue_says_what_to_do(harness: Harness,
                                                           clock: Clock) -> None:
    sam = peer()
    await harness.on_call(peer(2002, "Kim"))  # someone else is on call: /roster shows them
    code = await harness.claimed(responder(), sam)
    await harness.send(sam.command("/release I know this person"))
    [alert] = [t for t in _alerts(harness, code) if "back in the queue" in t]
    assert alert.startswith(f"Request {code} is back in the queue: Sam handed it back. "
                            "Reason: I know this person\n")
    assert "It climbs the escalation ladder again from the start." in alert
    assert "What you can do: /roster shows who is on call" in alert


async def test_a_request_handed_back_with_nobody_else_on_call_says_so(
        harness: Harness, clock: Clock) -> None:
    """The only peer on call hands it back: /roster would list nobody to ask, so the alert
    says so and what to do instead."""
    sam = peer()
    await harness.on_call(sam)
    await harness.register_peer(peer(2002, "Kim"))  # a peer, not on call
    code = await harness.claimed(responder(), sam)
    clock.now = START + 5 * 60
    await harness.send(sam.command("/release I know this person"))
    [alert] = [t for t in _alerts(harness, code) if "back in the queue" in t]
    assert alert == (
        f"Request {code} is back in the queue: Sam handed it back. Reason: I know this "
        "person\n"
        "It was opened 5m ago. No other peer is on call right now, so there is nobody on call "
        "to ask. The responder has been sent the crisis line.\n"
        "\n"
        "What you can do: ask a peer directly to claim it from its card in the peer group, or "
        "to go on call with /oncall, so that they are told of requests. If you are a peer too, "
        "claim it yourself from there, or go on call with /oncall.")
    assert "988" in harness.texts_to(responder().user_id)[-1]  # what the alert says is so


async def test_a_hand_back_alert_is_in_the_coordinators_language(harness: Harness,
                                                                  clock: Clock) -> None:
    await harness.send(_coordinator().command("/language es"))
    sam = peer()
    code = await harness.claimed(responder(), sam)
    await harness.send(sam.command("/release"))
    [alert] = [t for t in _alerts(harness, code) if "volvió a la cola" in t]
    assert "No hay ningún otro compañero de apoyo de guardia en este momento" in alert
    assert "/roster" not in alert


async def test_a_silent_peer_says_what_to_do(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.on_call(peer(2002, "Kim"))  # someone else is on call: /roster shows them
    code = await harness.claimed(responder(), sam)
    clock.now = START + 2 * 10 * 60 + 1  # twice PEER_REPLY_MINUTES: handed back
    await sweep.sweep(harness.services)
    [alert] = [t for t in _alerts(harness, code) if "back in the queue" in t]
    assert "did not write to the responder in time" in alert
    assert "What you can do: /roster shows who is on call" in alert
    assert "You may also want to check in with Sam." in alert


async def test_a_silent_peer_with_nobody_else_on_call_says_so_in_one_alert(
        harness: Harness, clock: Clock) -> None:
    """As a hand-back: not /roster (it would list nobody), but what to do instead, and no
    second alert from the ladder."""
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    code = await harness.claimed(alex, sam)
    clock.now = START + 2 * 10 * 60 + 1  # twice PEER_REPLY_MINUTES: handed back
    await sweep.sweep(harness.services)
    [alert] = _alerts(harness, code)
    assert alert == (
        f"Request {code} is back in the queue: Sam claimed it but did not write to the "
        "responder in time.\n"
        "It was opened 20m ago. No other peer is on call right now, so there is nobody on call "
        "to ask. The responder has been sent the crisis line.\n"
        "\n"
        "What you can do: ask a peer directly to claim it from its card in the peer group, or "
        "to go on call with /oncall, so that they are told of requests. If you are a peer too, "
        "claim it yourself from there, or go on call with /oncall. You may also want to check "
        "in with Sam.")
    assert "988" in harness.texts_to(alex.user_id)[-1]  # what the alert says is so


async def test_a_silent_peer_alert_with_nobody_on_call_in_french(harness: Harness,
                                                                 clock: Clock) -> None:
    await harness.send(_coordinator().command("/language fr"))
    sam = peer()
    code = await harness.claimed(responder(), sam)
    clock.now = START + 2 * 10 * 60 + 1
    await sweep.sweep(harness.services)
    [alert] = [t for t in _alerts(harness, code) if "file d'attente" in t]
    assert "Elle a été ouverte il y a 20m. Aucun autre pair aidant n'est de garde" in alert
    assert "/roster" not in alert and alert.endswith("des nouvelles de Sam.")


# --- 3. The backup chat is told whom to contact --------------------------------------------


async def test_the_backup_chat_is_told_whom_to_contact_and_nothing_about_the_responder(
        harness: Harness, clock: Clock) -> None:
    alex = responder()
    await harness.on_call(peer())
    code = await harness.open_request(alex, "My sergeant keeps calling me at night.")
    clock.now = START + 1800
    await sweep.sweep(harness.services)
    [told] = harness.texts_to(BACKUP)
    assert told == (f"Request {code} has been waiting 30m and no peer has claimed it. Can "
                    f"your team help?\n\nPlease contact: {CONTACT}\n"
                    f"Mention the request code {code}.")
    for secret in ("Alexandra", "alex_private", str(alex.user_id), "sergeant"):
        assert secret not in told


async def test_without_a_backup_contact_the_backup_chat_is_shown_the_way_to_the_team(
        harness: Harness, clock: Clock) -> None:
    harness.services.settings = dataclasses.replace(harness.services.settings,
                                                    backup_contact=None)
    await harness.on_call(peer())
    code = await harness.open_request(responder())
    clock.now = START + 1800
    await sweep.sweep(harness.services)
    [told] = harness.texts_to(BACKUP)
    assert told.endswith("Please get in touch with the Peer Support Team's coordinators (or "
                         f"whoever leads your team) and mention the request code {code}.")
    assert "Please contact:" not in told


# --- 4. /oncall for days, with the date it ends --------------------------------------------


async def test_oncall_for_a_day_shows_the_date_it_ends(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await harness.send(sam.command("/oncall 1d"))
    # START is Friday, January 15 2027, 02:00 in Chicago.
    assert harness.texts_to(sam.user_id)[-1] == (
        "You are on call until Saturday, January 16 at 02:00 CST (1d): new requests will be "
        "sent to you here. /offcall to stop earlier.")
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.on_call_until == START + 86400


@pytest.mark.parametrize(("duration", "until"), [
    ("90m", "until 03:30 CST (1h30m)"),
    ("12h", "until 14:00 CST (12h)"),
    ("1d12h", "until Saturday, January 16 at 14:00 CST (1d12h)"),
    ("2d", "until Sunday, January 17 at 02:00 CST (2d)"),
    ("14d", "until Friday, January 29 at 02:00 CST (14d)"),
])
async def test_oncall_accepts_days_and_combinations(harness: Harness, clock: Clock,
                                                    duration: str, until: str) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await harness.send(sam.command(f"/oncall {duration}"))
    assert harness.texts_to(sam.user_id)[-1].startswith(f"You are on call {until}:")


async def test_oncall_past_midnight_shows_the_date(harness: Harness, clock: Clock) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await harness.send(sam.command("/oncall 23h"))  # 01:00 tomorrow, Chicago time
    assert "until Saturday, January 16 at 01:00 CST (23h)" in harness.texts_to(sam.user_id)[-1]


async def test_oncall_too_long_or_unreadable_says_what_works(harness: Harness,
                                                             clock: Clock) -> None:
    sam = peer()
    await harness.register_peer(sam)
    await harness.send(sam.command("/oncall 15d"))
    assert harness.texts_to(sam.user_id)[-1] == (
        "15d is longer than /oncall allows: at most 14 days (14d). For example /oncall 1d or "
        "/oncall 2d12h.")
    await harness.send(sam.command("/oncall tomorrow"))
    assert "such as 30m, 8h, 1d or 1d12h (at most 14 days)" in harness.texts_to(sam.user_id)[-1]
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.on_call_until is None


async def test_an_absurdly_long_oncall_gets_the_usage_answer(harness: Harness,
                                                             clock: Clock) -> None:
    """310 nines are an infinite number to float(): once an OverflowError that set the update
    aside and left the peer without an answer."""
    sam = peer()
    await harness.register_peer(sam)
    await harness.send(sam.command(f"/oncall {'9' * 310}d"))
    assert "such as 30m, 8h, 1d or 1d12h (at most 14 days)" in harness.texts_to(sam.user_id)[-1]
    await harness.send(sam.command("/oncall 999d"))  # long, but a number: "too long"
    assert harness.texts_to(sam.user_id)[-1].startswith("999d is longer than /oncall allows")
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.on_call_until is None


async def test_oncall_date_in_spanish_and_french(harness: Harness, clock: Clock) -> None:
    sam, kim = peer(2001, "Sam"), peer(2002, "Kim")
    for person, language in ((sam, "es"), (kim, "fr")):
        await harness.register_peer(person)
        await harness.send(person.command(f"/language {language}"))
        await harness.send(person.command("/oncall 2d"))
    # (Babel writes the zone as each language writes it: "-0600" in Spanish.)
    assert re.match(r"Estás de guardia hasta el domingo, 17 de enero a las 02:00 \S+ \(2d\):",
                    harness.texts_to(sam.user_id)[-1])
    assert re.match(r"Vous êtes de garde jusqu'au dimanche 17 janvier à 02:00 \S+ \(2d\) :",
                    harness.texts_to(kim.user_id)[-1])


@pytest.mark.parametrize(("duration", "reminder"), [
    ("12h", "You go off call at 14:00 CST. Tap below to stay on call longer."),
    # 02:00 + 22h05m is 00:05 tomorrow: reminded at 23:50, the end is not today.
    ("22h5m", "You go off call on Saturday, January 16 at 00:05 CST. Tap below to stay on "
              "call longer."),
])
async def test_the_off_call_reminder_has_the_date_when_the_end_is_not_today(
        harness: Harness, clock: Clock, duration: str, reminder: str) -> None:
    sam = peer()
    await harness.on_call(sam, duration)
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.on_call_until is not None
    clock.now = stored.on_call_until - 15 * 60
    await sweep.sweep(harness.services)
    assert harness.texts_to(sam.user_id)[-1] == reminder
    assert [b["text"] for b in harness.last_to(sam.user_id).buttons] == [
        "Stay on call 12 more hours"]


async def test_the_off_call_reminder_date_in_spanish_and_french(harness: Harness,
                                                                clock: Clock) -> None:
    sam, kim = peer(2001, "Sam"), peer(2002, "Kim")
    for person, language in ((sam, "es"), (kim, "fr")):
        await harness.register_peer(person)
        await harness.send(person.command(f"/language {language}"))
        await harness.send(person.command("/oncall 22h5m"))
    clock.now = START + 22 * 3600 + 5 * 60 - 15 * 60
    await sweep.sweep(harness.services)
    assert re.match(r"Tu guardia termina el sábado, 16 de enero a las 00:05 \S+\. Toca abajo",
                    harness.texts_to(sam.user_id)[-1])
    assert re.match(r"Votre garde se termine le samedi 16 janvier à 00:05 \S+\. Touchez",
                    harness.texts_to(kim.user_id)[-1])


# --- 5. Thanks that stay in the chat --------------------------------------------------------


async def test_a_rating_is_thanked_in_a_message(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    await harness.send(alex.command("/end"))
    await harness.press(alex, "^4$")
    assert harness.request.answers()[-1] == ""  # no pop-up that vanishes
    assert harness.texts_to(alex.user_id)[-1] == "Thank you. Your answer is anonymous."


THANKS = "Thank you. Your answer is anonymous."
SKIPPED = "No problem. Take care of yourself."


class _Died(BaseException):
    """The process died here (not an Exception: no handler catches it)."""


async def test_a_rating_is_thanked_even_if_the_process_died_before_the_thanks_was_queued(
        harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rating and its thanks' outbox row are kept in one transaction: a death before the
    thanks is queued keeps no rating either, so the tap handled again (in the same send scope,
    as after a restart) is thanked, not told "already recorded"."""
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    await harness.send(alex.command("/end"))
    data, message_id = harness.button(alex.user_id, "^4$")
    tap = alex.press(data, message_id)
    outbox = harness.services.outbox
    send_text = outbox.send_text

    async def dies_before_the_thanks(chat_id: int, text: str, *args: Any,
                                     **kwargs: Any) -> int:
        if text == THANKS:
            raise _Died
        return await send_text(chat_id, text, *args, **kwargs)

    monkeypatch.setattr(outbox, "send_text", dies_before_the_thanks)
    with send_scope(f"u{tap['update_id']}"), pytest.raises(_Died):
        await harness.send(tap)
    monkeypatch.setattr(outbox, "send_text", send_text)
    with send_scope(f"u{tap['update_id']}"):
        await harness.send(tap)  # the next start handles it again
    assert harness.count(alex.user_id, THANKS) == 1
    assert harness.request.answers()[-1] == ""
    rows = await harness.services.db.fetch_all("SELECT rating FROM feedback")
    assert [r["rating"] for r in rows] == [4]
    with send_scope(f"u{tap['update_id']}"):
        await harness.send(tap)  # once more (dead before its done-mark): nothing new
    assert harness.count(alex.user_id, THANKS) == 1


@pytest.mark.parametrize("taps", [("Skip", "Skip"), ("Skip", "^5$"), ("^5$", "Skip"),
                                  ("^5$", "^5$")])
async def test_two_taps_before_the_buttons_go_get_one_message(harness: Harness,
                                                              taps: tuple[str, str]) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    await harness.send(alex.command("/end"))
    for label in taps:  # both on the keyboard as it was (the second tap came before the edit)
        await harness.press(alex, label)
    assert harness.count(alex.user_id, THANKS) + harness.count(alex.user_id, SKIPPED) == 1


async def test_keep_waiting_is_answered_in_a_message_while_the_request_waits(
        harness: Harness, clock: Clock) -> None:
    sam, alex = peer(), responder()
    await harness.on_call(sam)
    code = await harness.open_request(alex)
    clock.now = START + 300
    await sweep.sweep(harness.services)  # step 1: the responder's update, with Keep waiting
    await harness.press(alex, "^Keep waiting$")
    assert harness.request.answers()[-1] == ""
    assert harness.texts_to(alex.user_id)[-1].startswith(
        f"We'll keep looking for a peer for you ({code}).")
    assert harness.request.to(alex.user_id)[-2].method == "editMessageReplyMarkup"

    # A second tap before the buttons went: one message per update message, not one a tap.
    await harness.press(alex, "^Keep waiting$")
    assert harness.count(alex.user_id, "We'll keep looking for a peer for you") == 1
    # A later update's own Keep waiting (another message) is answered again.
    clock.now = START + 900
    await sweep.sweep(harness.services)  # step 2: another update for the responder
    data, message_id = harness.button(alex.user_id, "^Keep waiting$")
    await harness.send(alex.press(data, message_id + 1))
    assert harness.count(alex.user_id, "We'll keep looking for a peer for you") == 2

    # Once a peer has it, a late tap only tidies the buttons: "still looking" would be wrong.
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    said = len(harness.texts_to(alex.user_id))
    await harness.press(alex, "^Keep waiting$")
    assert len(harness.texts_to(alex.user_id)) == said
    assert harness.request.answers()[-1] == ""
