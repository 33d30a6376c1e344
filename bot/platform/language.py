"""Which language each person reads: taken from Telegram's language_code on first contact,
changed with /language (buttons, or /language fr), and kept sealed per chat so that messages
sent hours later by a timer use it too. Peers say which languages they speak with
/languages es,en, and hear first of requests in those.

Relayed words are never translated: only the bot's own texts change.
"""

from __future__ import annotations

import logging

from telegram import BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup

from bot.platform import commands, guards
from bot.platform.commands import Audience
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.requests import cards
from bot.requests.render import language_name
from bot.team import members as team
from locales import LANGUAGES, Texts, supported
from storage.peers import Peer
from storage.requests import State

_log = logging.getLogger(__name__)
CHOICE_PREFIX = "lang:"
RESPONDER_COMMANDS = commands.names(Audience.RESPONDER)  # their menu (tests read it)


async def first_contact(services: Services, user_id: int, language_code: str | None) -> None:
    """Remember the language of someone the bot has not met: their app's, if we have it."""
    if await services.knows_language(user_id):
        return
    await services.set_language(user_id,
                                supported(language_code) or services.settings.default_language)


def _choices(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        language_name(code, code), callback_data=f"{CHOICE_PREFIX}{code}")
        for code in LANGUAGES]])


async def ask(services: Services, user_id: int, argument: str | None) -> Reply:
    """/language: the choices as buttons; /language fr switches at once."""
    if argument:
        chosen = argument.strip().lower()
        if chosen not in LANGUAGES:
            return Reply("language_unknown", {"languages": ", ".join(LANGUAGES)},
                         _choices)
        return await choose(services, user_id, chosen)
    current = (await services.texts_for(user_id)).language
    return Reply("language_choose", {"current": language_name(current, current)}, _choices)


async def choose(services: Services, user_id: int, language: str) -> Reply:
    """Switch this person to `language`: their later messages, menus and any live request."""
    await services.set_language(user_id, language)
    await install_menus(services, user_id)
    live = await services.requests.live_for_responder(user_id)
    if live is not None:
        await services.requests.set_language(live.id, language)
        if live.state is State.CLAIMED and live.peer_id is not None:
            await services.say(live.peer_id, Reply("peer_responder_language", {
                "code": live.code, "language": language_name(
                    language, (await services.texts_for(live.peer_id)).language)}),
                what=f"request {live.code}: a language change")
        elif live.state is State.OPEN:
            updated = await services.requests.get(live.id)
            if updated is not None:
                await cards.refresh_waiting(services, updated)
    _log.info("someone changed their language")
    return Reply("language_set")


async def choose_by_button(services: Services, user_id: int, data: str,
                           ) -> tuple[Answer, Reply | None]:
    language = data.removeprefix(CHOICE_PREFIX)
    if language not in LANGUAGES:
        return Answer("stale_button"), None
    return Answer(), await choose(services, user_id, language)


async def install_menus(services: Services, user_id: int) -> None:
    """This person's command menu in their language: a peer's (with the coordinator's
    commands too for a peer who coordinates), a coordinator's or a responder's."""
    if await services.peers.get(user_id) is not None:
        await team.install_menu(services, user_id)
        return
    audience = (Audience.COORDINATOR if guards.is_coordinator(services, user_id)
                else Audience.RESPONDER)
    await services.outbox.set_commands(
        commands.menu(audience, await services.texts_for(user_id)), BotCommandScopeChat(user_id))


@guards.peers_only
async def peer_languages(services: Services, peer: Peer, argument: str | None) -> Reply:
    """/languages es,en: the languages a peer speaks (requests in them reach them first);
    /languages none clears it."""
    texts = await services.texts_for(peer.user_id)
    if not argument:
        spoken = ", ".join(language_name(c, texts.language) for c in peer.languages)
        return Reply("peer_languages_usage", {"languages": spoken or texts("not_given"),
                                              "options": ", ".join(LANGUAGES)})
    if argument.strip().lower() == "none":
        await services.peers.set_languages(peer.user_id, ())
        return Reply("peer_languages_cleared")
    codes = [part.strip().lower() for part in argument.replace(" ", ",").split(",")
             if part.strip()]
    unknown = [code for code in codes if code not in LANGUAGES]
    if unknown or not codes:
        return Reply("peer_languages_unknown", {"options": ", ".join(LANGUAGES)})
    chosen = tuple(dict.fromkeys(codes))
    await services.peers.set_languages(peer.user_id, chosen)
    names = ", ".join(language_name(code, texts.language) for code in chosen)
    return Reply("peer_languages_set", {"languages": names})
