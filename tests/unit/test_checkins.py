"""Follow-up check-ins (bot/requests/checkins.py), on a fake clock: offered at each kind of
end, chosen once, sent when due once (whoever tries), answered, cancelled by /forget and by
the retention purge, and rebuilt after a restart."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GROUP, START, Clock, Harness, in_group, peer, responder
from offline import Person

from bot.escalation import sweep
from bot.platform.settings import ConfigError, load_settings
from bot.requests import checkins
from bot.safety import erasure

OFFER = "check in on you later"
CHECKIN = "checking in as you asked"
DAY = 86400


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"followup_delays": (86400.0, 259200.0, 604800.0)}


async def _actions(harness: Harness) -> list[str]:
    return [entry.action for entry in await harness.services.audit.latest(200)]


async def _ended(harness: Harness, how: str, alex: Person, sam: Person, clock: Clock) -> str:
    code = await harness.claimed(alex, sam)
    if how == "end":
        await harness.send(alex.command("/end"))
    elif how == "close":
        await harness.send(sam.command("/close"))
    else:
        await harness.send(sam.text("I'm here with you."))
        clock.now = START + 48 * 3600 + 60
        await sweep.sweep(harness.services)
    return code


@pytest.mark.parametrize("how", ["end", "close", "inactivity"])
async def test_offered_at_each_kind_of_end(harness: Harness, clock: Clock, how: str) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, how, alex, sam, clock)
    assert harness.count(alex.user_id, OFFER) == 1
    offer = next(t for t in harness.texts_to(alex.user_id) if OFFER in t)
    assert "the peer you talked with will be offered it first" in offer  # what is kept, said
    for label in ("In 24 hours", "In 3 days", "In 7 days", "No thanks"):
        harness.button(alex.user_id, f"^{label}$")
    assert "checkin_offered" in await _actions(harness)


async def test_an_unclaimed_request_ended_offers_nothing(harness: Harness, clock: Clock) -> None:
    alex = responder()
    await harness.open_request(alex)
    await harness.send(alex.command("/end"))
    assert harness.count(alex.user_id, OFFER) == 0


async def test_chosen_then_sent_once_when_due_and_answered_ok(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 3 days$")
    assert "check in with you in 3 days" in harness.texts_to(alex.user_id)[-1]
    await harness.press(alex, "^In 24 hours$")  # the same offer again: already chosen
    assert harness.request.answers()[-1] == "You've already answered this: nothing was changed."
    rows = await harness.services.db.fetch_all("SELECT due_at FROM checkins")
    assert [r["due_at"] for r in rows] == [START + 3 * DAY]
    timer = harness.services.timers.scheduled(checkins.WAKE_TIMER)
    assert timer is not None and timer.timestamp() == START + 3 * DAY

    clock.now = START + 3 * DAY - 1
    await sweep.sweep(harness.services)
    assert harness.count(alex.user_id, CHECKIN) == 0
    clock.now = START + 3 * DAY
    for _ in range(2):  # the timer and the sweep both try, twice
        await checkins.wake(harness.services)
        await sweep.sweep(harness.services)
    assert harness.count(alex.user_id, CHECKIN) == 1
    assert (await _actions(harness)).count("checkin_sent") == 1
    row = await harness.services.db.fetch_one("SELECT length(contact) AS n FROM checkins")
    assert row is not None and row["n"] == 0  # the chat is no longer kept

    await harness.press(alex, "^I'm OK$")
    assert "Glad to hear it" in harness.texts_to(alex.user_id)[-1]
    await harness.press(alex, "^I'm OK$")
    assert harness.request.answers()[-1] == "You've already answered this check-in."
    assert (await _actions(harness)).count("checkin_answered") == 1


async def test_no_thanks_keeps_nothing(harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "close", alex, sam, clock)
    await harness.press(alex, "^No thanks$")
    assert "No problem" in harness.texts_to(alex.user_id)[-1]
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 0
    assert "checkin_declined" in await _actions(harness)


async def test_someone_elses_press_is_stale(harness: Harness, clock: Clock) -> None:
    alex, sam, blake = responder(), peer(), responder(918273602, "Blake")
    await _ended(harness, "end", alex, sam, clock)
    data, message_id = harness.button(alex.user_id, "^In 3 days$")
    await harness.send(blake.press(data, message_id))
    assert harness.request.answers()[-1] == "This button is no longer valid."
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 0


async def test_talk_again_opens_a_follow_up_offered_to_the_previous_peer_first(
        harness: Harness, clock: Clock) -> None:
    alex, sam, jo = responder(), peer(2001, "Sam"), peer(2002, "Jo")
    await harness.on_call(sam)
    await harness.on_call(jo)
    await harness.open_request(alex)
    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    await harness.send(sam.command("/close"))
    await harness.press(alex, "^In 24 hours$")
    clock.now = START + DAY
    await sweep.sweep(harness.services)
    for someone in (sam, jo):  # their on-call periods ran out meanwhile
        await harness.send(someone.command("/oncall 12h"))
    await harness.press(alex, "^Talk to a peer again$")
    assert "1 of" in harness.texts_to(alex.user_id)[-1]  # the intake's first question
    sam_notices = harness.count(sam.user_id, "A new request is waiting")
    jo_notices = harness.count(jo.user_id, "A new request is waiting")
    await harness.send(alex.text("Could we talk again?"))
    assert harness.count(GROUP, "Follow-up: this person asked to talk again") == 1
    assert harness.count(sam.user_id, "A new request is waiting") == sam_notices + 1
    assert harness.count(jo.user_id, "A new request is waiting") == jo_notices  # step 1
    await harness.press(in_group(jo), "Claim", in_chat=GROUP)
    assert harness.count(jo.user_id, "This is a follow-up") == 1
    await harness.press(alex, "^Talk to a peer again$")
    assert harness.request.answers()[-1] == "You've already answered this check-in."
    answered = await harness.services.db.fetch_one("SELECT answer, peer_id FROM checkins")
    assert answered is not None and answered["answer"] == "talk" and answered["peer_id"] is None


async def test_resources_shows_the_resources_and_keeps_the_buttons(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 24 hours$")
    clock.now = START + DAY
    await sweep.sweep(harness.services)
    await harness.press(alex, "^Resources$")
    assert "988" in harness.texts_to(alex.user_id)[-1]
    await harness.press(alex, "^I'm OK$")
    assert "Glad to hear it" in harness.texts_to(alex.user_id)[-1]


async def test_forget_cancels_it(harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 24 hours$")
    await harness.send(alex.command("/forget"))
    await harness.press(alex, "Yes, delete everything")
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 0
    clock.now = START + DAY
    await sweep.sweep(harness.services)
    assert harness.count(alex.user_id, CHECKIN) == 0


async def test_the_retention_purge_keeps_an_unsent_one_due_in_time_until_it_is_sent(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 7 days$")
    harness.services.timers.cancel(checkins.WAKE_TIMER)  # the bot was down when it fell due
    clock.now = START + 6 * DAY
    assert await erasure.purge(harness.services) == 0
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 1  # the conversation is younger than RETENTION_DAYS
    clock.now = START + 31 * DAY
    assert await erasure.purge(harness.services) == 1  # the conversation is purged ...
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 1  # ... but its check-in, due in time, is not lost
    await sweep.sweep(harness.services)
    assert harness.count(alex.user_id, CHECKIN) == 1
    await erasure.purge(harness.services)  # sent: now it goes
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 0


async def test_the_retention_purge_deletes_one_due_after_the_retention_end(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 7 days$")
    # As if RETENTION_DAYS had been shortened since it was chosen.
    await harness.services.db.write("UPDATE checkins SET due_at = ?", (START + 40 * DAY,))
    clock.now = START + 31 * DAY
    assert await erasure.purge(harness.services) == 1
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 0


async def test_a_choice_due_after_the_retention_end_is_refused(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)  # RETENTION_DAYS is 30
    clock.now = START + 25 * DAY
    await harness.press(alex, "^In 7 days$")  # day 32: after the retention end
    assert harness.request.answers()[-1].startswith("It's too late to choose this one")
    clock.now = START + 29 * DAY + DAY // 2
    await harness.press(alex, "^In 24 hours$")  # day 30.5: no delay fits any more
    assert harness.request.answers()[-1].startswith("It's too late to choose this one")
    assert "too late now for a check-in" in harness.texts_to(alex.user_id)[-1]
    row = await harness.services.db.fetch_one("SELECT COUNT(*) FROM checkins")
    assert row is not None and row[0] == 0
    assert "checkin_chosen" not in await _actions(harness)


async def test_a_sooner_choice_that_fits_is_still_taken_late(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    clock.now = START + 25 * DAY
    await harness.press(alex, "^In 3 days$")  # day 28: before the retention end
    assert "check in with you in 3 days" in harness.texts_to(alex.user_id)[-1]


async def test_the_purge_unlinks_a_follow_up_from_the_earlier_conversation(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 24 hours$")
    clock.now = START + DAY
    await sweep.sweep(harness.services)
    await harness.press(alex, "^Talk to a peer again$")
    await harness.send(alex.text("Could we talk again?"))
    live = await harness.services.requests.live_for_responder(alex.user_id)
    assert live is not None and live.intake.followup
    assert live.intake.previous_peer == sam.user_id
    await harness.send(alex.command("/end"))
    clock.now = START + 40 * DAY
    assert await erasure.purge(harness.services) == 2
    purged = await harness.services.requests.get(live.id)
    assert purged is not None
    assert (purged.intake.followup, purged.intake.previous_peer) == (False, None)
    assert purged.intake.language == live.intake.language  # the rest stays


async def test_resources_then_ok_counts_one_answer(harness: Harness, clock: Clock) -> None:
    from bot.oversight import tools
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 24 hours$")
    clock.now = START + DAY
    await sweep.sweep(harness.services)
    await harness.press(alex, "^Resources$")
    await harness.press(alex, "^I'm OK$")
    assert "Glad to hear it" in harness.texts_to(alex.user_id)[-1]
    assert (await _actions(harness)).count("checkin_answered") == 1
    summary = await tools._summary(harness.services, tools.stats.Period(None))
    assert summary.checkins == (1, 1, 0, 0, 1)  # its first answer: Resources


async def test_one_due_while_the_bot_was_down_is_sent_at_start_once(
        harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 24 hours$")
    harness.services.timers.cancel(checkins.WAKE_TIMER)  # as if the process had stopped
    clock.now = START + 2 * DAY
    await sweep.rebuild(harness.services)
    await sweep.rebuild(harness.services)
    assert harness.count(alex.user_id, CHECKIN) == 1


async def test_one_taken_but_not_sent_is_sent_later_once(harness: Harness, clock: Clock) -> None:
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 24 hours$")
    clock.now = START + DAY
    [checkin_id] = await harness.services.checkins.due(clock.now)
    assert await harness.services.checkins.take(checkin_id, clock.now)  # then the crash
    await sweep.sweep(harness.services)
    assert harness.count(alex.user_id, CHECKIN) == 0  # whoever took it may still be sending
    clock.now += checkins.UNFINISHED_SECONDS
    await sweep.sweep(harness.services)
    await sweep.sweep(harness.services)
    assert harness.count(alex.user_id, CHECKIN) == 1


async def test_stats_count_check_ins_blurred(harness: Harness, clock: Clock) -> None:
    from bot.oversight import tools
    alex, sam = responder(), peer()
    await _ended(harness, "end", alex, sam, clock)
    await harness.press(alex, "^In 24 hours$")
    summary = await tools._summary(harness.services, tools.stats.Period(None))
    assert summary.checkins == (1, 0, 0, 0, 0)


def test_followup_delays_are_validated(tmp_path: Any) -> None:
    base = {"BOT_TOKEN": "123:ABC", "PEER_GROUP_ID": "-1001",
            "ENCRYPTION_KEYS": "A" * 43, "INDEX_KEY": "B" * 43,
            "DATABASE_PATH": str(tmp_path / "db" / "x.db")}
    assert load_settings({**base, "FOLLOWUP_DELAYS": "30s, 2d"}).followup_delays == (
        30.0, 172800.0)
    assert load_settings(base).followup_delays == (86400.0, 259200.0, 604800.0)
    for bad in ("tomorrow", "24h,24h", "1h,2h,3h,4h,5h", "100d", "0s"):
        with pytest.raises(ConfigError) as error:
            load_settings({**base, "FOLLOWUP_DELAYS": bad})
        assert len(error.value.problems) == 1
        assert error.value.problems[0].startswith("FOLLOWUP_DELAYS ")


def test_followup_delays_must_be_shorter_than_retention_days(tmp_path: Any) -> None:
    base = {"BOT_TOKEN": "123:ABC", "PEER_GROUP_ID": "-1001",
            "ENCRYPTION_KEYS": "A" * 43, "INDEX_KEY": "B" * 43,
            "DATABASE_PATH": str(tmp_path / "db" / "x.db")}
    assert load_settings({**base, "FOLLOWUP_DELAYS": "29d", "RETENTION_DAYS": "30"})
    assert load_settings({**base, "RETENTION_DAYS": "7.5"}).followup_delays[-1] == 7 * DAY
    for delays, days in (("30d", "30"), ("60d", ""), ("", "7"), ("1h,2d", "1")):
        with pytest.raises(ConfigError) as error:
            load_settings({**base, "FOLLOWUP_DELAYS": delays, "RETENTION_DAYS": days})
        [problem] = error.value.problems
        assert problem.startswith("FOLLOWUP_DELAYS ") and "RETENTION_DAYS" in problem
    with pytest.raises(ConfigError) as error:  # a bad RETENTION_DAYS is named once, alone
        load_settings({**base, "RETENTION_DAYS": "0"})
    assert [p.split()[0] for p in error.value.problems] == ["RETENTION_DAYS"]
