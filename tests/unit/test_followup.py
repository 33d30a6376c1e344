"""Follow-ups of claimed conversations (the silent peer, the quiet conversation), on a fake
clock: the sweep asks the database for what is due and reads only those conversations; one
timer wakes up by the earliest deadline; after a restart overdue work runs once."""

from __future__ import annotations

import pytest
from conftest import Harness, peer, responder
from offline import OfflineRequest

from bot.escalation import followup, sweep
from bot.platform.services import Services
from storage.requests import Request

START = 1_800_000_000
WAIT = 600  # PEER_REPLY_MINUTES = 10
IDLE = 48 * 3600  # INACTIVITY_HOURS = 48


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        return self.now


class Reads:
    """The ids of the requests read (each a trip to SQLite and a decryption)."""

    def __init__(self, services: Services) -> None:
        self.ids: list[str] = []
        get = services.requests.get

        async def spy(request_id: str) -> Request | None:
            self.ids.append(request_id)
            return await get(request_id)

        services.requests.get = spy  # type: ignore[method-assign]

    def take(self) -> set[str]:
        ids, self.ids = set(self.ids), []
        return ids


@pytest.fixture
def clock(harness: Harness) -> Clock:
    fake = Clock()
    harness.services.clock = fake
    return fake


async def _id(harness: Harness, code: str) -> str:
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    return request.id


def _count(harness: Harness, chat_id: int, text: str) -> int:
    return sum(text in t for t in harness.texts_to(chat_id))


def _reminders(request: OfflineRequest, chat_id: int) -> int:
    return sum("Reminder" in (call.text or "") for call in request.to(chat_id))


def _armed(services: Services) -> float | None:
    when = services.timers.scheduled(followup.WAKE_TIMER)
    return when.timestamp() if when is not None else None


async def _fire(services: Services) -> None:
    """What the timer does when it fires (it runs on real time, the tests on a fake clock)."""
    services.timers.cancel(followup.WAKE_TIMER)  # a one-off job is gone once it fires
    await followup.wake(services)


async def test_the_sweep_reminds_and_releases_only_the_conversations_due(
        harness: Harness, clock: Clock) -> None:
    sam, robin = peer(), peer(2002, "Robin")
    first = await _id(harness, await harness.claimed(responder(), sam))
    clock.now = START + 300
    second = await _id(harness, await harness.claimed(responder(918273602, "Blair"), robin))
    reads = Reads(harness.services)

    clock.now = START + WAIT - 1
    await sweep.sweep(harness.services)
    assert reads.take() == set()  # nothing due: no conversation is read at all
    clock.now = START + WAIT
    await sweep.sweep(harness.services)
    assert reads.take() == {first}
    assert _count(harness, sam.user_id, "Reminder: you claimed") == 1
    assert _count(harness, robin.user_id, "Reminder") == 0
    await sweep.sweep(harness.services)  # the next sweep: reminded once only
    assert reads.take() == set()
    assert _count(harness, sam.user_id, "Reminder: you claimed") == 1

    clock.now = START + 2 * WAIT
    await sweep.sweep(harness.services)
    assert first in reads.take()
    assert "went back to the queue" in " ".join(harness.texts_to(sam.user_id))
    assert _count(harness, robin.user_id, "Reminder: you claimed") == 1  # due at 900
    released = await harness.services.requests.get(first)
    assert released is not None and released.state == "open"
    still = await harness.services.requests.get(second)
    assert still is not None and still.state == "claimed"


async def test_a_quiet_conversation_is_closed_from_the_sweep(harness: Harness, clock: Clock,
                                                            ) -> None:
    sam, robin, alex = peer(), peer(2002, "Robin"), responder()
    quiet = await _id(harness, await harness.claimed(alex, sam))
    await harness.send(sam.text("I'm here."))
    clock.now = START + 3600
    await harness.claimed(responder(918273602, "Blair"), robin)
    await harness.send(robin.text("Hello, I'm Robin."))
    reads = Reads(harness.services)

    clock.now = START + IDLE - 1
    await sweep.sweep(harness.services)
    assert reads.take() == set()
    clock.now = START + IDLE
    await sweep.sweep(harness.services)
    assert reads.take() == {quiet}
    assert "It has been quiet here" in harness.texts_to(alex.user_id)[-2]  # then the check-in
    assert "closed after a long silence" in harness.texts_to(sam.user_id)[-1]
    assert _count(harness, robin.user_id, "long silence") == 0


async def test_one_timer_wakes_by_the_earliest_deadline(harness: Harness, clock: Clock,
                                                        ) -> None:
    services = harness.services
    sam, robin = peer(), peer(2002, "Robin")
    first = await _id(harness, await harness.claimed(responder(), sam))
    assert _armed(services) == START + WAIT
    clock.now = START + 100
    await harness.claimed(responder(918273602, "Blair"), robin)
    assert _armed(services) == START + WAIT  # a later deadline leaves the timer as it is
    await harness.send(robin.text("I'm here."))  # Robin's next deadline: 48 h of quiet

    clock.now = START + WAIT  # the timer fires: Sam is reminded...
    await _fire(services)
    assert _count(harness, sam.user_id, "Reminder: you claimed") == 1
    assert _armed(services) == START + 2 * WAIT  # ...and it sleeps until Sam's release
    clock.now = START + 2 * WAIT
    await _fire(services)
    released = await services.requests.get(first)
    assert released is not None and released.state == "open"
    assert _armed(services) == START + 100 + IDLE  # Robin's quiet conversation is next
    assert sum(job.id.startswith(followup.WAKE_TIMER)
               for job in services.timers._scheduler.get_jobs()) == 1


async def test_after_a_restart_an_overdue_reminder_is_sent_once(harness: Harness) -> None:
    sam = peer()
    request_id = await _id(harness, await harness.claimed(responder(), sam))
    # The bot was down while the reminder fell due (the real clock: a real restart).
    services = harness.services
    await services.db.write(
        "UPDATE requests SET claimed_at = claimed_at - ?1, last_activity_at = "
        "last_activity_at - ?1 WHERE id = ?2", (WAIT + 5, request_id))
    request = OfflineRequest(members={sam.user_id})
    async with harness.restarted(request) as app:  # start-up runs what is overdue
        restarted = app.bot_data.services
        assert restarted is not None
        await restarted.outbox.flush()
        assert _reminders(request, sam.user_id) == 1
        await sweep.sweep(restarted)
        await sweep.rebuild(restarted)
        await restarted.outbox.flush()
        assert _reminders(request, sam.user_id) == 1
        claimed = await restarted.requests.get(request_id)
        assert claimed is not None and claimed.claimed_at is not None
        assert _armed(restarted) == claimed.claimed_at + 2 * WAIT  # the release is next
