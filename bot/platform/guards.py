"""Who may do what, checked in one place before anything else happens.

For use cases (the core), as decorators: whoever may not use one gets the same Reply whatever
they asked, before anything of what they asked is read. The decorated use case is called as
before, with the sender's id; what it is given instead:
  @peers_only          a registered peer: the Peer
  @claiming_peer_only  a registered peer who holds the conversation named by the argument (or
                       their current one): the Peer and that Request
  @coordinators_only   someone in COORDINATOR_IDS: the id, as it was

For handlers (Telegram updates), as decorators that hand over the parts an update may lack,
typed, and ignore an update without them:
  @needs_sender        a user and their chat (a command, most messages and buttons)
  @needs_button        a button press and the chat of its message
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar, overload

from telegram import CallbackQuery, Chat, Update, User

from bot.platform.context import BotContext
from bot.platform.replies import Reply
from bot.platform.services import Services
from storage.peers import Peer
from storage.requests import Request

P = ParamSpec("P")
R = TypeVar("R")

PEERS_ONLY = Reply("peers_only")
COORDINATORS_ONLY = Reply("coordinators_only")

ConversationCase = Callable[[Services, Peer, Request], Awaitable[Reply]]
"""A use case of the peer holding a conversation: /close, /refer, /concern, /urgent."""
CodeCommand = Callable[[Services, int, str | None], Coroutine[Any, Any, Reply]]
"""What it becomes: the sender's id and the command's argument (a request code, or None)."""
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


# ------------------------------------------------------------------ who someone is


def is_coordinator(services: Services, user_id: int) -> bool:
    return user_id in services.settings.coordinator_ids


# ------------------------------------------------------------------ the conversation meant


async def current_conversation(services: Services, peer: Peer) -> Request | Reply:
    """The conversation a peer's messages go to: the chosen one, or their only one. With
    several and none chosen, a Reply asking them to choose: never a guess. Nor when the one
    they were writing to is no longer theirs (handed over, released, closed): they are told,
    and asked to choose with /switch, even if they hold just one other."""
    claimed = await services.requests.claimed_by(peer.user_id)
    if not claimed:
        return Reply("peer_no_conversation")
    for request in claimed:
        if request.id == peer.current_request_id:
            return request
    codes = ", ".join(r.code for r in claimed)
    if peer.current_request_id is not None:
        return Reply("peer_conversation_gone", {"codes": codes})
    if len(claimed) == 1:
        return claimed[0]
    return Reply("peer_which_conversation", {"codes": codes})


async def conversation_named(services: Services, peer: Peer, code: str | None,
                             ) -> Request | Reply:
    """`CODE` if the peer holds it, else their current conversation (commands like /close)."""
    if not code:
        return await current_conversation(services, peer)
    claimed = await services.requests.claimed_by(peer.user_id)
    request = next((r for r in claimed if r.code == code.strip().upper()), None)
    return request or Reply("peer_not_yours", {"code": code.strip().upper()[:12]})


# ------------------------------------------------------------------ use cases


def peers_only(use_case: Callable[Concatenate[Services, Peer, P], Awaitable[Reply]],
               ) -> Callable[Concatenate[Services, int, P], Coroutine[Any, Any, Reply]]:
    """Only for registered peers: "peers_only" for anyone else."""

    @functools.wraps(use_case)
    async def checked(services: Services, user_id: int, /, *args: P.args,
                      **kwargs: P.kwargs) -> Reply:
        peer = await services.peers.get(user_id)
        if peer is None:
            return PEERS_ONLY
        return await use_case(services, peer, *args, **kwargs)

    return checked


@overload
def claiming_peer_only(use_case: ConversationCase, /) -> CodeCommand: ...


@overload
def claiming_peer_only(*, refusal: Reply) -> Callable[[ConversationCase], CodeCommand]: ...


def claiming_peer_only(use_case: ConversationCase | None = None, /, *,
                       refusal: Reply = PEERS_ONLY,
                       ) -> CodeCommand | Callable[[ConversationCase], CodeCommand]:
    """Only for the peer holding the conversation: `refusal` for anyone who is not a peer,
    then "peer_not_yours" for a code they do not hold (or, without a code, "no conversation"
    or "which one?" as the current conversation says)."""

    def guard(use_case: ConversationCase) -> CodeCommand:
        @functools.wraps(use_case)
        async def checked(services: Services, user_id: int, code: str | None) -> Reply:
            peer = await services.peers.get(user_id)
            if peer is None:
                return refusal
            request = await conversation_named(services, peer, code)
            if isinstance(request, Reply):
                return request
            return await use_case(services, peer, request)

        return checked

    return guard if use_case is None else guard(use_case)


def coordinators_only(use_case: Callable[Concatenate[Services, int, P], Awaitable[R]],
                      ) -> Callable[Concatenate[Services, int, P], Coroutine[Any, Any, R | Reply]]:
    """Only for COORDINATOR_IDS: "coordinators_only" for anyone else, whatever they asked, so
    not even whether a request or a peer exists leaks."""

    @functools.wraps(use_case)
    async def checked(services: Services, user_id: int, /, *args: P.args,
                      **kwargs: P.kwargs) -> R | Reply:
        if not is_coordinator(services, user_id):
            return COORDINATORS_ONLY
        return await use_case(services, user_id, *args, **kwargs)

    return checked


# ------------------------------------------------------------------ handlers


def needs_sender(handler: Callable[[Update, BotContext, User, Chat], Awaitable[None]],
                 ) -> Handler:
    """A handler given the user who sent the update and the chat it came from; an update
    without both is ignored."""

    @functools.wraps(handler)
    async def checked(update: Update, context: BotContext) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        await handler(update, context, user, chat)

    return checked


def needs_button(handler: Callable[[Update, BotContext, CallbackQuery, Chat], Awaitable[None]],
                 ) -> Handler:
    """A button handler given the press (its `from_user` pressed it) and the chat of the
    message it is on; a press without both is ignored."""

    @functools.wraps(handler)
    async def checked(update: Update, context: BotContext) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        await handler(update, context, query, chat)

    return checked
