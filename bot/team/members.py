"""Peers: who belongs to the team, registration, the alias responders see, the current chat."""

from __future__ import annotations

import logging
import re
import unicodedata

from telegram import BotCommandScopeChat, ChatMember
from telegram.error import RetryAfter, TelegramError

from bot.platform import commands, guards
from bot.platform.commands import Audience
from bot.platform.replies import Reply
from bot.platform.services import Services
from storage.peers import Peer
from storage.requests import Request

_log = logging.getLogger(__name__)

MAX_ALIAS_CHARS = 32
# Letters of any alphabet, spaces, dots, apostrophes and hyphens, starting with a letter: what
# the refusal tells peers, and nothing a responder could take for a number to call.
_ALIAS = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'-])*$")
# Names a responder could take for the bot, the team or its staff.
_RESERVED = frozenset({
    "peer support team", "peer support", "peer support bot", "the team", "team", "support",
    "bot", "telegram", "admin", "administrator", "moderator", "coordinator", "coordinators",
    "equipo de apoyo entre pares", "equipo de apoyo", "coordinador", "coordinadora",
    "equipe de soutien par les pairs", "soutien par les pairs", "coordinateur",
    "coordinatrice"})
_LINKISH = re.compile(r"@|https?:|www\.|t\.me|tg:", re.IGNORECASE)
_MEMBER_STATUSES = {ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER}
PEER_COMMANDS = commands.names(Audience.PEER)  # their menu (tests read it)


MEMBERSHIP_CACHE_SECONDS = 300
# Where a peer's messages go; it is also the check that they hold it (bot/requests/relay.py).
current_conversation = guards.current_conversation


async def is_member(services: Services, user_id: int, *, recent_is_enough: bool = False,
                    ) -> bool:
    """True if Telegram says this user is in the private peer group right now. With
    `recent_is_enough`, an answer up to 5 minutes old will do (choosing whom to notify of a
    new request); registering and claiming always ask Telegram. False if Telegram could not
    be asked."""
    max_age = MEMBERSHIP_CACHE_SECONDS if recent_is_enough else 0
    return await membership(services, user_id, max_age=max_age) is True


async def membership(services: Services, user_id: int, *, max_age: float = 0) -> bool | None:
    """Whether Telegram says this user is in the peer group: an answer up to `max_age` seconds
    old will do, else Telegram is asked. None when it could not be asked (a network error, the
    bot itself out of the group): not knowing is never taken for "left"."""
    now = services.clock()
    cached = services.membership.get(user_id)
    if max_age > 0 and cached is not None and now - cached[0] < max_age:
        return cached[1]
    try:
        member = await services.bot.get_chat_member(services.settings.peer_group_id, user_id)
    except TelegramError as exc:
        if isinstance(exc, RetryAfter):
            services.metrics.flood_limited()
        _log.warning("could not check peer group membership (%s)", type(exc).__name__)
        return None
    if member.status == ChatMember.RESTRICTED:
        answer = bool(getattr(member, "is_member", False))
    else:
        answer = member.status in _MEMBER_STATUSES
    services.membership[user_id] = (now, answer)
    return answer


def membership_checked_at(services: Services, user_id: int) -> int | None:
    """When Telegram last answered about this user (None: not since the bot started)."""
    cached = services.membership.get(user_id)
    return cached[0] if cached is not None else None


async def install_menu(services: Services, user_id: int) -> None:
    """A peer's command menu, in their language; with the coordinator's commands after the
    peer's for a peer who coordinates too (registering, /language and start-up all come
    here)."""
    audience = Audience.PEER
    if guards.is_coordinator(services, user_id):
        audience |= Audience.COORDINATOR
    menu = commands.menu(audience, await services.texts_for(user_id))
    await services.outbox.set_commands(menu, BotCommandScopeChat(user_id))


def valid_alias(alias: str) -> bool:
    return (0 < len(alias) <= MAX_ALIAS_CHARS and _ALIAS.match(alias) is not None
            and _LINKISH.search(alias) is None)


def reserved_alias(alias: str) -> bool:
    plain = " ".join(unicodedata.normalize("NFKD", alias).encode("ascii", "ignore").decode()
                     .casefold().replace(".", " ").split())
    return plain in _RESERVED


def default_alias(first_name: str) -> str:
    """The peer's first name, trimmed to what an alias may hold; "Peer" if nothing is left."""
    cleaned = re.sub(r"[^\w .'-]|[\d_]", "", first_name).strip()[:MAX_ALIAS_CHARS].strip()
    return cleaned if valid_alias(cleaned) and not reserved_alias(cleaned) else "Peer"


async def register(services: Services, user_id: int, first_name: str) -> Peer | None:
    """Register (or greet again) a member of the peer group; None if a coordinator removed
    them."""
    peer, created = await services.peers.register(user_id, default_alias(first_name),
                                                  services.clock())
    if created:
        _log.info("a new peer registered")
        await install_menu(services, user_id)
    return peer


@guards.peers_only
async def set_alias(services: Services, peer: Peer, alias: str | None) -> Reply:
    """/alias NAME: the name responders see."""
    if not alias:
        return Reply("alias_usage", {"alias": peer.alias})
    alias = " ".join(alias.split())
    if not valid_alias(alias):
        return Reply("alias_invalid")
    if reserved_alias(alias):
        return Reply("alias_reserved", {"alias": alias})
    if any(other.user_id != peer.user_id for other in await services.peers.named(alias)):
        return Reply("alias_taken", {"alias": alias})
    await services.peers.set_alias(peer.user_id, alias)
    return Reply("alias_set", {"alias": alias})


@guards.peers_only
async def switch(services: Services, peer: Peer, code: str | None) -> Reply:
    """/switch CODE: which of their conversations the peer's messages go to."""
    claimed = await services.requests.claimed_by(peer.user_id)
    if not claimed:
        return Reply("peer_no_conversation")
    chosen = next((r for r in claimed if code and r.code == code.upper()), None)
    if chosen is None:
        codes = ", ".join(r.code for r in claimed)
        if code:
            return Reply("peer_not_yours", {"code": code.upper()[:12]})
        return Reply("peer_switch_usage", {"codes": codes})
    await services.peers.set_current(peer.user_id, chosen.id, services.clock())
    return Reply("peer_now_writing_to", {"code": chosen.code})


async def move_on(services: Services, peer_id: int, closed: Request,
                   announce: bool = True) -> str | None:
    """If the peer was writing to the conversation that just closed, point them at their
    latest other one; its code, if they were moved. A conversation they chose stays chosen."""
    peer = await services.peers.get(peer_id)
    if peer is None or peer.current_request_id not in (None, closed.id):
        return None
    remaining = await services.requests.claimed_by(peer_id)
    next_request = remaining[-1] if remaining else None
    await services.peers.set_current(peer_id, next_request.id if next_request else None,
                                     services.clock())
    if next_request is None:
        return None
    if announce:
        await services.say(peer_id, Reply("peer_now_writing_to", {"code": next_request.code}),
                           what="the notice of a peer's current conversation")
    return next_request.code
