"""Coordinator tools: statistics over a seeded database, the chart, the export, the roster,
peers, removal, the audit log, and the refusal for everyone else."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from conftest import GROUP, Harness, in_group, peer, responder
from offline import Person

from bot.oversight import stats
from bot.oversight.tools import REMOVE_PREFIX
from bot.platform.inbox import Inbox
from bot.platform.services import Services
from storage.requests import RequestFacts, State

COORDINATOR = 3001
DAY = 86400
NOW = 1_790_000_000  # a fixed "now" for the seeded database


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"coordinator_ids": frozenset({COORDINATOR})}


def fact(opened: int, claimed_after: int | None = None, state: State = State.CLOSED,
         step: int = 0, urgency: str | None = None,
         discipline: str | None = None) -> RequestFacts:
    return RequestFacts(opened, None if claimed_after is None else opened + claimed_after,
                        state, step, urgency, discipline)


# ------------------------------------------------------------------ pure arithmetic


def test_percentiles_interpolate_like_a_spreadsheet() -> None:
    assert stats.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert stats.percentile([1, 2, 3, 4], 0.9) == pytest.approx(3.7)
    assert stats.percentile([60, 120, 180, 240, 300, 600, 900, 1200, 1500, 3000],
                            0.9) == pytest.approx(1650)
    assert stats.percentile([42], 0.9) == 42
    with pytest.raises(ValueError, match="no values"):
        stats.percentile([], 0.5)


def test_periods() -> None:
    assert stats.parse_period(None) == stats.Period(30)
    assert stats.parse_period("7d") == stats.Period(7)
    assert stats.parse_period("ALL") == stats.Period(None)
    for bad in ("7", "0d", "-3d", "week", "99999d"):
        assert stats.parse_period(bad) is None


def test_summary_counts_and_blurs_small_numbers() -> None:
    facts = [
        *(fact(NOW - i * 3600, claimed_after=60 * (i + 1), urgency="today", discipline="fire")
          for i in range(6)),
        fact(NOW - 7 * 3600, state=State.OPEN, step=3, urgency="now", discipline="police"),
    ]
    summary = stats.summarize(facts, ratings=[5, 4, 4, 5, 3], on_call_now=2, helpers=3)
    assert (summary.opened, summary.claimed, summary.closed, summary.still_open) == (7, 6, 6, 1)
    assert summary.unanswered == 1 and summary.steps == (1, 1, 1)
    from locales import Texts
    text = stats.render(summary, stats.Period(30), Texts(common={"crisis": "", "emergency": ""}))
    assert "Requests opened: 7" in text and "Claimed by a peer: 6" in text
    assert "Still open: <5" in text and "Unanswered after the last escalation step: <5" in text
    assert "Time to claim: median 4m, 90th percentile 6m" in text  # 1..6 min: 3.5 -> 4m, 5.5
    assert "Feedback: 5 ratings, mean 4.2 of 5" in text
    assert "Peers on call now: <5" in text and "Peers who helped: <5" in text
    # Police would be 1 of 7: the whole breakdown is withheld rather than let it be worked out.
    assert "How soon: not shown" in text and "Field: not shown" in text
    assert "R-" not in text


def test_time_to_claim_and_mean_need_five() -> None:
    from locales import Texts
    summary = stats.summarize([fact(NOW, claimed_after=60)] * 4, ratings=[1], on_call_now=0,
                              helpers=1)
    text = stats.render(summary, stats.Period(7), Texts(common={"crisis": "", "emergency": ""}))
    assert "Time to claim: not shown" in text
    assert "Feedback: <5 ratings (the mean is shown from 5 ratings)" in text
    assert "How soon: Now 0 · Today 0 · This week 0 · not given <5" in text  # total <5: shown


def test_daily_rows_add_up_to_the_summary() -> None:
    from zoneinfo import ZoneInfo
    tz = ZoneInfo("UTC")
    facts = [fact(NOW - 2 * DAY, claimed_after=120), fact(NOW - 2 * DAY + 60, claimed_after=240),
             fact(NOW, state=State.OPEN)]
    rows = stats.daily(facts, [(NOW - DAY, 4)], tz, stats.local_day(NOW - 3 * DAY, tz),
                       stats.local_day(NOW, tz))
    assert len(rows) == 4 and [r.opened for r in rows] == [0, 2, 0, 1]
    assert rows[1].median_minutes_to_claim == 3.0 and rows[2].ratings == 1
    assert sum(r.opened for r in rows) == 3 and sum(r.still_open for r in rows) == 1


# ------------------------------------------------------------------ a seeded database


async def seed(services: Services, responder_id: int, opened: int, *,
               claimed_after: int | None = None, closed: bool = False,
               urgency: str = "today", discipline: str = "ems") -> str:
    """A request opened at `opened` (and claimed, closed) through the repositories."""
    requests = services.requests
    request = await requests.start_intake(responder_id, responder_id, opened)
    await requests.answer_intake(request.id, "urgency", "agency", urgency=urgency)
    await requests.answer_intake(request.id, "agency", "message", discipline=discipline)
    await requests.open(request.id, opened, opened + 300)
    if claimed_after is not None:
        await services.peers.register(2001, "Sam", opened)
        assert await requests.claim(request.id, 2001, opened + claimed_after)
        await services.audit.record(opened + claimed_after, "peer", "claim", actor_id=2001,
                                    request_id=request.id, request_code=request.code)
    if closed:
        assert await requests.close(request.id, "peer", opened + 3600)
    return request.code


async def test_stats_over_a_seeded_database(harness: Harness) -> None:
    services = harness.services
    services.clock = lambda: NOW
    for i in range(6):  # six in the last week, claimed after 1..6 minutes, closed
        await seed(services, 918273610 + i, NOW - (i + 1) * DAY, claimed_after=60 * (i + 1),
                   closed=True)
    await seed(services, 918273620, NOW - 3600)  # one still waiting
    await seed(services, 918273621, NOW - 60 * DAY, claimed_after=30, closed=True)  # older
    coordinator = responder(COORDINATOR, "Casey")

    await harness.send(coordinator.command("/stats 7d"))
    week = harness.texts_to(COORDINATOR)[-1]
    assert "last 7 days" in week and "Requests opened: 7" in week
    assert "Claimed by a peer: 6" in week and "Closed: 6" in week and "Still open: <5" in week
    assert "Time to claim: median 4m, 90th percentile 6m" in week
    await harness.send(coordinator.command("/stats all"))
    assert "Requests opened: 8" in harness.texts_to(COORDINATOR)[-1]
    await harness.send(coordinator.command("/stats fortnight"))
    assert harness.texts_to(COORDINATOR)[-1].startswith("Use /stats for the last 30 days")

    await harness.send(coordinator.command("/export 7d"))
    upload = harness.request.to(COORDINATOR, "sendDocument")[-1]
    rows = list(csv.DictReader(io.StringIO(upload.file_bytes().decode("utf-8"))))
    assert len(rows) == 8  # the first (partial) day to today
    assert sum(int(r["opened"]) for r in rows) == 7 and sum(int(r["claimed"]) for r in rows) == 6
    assert date.fromisoformat(rows[-1]["date"]) == stats.local_day(NOW, services.settings.tz)

    await harness.send(coordinator.command("/stats chart"))
    photo = harness.request.to(COORDINATOR, "sendPhoto")[-1]
    png = photo.file_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and 20_000 < len(png) < 1_000_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1050, 1200)
    actions = [e.action for e in await services.audit.latest()]
    assert {"stats", "export", "stats_chart"} <= set(actions)


async def test_everyone_else_gets_the_same_refusal(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    for person in (sam, alex):
        for command in ("/stats", "/stats chart", "/stats fortnight", "/export", "/export 1y",
                        "/roster", "/peers", "/removepeer", "/removepeer Sam",
                        "/removepeer Nobody", "/audit"):
            await harness.send(person.command(command))
            assert harness.texts_to(person.user_id)[-1] == "This command is for coordinators."
        # The button of /removepeer (several peers of one alias) refuses the same way.
        await harness.send(person.press(f"{REMOVE_PREFIX}{sam.user_id}"))
        assert harness.texts_to(person.user_id)[-1] == "This command is for coordinators."
    assert harness.request.to(sam.user_id, "sendDocument") == []
    assert harness.request.to(alex.user_id, "sendPhoto") == []
    assert await harness.services.peers.get(sam.user_id) is not None
    assert [e.action for e in await harness.services.audit.latest()] == ["claim"]


async def test_roster_peers_removal_and_audit(harness: Harness) -> None:
    sam, kit, alex = peer(2001, "Sam"), peer(2002, "Kit"), responder()
    coordinator = responder(COORDINATOR, "Casey")
    code = await harness.claimed(alex, sam)
    await harness.register_peer(kit)
    await harness.send(kit.command("/oncall 8h"))

    await harness.send(coordinator.command("/roster"))
    roster = harness.texts_to(COORDINATOR)[-1]
    assert "On call now (1):" in roster and "• Kit, until" in roster
    assert "• Sam: 1 open conversation" in roster
    await harness.send(coordinator.command("/peers"))
    listing = harness.texts_to(COORDINATOR)[-1]
    assert "Registered peers (2):" in listing and "• Kit · agency: not given" in listing

    await harness.send(coordinator.command("/removepeer sam"))
    assert "Sam is no longer a peer" in harness.texts_to(COORDINATOR)[-1]
    assert "ended your registration" in harness.texts_to(sam.user_id)[-1]
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.state is State.OPEN  # back in the queue
    assert harness.request.to(GROUP, "sendMessage")[-1].buttons  # a new card with Claim
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    assert "ended by a coordinator" in harness.request.answers()[-1]
    await harness.send(sam.command("/start"))
    assert "ended by a coordinator" in harness.texts_to(sam.user_id)[-1]
    assert await harness.services.peers.get(sam.user_id) is None

    await harness.send(coordinator.command("/audit"))
    audit = harness.texts_to(COORDINATOR)[-1]
    lines = audit.splitlines()[1:]
    assert lines[0].endswith("viewed /audit")
    assert any("coordinator · removed a peer · Sam" in line for line in lines)
    assert any(f"Sam · released · {code}" in line for line in lines)
    assert any(f"Sam · claimed · {code}" in line for line in lines)
    assert str(alex.user_id) not in audit and "Alexandra" not in audit


async def test_removepeer_with_a_shared_alias_asks_which(harness: Harness) -> None:
    sam, other = peer(2001, "Sam"), peer(2002, "Sam")
    await harness.register_peer(sam)
    await harness.register_peer(other)
    coordinator = responder(COORDINATOR, "Casey")
    await harness.send(coordinator.command("/removepeer Sam"))
    choice = harness.last_to(COORDINATOR)
    assert "Several peers are called Sam" in choice.text and len(choice.buttons) == 2
    await harness.press(coordinator, "Remove Sam", in_chat=COORDINATOR)
    assert "is no longer a peer" in harness.texts_to(COORDINATOR)[-1]
    remaining = [p.user_id for p in await harness.services.peers.all()]
    assert len(remaining) == 1


async def test_long_lists_fit_one_message(harness: Harness) -> None:
    services = harness.services
    for number in range(120):  # 120 peers with long aliases: far past 4096 characters
        await services.peers.register(5000 + number, f"Peer with a long alias {number:03d}", 1)
    coordinator = responder(COORDINATOR, "Casey")
    await harness.send(coordinator.command("/peers"))
    listing = harness.texts_to(COORDINATOR)[-1]
    assert listing.startswith("Registered peers (120):")
    assert len(listing) <= 4096 and "… and " in listing and listing.endswith("more")


async def test_stats_say_how_many_updates_were_set_aside(harness: Harness) -> None:
    inbox = Inbox(harness.app, harness.services)
    poison = responder().text("x")
    poison["message"]["date"] = "notanint"  # python-telegram-bot cannot parse it
    await harness.send(Person(COORDINATOR, "Casey").command("/stats"))
    assert "set aside" not in harness.texts_to(COORDINATOR)[-1]
    await inbox.receive([poison])
    await inbox.settled()
    await harness.send(Person(COORDINATOR, "Casey").command("/stats"))
    assert "set aside (see the log by update id): 1" in harness.texts_to(COORDINATOR)[-1]
