"""Follow-ups of outbox rows: what a row's purpose names, done once it is sent (whether or not
its caller still waits) or refused after its caller stopped waiting.

Each hook is given the row's `Purpose` (what it was for), the row itself (its chat, and for a
failure its `outcome`) and the id of the message it made."""

from __future__ import annotations

from bot.platform.services import Services
from bot.requests import cards, digest, relay, resend
from storage.outbox import OutboxRow, Purpose
from storage.requests import State


def install(services: Services) -> None:
    outbox = services.outbox

    async def card_sent(purpose: Purpose, row: OutboxRow, message_id: int | None) -> None:
        """Remember where the card is; one that arrived after the request moved on is
        rewritten at once, so no live Claim button is left on it."""
        if not message_id or purpose.request_id is None:
            return
        await services.requests.set_card(purpose.request_id, message_id)
        request = await services.requests.get(purpose.request_id)
        if request is not None and request.state is State.CLOSED:
            await cards.rewrite(services, request, "card_closed")
        elif request is not None and request.state is State.CLAIMED and request.peer_id:
            peer = await services.peers.get(request.peer_id)
            await cards.rewrite(services, request, "card_claimed",
                                alias=peer.alias if peer else "")

    async def notice_sent(purpose: Purpose, row: OutboxRow, message_id: int | None) -> None:
        if message_id and purpose.request_id is not None:
            await services.notices.add(purpose.request_id, row.chat_id, message_id)

    async def relay_failed(purpose: Purpose, row: OutboxRow, message_id: int | None) -> None:
        await relay.report_late_failure(services, purpose, row.outcome, row.chat_id)

    async def digest_sent(purpose: Purpose, row: OutboxRow, message_id: int | None) -> None:
        """The group's or an on-call peer's: the row's chat says which."""
        if message_id:
            await digest.sent(services, row.chat_id, purpose.page, message_id)

    async def digest_failed(purpose: Purpose, row: OutboxRow, message_id: int | None) -> None:
        await services.digests.retire(row.chat_id, purpose.page)

    outbox.on_sent["card"] = card_sent
    outbox.on_failed["digest"] = digest_failed
    outbox.on_sent["digest"] = digest_sent
    outbox.on_sent["notice"] = notice_sent
    outbox.on_failed["relay"] = relay_failed
    # Messages a stop caught before their writer was told of them: told once the bot runs.
    resend.announce_soon(services)
