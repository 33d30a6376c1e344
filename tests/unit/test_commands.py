"""The command menus come from one table (bot/platform/commands.py), and that table agrees with
the commands bot/app.py registers: nothing in a menu that no handler takes, and no command for
peers or coordinators that their menu leaves out."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import GROUP, PEER_IDS, Harness, peer, responder
from offline import Call, OfflineRequest, Person, as_update
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.platform import commands
from bot.platform.commands import Audience
from handlers import peers
from locales import LANGUAGES, Texts

COORDINATOR = 3001
COORDINATOR_PEER = 2003  # in the peer group, and a coordinator
RESPONDER, PEER, COORDINATORS, PEER_GROUP = (Audience.RESPONDER, Audience.PEER,
                                            Audience.COORDINATOR, Audience.PEER_GROUP)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR, COORDINATOR_PEER})}


def taken_by(harness: Harness, update: Update) -> BaseHandler[Any, Any, Any] | None:
    """The handler that takes `update` (the first that matches in the main group)."""
    return next((h for h in harness.app.handlers[0] if h.check_update(update)), None)


def command(harness: Harness, name: str, person: Person) -> Update:
    return as_update(person.command(f"/{name}"), harness.app.bot)


def private_handler(harness: Harness, name: str) -> CommandHandler[Any, Any] | None:
    handler = taken_by(harness, command(harness, name, responder()))
    return handler if isinstance(handler, CommandHandler) else None


def registered(harness: Harness) -> set[str]:
    return {name for handler in harness.app.handlers[0] if isinstance(handler, CommandHandler)
            for name in handler.commands}


def registered_by(harness: Harness, module: str) -> set[str]:
    """The commands a private chat sends to a handler of `module` (handlers.peers, ...)."""
    return {name for name in registered(harness)
            if (handler := private_handler(harness, name)) is not None
            and handler.callback.__module__ == module}


async def test_every_command_in_a_menu_is_registered_and_the_other_way_round(
        harness: Harness) -> None:
    in_private = {name for name in registered(harness) if private_handler(harness, name)}
    in_menus = {*commands.names(RESPONDER), *commands.names(PEER),
                *commands.names(COORDINATORS)}
    assert in_private == in_menus


async def test_the_commands_registered_for_peers_and_coordinators_are_in_their_menus(
        harness: Harness) -> None:
    assert registered_by(harness, "handlers.peers") == set(commands.only_for(PEER))
    assert registered_by(harness, "handlers.coordinators") == set(commands.only_for(COORDINATORS))
    for_everyone = registered_by(harness, "handlers.responder") | registered_by(
        harness, "handlers.common")
    assert for_everyone == set(commands.names(RESPONDER))


async def test_in_the_peer_group_every_command_of_the_bot_points_to_the_private_chat(
        harness: Harness) -> None:
    in_group = Person(2001, "Sam", chat_id=GROUP)
    answered = {*commands.names(PEER_GROUP), "start", *commands.only_for(PEER),
                *commands.only_for(COORDINATORS), *commands.names(RESPONDER)}
    for name in answered:
        handler = taken_by(harness, command(harness, name, in_group))
        assert handler is not None and handler.callback is peers.on_group_start, name


def test_each_audience_sees_the_menu_it_always_had() -> None:
    assert commands.names(RESPONDER) == ("start", "help", "end", "resources", "selfcheck",
                                         "language", "forget")
    assert commands.names(PEER) == ("start", "help", "oncall", "offcall", "close", "release",
                                    "switch", "transfer", "snippets", "refer", "concern",
                                    "urgent", "note", "notes", "alias", "agency", "languages",
                                    "language")
    assert commands.names(COORDINATORS) == ("stats", "export", "roster", "peers", "removepeer",
                                            "audit", "language", "help")
    assert commands.names(PEER_GROUP) == ("help",)
    assert commands.only_for(COORDINATORS) == ("stats", "export", "roster", "peers",
                                               "removepeer", "audit")


def test_a_coordinator_who_is_a_peer_sees_the_peer_menu_then_the_coordinators() -> None:
    both = commands.names(PEER | COORDINATORS)
    assert both == (*commands.names(PEER), "stats", "export", "roster", "peers", "removepeer",
                    "audit")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_menu_entry_is_one_telegram_accepts(language: str) -> None:
    texts = Texts(language, common={"crisis": "call or text 988", "emergency": "911"})
    for audience in (*Audience, PEER | COORDINATORS):
        names = commands.names(audience)
        assert len(names) == len(set(names)), f"{audience} lists a command twice"
        assert len(names) <= 100, f"{audience}: Telegram takes at most 100 commands"
        for name, description in commands.menu(audience, texts):
            assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
            assert 3 <= len(description) <= 256, (language, name)


def menus(calls: list[Call]) -> dict[tuple[str, int | None, str | None], list[tuple[str, str]]]:
    """Each setMyCommands call: (scope type, chat, language) -> (command, description)."""
    found = {}
    for call in calls:
        if call.method != "setMyCommands":
            continue
        scope = call.params["scope"]
        scope = json.loads(scope) if isinstance(scope, str) else scope
        listed = call.params["commands"]
        listed = json.loads(listed) if isinstance(listed, str) else listed
        found[scope["type"], scope.get("chat_id"), call.params.get("language_code")] = [
            (entry["command"], entry["description"]) for entry in listed]
    return found


async def test_menus_are_published_from_the_table_in_each_language(harness: Harness) -> None:
    services = harness.services
    published = menus(harness.request.calls)
    for code in (None, *LANGUAGES):
        texts = services.texts_in(code or services.settings.default_language)
        assert published["all_private_chats", None, code] == commands.menu(RESPONDER, texts)
    english = services.texts_in("en")
    assert published["chat", GROUP, None] == [("help", "How this works")]
    coordinator_menu = published["chat", COORDINATOR, None]
    assert coordinator_menu == commands.menu(COORDINATORS, english)
    assert coordinator_menu[-2:] == [("language", "Choose your language"),
                                     ("help", "How this works")]

    sam = peer()
    harness.request.calls.clear()
    await harness.register_peer(sam)
    peer_menu = menus(harness.request.calls)["chat", sam.user_id, None]
    assert peer_menu == commands.menu(PEER, english)
    assert peer_menu[0] == ("start", "Your peer registration")

    harness.request.calls.clear()
    await harness.send(Person(COORDINATOR, "Casey").command("/language es"))
    spanish = services.texts_in("es")
    assert menus(harness.request.calls)["chat", COORDINATOR, None] == commands.menu(
        COORDINATORS, spanish)


async def test_a_coordinator_who_is_a_peer_gets_both_menus_wherever_it_is_set(
        harness: Harness) -> None:
    """Registering, /language and start-up each set the peer's menu with the coordinator's
    commands after it, in the person's language."""
    jo, both = peer(COORDINATOR_PEER, "Jo"), PEER | COORDINATORS
    services = harness.services
    harness.request.calls.clear()
    await harness.register_peer(jo)
    english = menus(harness.request.calls)["chat", jo.user_id, None]
    assert english == commands.menu(both, services.texts_in("en"))
    assert [name for name, _ in english][-7:] == ["language", "stats", "export", "roster",
                                                  "peers", "removepeer", "audit"]

    harness.request.calls.clear()
    await harness.send(jo.command("/language es"))
    spanish = commands.menu(both, services.texts_in("es"))
    assert menus(harness.request.calls)["chat", jo.user_id, None] == spanish

    # A restart: start-up sets every coordinator's menu again.
    request = OfflineRequest(members=set(PEER_IDS))
    async with harness.restarted(request):
        assert menus(request.calls)["chat", jo.user_id, None] == spanish
        assert menus(request.calls)["chat", COORDINATOR, None] == commands.menu(
            COORDINATORS, services.texts_in("en"))  # not a peer: the coordinator's alone
