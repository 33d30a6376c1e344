"""The on-call roster and the escalation ladder, with the real clock: a schedule in seconds,
coordinators in their private chats, a backup chat, silent peers and quiet conversations."""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

from .harness import (
    CODE,
    GROUP_ID,
    RESPONDER_IDS,
    WAIT,
    Emulator,
    Peer,
    StartBot,
    StartTeam,
    User,
    answers,
    assert_card_reposted,
    calls,
    claim_card,
    coordinator_user,
    count_matching,
    go_on_call,
    labels,
    message_by_id,
    open_request,
    peer,
    quiet,
    register,
    responder,
    sent_to,
    texts,
    wait_for_answer,
    wait_until,
)

COORDINATORS = (4001, 4002)
BACKUP = -2002
NOTICE = "A new request is waiting, and you are on call."
STILL_FINDING = "We are still finding a peer for you"
NOBODY_ON_CALL = "no peer is on call right now"
# The reminder before an automatic off-call (with the date when the end is past midnight).
OFF_CALL_REMINDER = r"^You go off call (?:on [^.]+ )?at"


# --- Helpers --------------------------------------------------------------------------------


def _chat(call: dict[str, Any]) -> str:
    return str(call.get("chat_id"))


def _sent(emu: Emulator, chat_id: int) -> list[dict[str, Any]]:
    """The messages the bot sent to one chat (journal entries, oldest first)."""
    return sent_to(emu, chat_id, "sendMessage")


def _sent_matching(emu: Emulator, chat_id: int, pattern: str) -> list[dict[str, Any]]:
    return [c for c in _sent(emu, chat_id) if re.search(pattern, c.get("text") or "")]


def _first_time(emu: Emulator, chat_id: int, pattern: str) -> float:
    """When (ms, emulator clock) the bot first sent `chat_id` a message matching `pattern`."""
    found = _sent_matching(emu, chat_id, pattern)
    assert found, f"nothing matching {pattern!r} was sent to {chat_id}"
    return float(found[0]["time"])


def _sleep_until(moment_ms: float) -> None:
    """Sleep until a moment on the emulator's clock (the same machine's wall clock)."""
    remaining = moment_ms / 1000 - time.time()
    if remaining > 0:
        time.sleep(remaining)


def _set_agency(person: Peer, name: str) -> None:
    at = len(person.private.inbox())
    person.private.command(f"/agency {name}")
    person.private.wait_for(rf"Your agency is now {re.escape(name)}\.", timeout=WAIT, after=at)


def _clusters(entries: list[dict[str, Any]], gap_ms: float = 700) -> list[list[dict[str, Any]]]:
    """Journal entries grouped into bursts: a new burst after a pause of `gap_ms`."""
    bursts: list[list[dict[str, Any]]] = []
    for entry in entries:
        if bursts and entry["time"] - bursts[-1][-1]["time"] < gap_ms:
            bursts[-1].append(entry)
        else:
            bursts.append([entry])
    return bursts


def _shape(burst: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((c["method"], _chat(c)) for c in burst)


def _assert_private(entries: list[dict[str, Any]], *secrets: str) -> None:
    for entry in entries:
        shown = f"{entry.get('text') or ''} {entry.get('reply_markup') or ''}"
        for secret in secrets:
            assert secret not in shown, f"{secret!r} reached chat {_chat(entry)}: {shown!r}"


# --- The ladder -----------------------------------------------------------------------------


def test_full_ladder_when_nobody_claims(start_bot: StartBot) -> None:
    bot = start_bot(ESCALATION_SCHEDULE="2s,4s,6s",
                    COORDINATOR_IDS=",".join(map(str, COORDINATORS)), BACKUP_CHAT_ID=str(BACKUP))
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"), on_call=True)
    marlowe = responder(emu)
    first = "I keep seeing the crash on Route 9 whenever I close my eyes."
    code = open_request(marlowe, first)
    card = avery.group.wait_for(rf"Request {code}", timeout=WAIT)
    t0 = _first_time(emu, GROUP_ID, rf"Request {code}")
    _sleep_until(t0 + 9_500)

    coordinators = [str(c) for c in COORDINATORS]
    watched = {str(GROUP_ID), str(avery.id), str(marlowe.id), str(BACKUP), *coordinators}
    entries = [c for c in calls(emu) if c["time"] >= t0 and _chat(c) in watched
               and c["method"] in ("sendMessage", "editMessageText")]
    bursts = _clusters(entries)
    shapes = [_shape(b) for b in bursts]
    group, avery_chat, marlowe_chat = str(GROUP_ID), str(avery.id), str(marlowe.id)
    send, edit = "sendMessage", "editMessageText"
    assert shapes == [
        # Opening: the card, the on-call peer's notice, the acknowledgement.
        Counter({(send, group): 1, (send, avery_chat): 1, (send, marlowe_chat): 1}),
        # Step 1: the old card edited, a new card, the on-call peer again, the responder.
        Counter({(edit, group): 1, (send, group): 1, (send, avery_chat): 1,
                 (send, marlowe_chat): 1}),
        # Step 2: each coordinator, the responder.
        Counter({(send, coordinators[0]): 1, (send, coordinators[1]): 1,
                 (send, marlowe_chat): 1}),
        # Step 3: the coordinators again, the backup chat, the responder.
        Counter({(send, coordinators[0]): 1, (send, coordinators[1]): 1,
                 (send, str(BACKUP)): 1, (send, marlowe_chat): 1}),
    ], [[(c["method"], _chat(c), round(c["time"] - t0)) for c in b] for b in bursts]

    # Each step on time: due at opening + 2 s, 4 s, 6 s (the bot counts whole seconds).
    for step, burst in enumerate(bursts):
        offset = (burst[0]["time"] - t0) / 1000
        assert 2 * step - 1.5 <= offset <= 2 * step + 1.0, (step, offset)

    opening, step1, step2, step3 = bursts
    by_chat = {_chat(c): c for c in opening}
    assert labels(by_chat[group]) == ["Claim"]
    assert by_chat[avery_chat]["text"].startswith(NOTICE)
    assert f"Request {code}" in by_chat[avery_chat]["text"]
    assert labels(by_chat[avery_chat]) == ["Claim"]
    assert NOBODY_ON_CALL not in by_chat[marlowe_chat]["text"]

    reposted = next(c for c in step1 if c["method"] == edit)
    assert reposted["text"].endswith("Still waiting: re-posted below.")
    assert labels(reposted) == []
    renotice = next(c for c in step1 if c["method"] == send and _chat(c) == avery_chat)
    assert renotice["text"].startswith(NOTICE)
    assert labels(renotice) == ["Claim"]
    # What the group shows now: the old card without its button, a new one with it.
    old = message_by_id(avery.group, card["message_id"])
    assert old["text"].endswith("Still waiting: re-posted below.")
    assert labels(old) == []
    cards = avery.group.inbox()
    assert len(cards) == 2
    assert cards[-1]["text"].startswith(f"Request {code}")
    assert labels(cards[-1]) == ["Claim"]

    # Each alert says why it came (the step reached) and what the coordinator can do.
    for burst, waited, why in (
            (step2, r"[3-5]s", r"it reached step 2 of 3 of the escalation ladder\."),
            (step3, r"[5-7]s", r"it reached the last step of the escalation ladder \(3 of 3\), "
                               r"and the backup chat has been asked to help too\.")):
        for coordinator in coordinators:
            notice = next(c for c in burst if _chat(c) == coordinator)
            assert re.fullmatch(rf"Request {code} has been waiting {waited} and nobody has "
                                rf"claimed it yet\.\nWhy this alert: {why}\n\nWhat you can "
                                r"do: /roster shows who is on call, .*/oncall\.",
                                notice["text"]), notice["text"]
    backup = next(c for c in step3 if _chat(c) == str(BACKUP))
    assert backup["text"].startswith(f"Request {code} has been waiting")
    assert "no peer has claimed it" in backup["text"]
    # Without BACKUP_CONTACT: the way to the team, never a dead end.
    assert backup["text"].endswith("Please get in touch with the Peer Support Team's "
                                   "coordinators (or whoever leads your team) and mention the "
                                   f"request code {code}.")
    assert len(emu.bot_messages(BACKUP)) == 1
    for coordinator_id in COORDINATORS:
        assert len(coordinator_user(emu, coordinator_id).inbox()) == 2

    # The responder: exactly three calm updates, each with the two buttons.
    updates = [c for c in entries if _chat(c) == marlowe_chat and STILL_FINDING in c["text"]]
    assert len(updates) == 3
    assert count_matching(marlowe, STILL_FINDING) == 3
    for update in updates:
        assert f"({code})" in update["text"]
        assert "988" in update["text"]
        assert labels(update) == ["Clinician directory", "Keep waiting"]

    # Coordinators and the backup chat see the code, never who asked or what they wrote.
    outside = [c for c in calls(emu) if _chat(c) in {str(BACKUP), *coordinators}]
    assert len(outside) == 5
    _assert_private(outside, "Marlowe", "marlowe_r", str(marlowe.id), first, "Route 9")

    # "Keep waiting" tidies the buttons away and reassures in a message that stays.
    at = len(marlowe.inbox())
    marlowe.press(r"^Keep waiting$")
    marlowe.wait_for(rf"^We'll keep looking for a peer for you \({code}\)\.", timeout=WAIT,
                     after=at)


def test_a_claim_during_the_ladder_stops_it(start_team: StartTeam) -> None:
    bot, _, [avery] = start_team(COORDINATORS[0], (2001, "Avery"), on_call=True,
                                 ESCALATION_SCHEDULE="3s,6s,9s", BACKUP_CHAT_ID=str(BACKUP))
    emu = bot.emu
    marlowe = responder(emu)
    code = open_request(marlowe, "Could use a word with someone today.")
    t0 = _first_time(emu, GROUP_ID, rf"Request {code}")

    # Step 1: the request is re-posted and Avery is told a second time.
    wait_until(lambda: count_matching(avery.private, re.escape(NOTICE)) == 2, "the second notice")
    marlowe.wait_for(STILL_FINDING, timeout=WAIT)
    notices = [m for m in avery.private.inbox() if m["text"].startswith(NOTICE)]

    # Avery claims from the private notice, before step 2.
    at = len(answers(emu))
    avery.private.press(r"^Claim$")
    wait_for_answer(emu, rf"{code} is yours", after=at)
    claimed_at = (float(calls(emu, "answerCallbackQuery")[-1]["time"]) - t0) / 1000
    # Step 2 is due at 6 s: a claim a second before it still tests something (with a Bot API
    # answering in 150 ms, step 1's sends alone take a second or more).
    assert claimed_at < 5.0, f"the claim came too late to test anything ({claimed_at:.1f} s)"
    avery.private.wait_for(rf"You have claimed {code}", timeout=WAIT)
    marlowe.wait_for(r"^Avery from the Peer Support Team has joined\.$", timeout=WAIT)
    avery.group.wait_for(r"Claimed by Avery\.$", timeout=WAIT)
    for notice in notices:  # both private notices lose their button
        wait_until(lambda n=notice: message_by_id(avery.private, n["message_id"])["text"]
                   .endswith("Claimed by Avery."), "the notice to be rewritten")
        assert labels(message_by_id(avery.private, notice["message_id"])) == []

    # Steps 2 and 3 would have come at 6 s and 9 s: nothing comes.
    _sleep_until(t0 + 10_500)
    assert _sent(emu, COORDINATORS[0]) == []
    assert _sent(emu, BACKUP) == []
    assert count_matching(marlowe, STILL_FINDING) == 1
    assert len(_sent(emu, GROUP_ID)) == 2
    assert len(_sent_matching(emu, avery.id, re.escape(NOTICE))) == 2


def test_a_restart_catches_up_overdue_steps_with_one_message_each(start_team: StartTeam,
                                                                    ) -> None:
    bot, _, [avery] = start_team(COORDINATORS[0], (2001, "Avery"), on_call=True,
                                 ESCALATION_SCHEDULE="3s,6s,9s", BACKUP_CHAT_ID=str(BACKUP))
    emu = bot.emu
    marlowe = responder(emu)
    code = open_request(marlowe, "Long shift, can't switch off.")
    t0 = _first_time(emu, GROUP_ID, rf"Request {code}")
    marlowe.wait_for(STILL_FINDING, timeout=WAIT)  # step 1 ran
    wait_until(lambda: count_matching(avery.private, re.escape(NOTICE)) == 2, "the second notice")

    bot.kill()
    killed_at = time.time() * 1000
    assert (killed_at - t0) / 1000 < 5.0, "killed too late: step 2 may have run already"
    _sleep_until(t0 + 10_500)  # steps 2 (6 s) and 3 (9 s) are overdue
    assert _sent(emu, COORDINATORS[0]) == []

    restarted_at = time.time() * 1000
    bot.start()  # same token, database and keys
    wait_until(lambda: len(emu.bot_messages(BACKUP)) >= 1, "the backup chat to be told")
    quiet()
    quiet()

    # Steps 2 and 3 fell due together: one alert per coordinator, one update to the responder.
    coordinator = _sent(emu, COORDINATORS[0])
    assert len(coordinator) == 1, [c["text"] for c in coordinator]
    assert coordinator[0]["text"].startswith(f"Request {code} has been waiting")
    assert coordinator[0]["time"] > restarted_at
    backup = _sent(emu, BACKUP)
    assert len(backup) == 1
    assert backup[0]["text"].startswith(f"Request {code} has been waiting")
    assert count_matching(marlowe, STILL_FINDING) == 2  # step 1's, then the catch-up's
    # Step 1 was not repeated: one re-post, one second notice.
    assert len(_sent(emu, GROUP_ID)) == 2
    assert len(sent_to(emu, GROUP_ID, "editMessageText")) == 1
    assert count_matching(avery.private, re.escape(NOTICE)) == 2

    # The restarted bot still works: the request can be claimed.
    avery.group.press(r"^Claim$")
    avery.private.wait_for(rf"You have claimed {code}", timeout=WAIT)


def test_a_bot_stopped_before_the_first_step_sends_one_catch_up_to_each_person(
        start_bot: StartBot) -> None:
    bot = start_bot(ESCALATION_SCHEDULE="3s,6s,9s",
                    COORDINATOR_IDS=",".join(map(str, COORDINATORS)), BACKUP_CHAT_ID=str(BACKUP))
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"), on_call=True)
    marlowe = responder(emu)
    code = open_request(marlowe, "Can't sleep after that call.")
    t0 = _first_time(emu, GROUP_ID, rf"Request {code}")
    bot.stop()  # a deploy: SIGTERM while the request waits, before any step
    assert (time.time() * 1000 - t0) / 1000 < 3.0, "stopped too late: step 1 may have run"
    assert count_matching(marlowe, STILL_FINDING) == 0
    _sleep_until(t0 + 10_500)  # every step is overdue

    bot.start()
    wait_until(lambda: len(emu.bot_messages(BACKUP)) >= 1, "the backup chat to be told")
    marlowe.wait_for(STILL_FINDING, timeout=WAIT)
    quiet()
    quiet()

    assert count_matching(marlowe, STILL_FINDING) == 1
    for coordinator_id in COORDINATORS:
        alerts = _sent(emu, coordinator_id)
        assert [c["text"].startswith(f"Request {code} has been waiting") for c in alerts] == [
            True], [c["text"] for c in alerts]
    assert len(_sent(emu, BACKUP)) == 1
    assert len(_sent(emu, GROUP_ID)) == 2  # the card, re-posted once
    assert count_matching(avery.private, re.escape(NOTICE)) == 2  # and one reminder to the peer
    assert "caught up" in bot.log_text()


def test_nobody_on_call_alerts_the_coordinators_at_once(start_bot: StartBot) -> None:
    bot = start_bot(ESCALATION_SCHEDULE="5s,10s,15s",
                    COORDINATOR_IDS=",".join(map(str, COORDINATORS)))
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))  # registered, not on call
    avery_before = texts(avery.private)
    marlowe = responder(emu)
    code = open_request(marlowe, "Anyone around at this hour?")
    acknowledgement = marlowe.wait_for(rf"Your request {code}", timeout=WAIT)
    assert NOBODY_ON_CALL in acknowledgement["text"]
    assert "988" in acknowledgement["text"]
    t0 = _first_time(emu, GROUP_ID, rf"Request {code}")

    for coordinator_id in COORDINATORS:
        alert = coordinator_user(emu, coordinator_id).wait_for(
            rf"Request {code} has been waiting", timeout=3)
        assert "nobody has claimed it yet" in alert["text"]
        offset = (_first_time(emu, coordinator_id, re.escape(code)) - t0) / 1000
        assert offset < 2.0, f"coordinator {coordinator_id} alerted after {offset:.1f} s"
    quiet()
    assert texts(avery.private) == avery_before, "a peer who is not on call was notified"
    assert len(avery.group.inbox()) == 1, "the card is posted once, nothing re-posted yet"
    for coordinator_id in COORDINATORS:
        assert len(_sent(emu, coordinator_id)) == 1


def test_urgent_request_alerts_the_coordinators_and_the_peer(start_team: StartTeam) -> None:
    bot, coordinator, [avery] = start_team(COORDINATORS[0], (2001, "Avery"), on_call=True)
    emu = bot.emu
    marlowe = responder(emu)
    code = open_request(marlowe, "I need to talk to someone right now.", urgency="Now")
    acknowledgement = marlowe.wait_for(rf"Your request {code}", timeout=WAIT)
    assert "coordinators have been alerted" in acknowledgement["text"]
    assert NOBODY_ON_CALL not in acknowledgement["text"]
    t0 = _first_time(emu, GROUP_ID, rf"Request {code}")

    alert = coordinator.wait_for(rf"Request {code} has been waiting", timeout=3)
    assert "nobody has claimed it yet" in alert["text"]
    assert (_first_time(emu, COORDINATORS[0], re.escape(code)) - t0) / 1000 < 2.0
    notice = avery.private.wait_for(re.escape(NOTICE), timeout=WAIT)
    assert f"Request {code}" in notice["text"]
    assert "How soon: Now" in notice["text"]
    assert labels(notice) == ["Claim"]
    card = avery.group.wait_for(rf"Request {code}", timeout=WAIT)
    assert "How soon: Now" in card["text"]
    assert labels(card) == ["Claim"]


# --- Outside agency -------------------------------------------------------------------------


def _open_outside(person: User, agency: str, first_message: str) -> str:
    """The intake with "Yes, outside my agency" and the responder's own agency."""
    at = len(person.inbox())
    person.command("/start")
    person.wait_for(r"confidential", timeout=WAIT, after=at)
    question = len(person.inbox())
    person.press(r"^Talk to a peer$")
    person.wait_for(r"How soon", timeout=WAIT, after=question)
    person.press(r"^Today$")
    person.wait_for(r"thoughts of killing yourself", timeout=WAIT, after=question)
    person.press(r"^Skip$")
    person.wait_for(r"outside your own agency", timeout=WAIT, after=question)
    person.press(r"^Yes, outside my agency$")
    asked = person.wait_for(r"Which agency are you with", timeout=WAIT, after=question)
    assert labels(asked) == ["Metro PD", "County Fire", "Skip"]
    person.press(rf"^{re.escape(agency)}$")
    person.wait_for(r"Write whatever", timeout=WAIT, after=question)
    at = len(person.inbox())
    person.say(first_message)
    opened = person.wait_for(rf"Your request ({CODE}) is with", timeout=WAIT, after=at)
    found = re.search(CODE, opened["text"])
    assert found is not None
    return found.group(0)


def test_outside_agency_request_skips_that_agency(start_bot: StartBot) -> None:
    bot = start_bot(AGENCIES="Metro PD,County Fire")
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    blake = register(peer(emu, 2002, "Blake"))
    _set_agency(avery, "Metro PD")
    _set_agency(blake, "County Fire")
    go_on_call(avery)
    go_on_call(blake)
    avery_before = texts(avery.private)
    marlowe = responder(emu)

    code = _open_outside(marlowe, "Metro PD", "I'd rather not talk to someone from my own shop.")
    notice = blake.private.wait_for(re.escape(NOTICE), timeout=WAIT)
    assert f"Request {code}" in notice["text"]
    card = avery.group.wait_for(rf"Request {code}", timeout=WAIT)
    assert "Agency: outside-agency requested" in card["text"]
    assert "Metro PD" not in card["text"]

    # Avery is in the agency the responder asked to avoid: no notice, and Claim is refused.
    at = len(answers(emu))
    avery.group.press(r"^Claim$")
    refusal = wait_for_answer(emu, r"outside your agency", after=at)
    assert "asked for a peer from outside your agency" in refusal
    quiet()
    assert texts(avery.private) == avery_before
    still = message_by_id(avery.group, card["message_id"])
    assert still["text"] == card["text"]
    assert labels(still) == ["Claim"]
    assert not any("has joined" in t for t in texts(marlowe))

    # Blake, from another agency, can claim it.
    at = len(answers(emu))
    blake.group.press(r"^Claim$")
    wait_for_answer(emu, rf"{code} is yours", after=at)
    blake.private.wait_for(rf"You have claimed {code}", timeout=WAIT)
    marlowe.wait_for(r"^Blake from the Peer Support Team has joined\.$", timeout=WAIT)
    avery.group.wait_for(r"Claimed by Blake\.$", timeout=WAIT)
    assert texts(avery.private) == avery_before


# --- Claimed conversations: the silent peer, /release, inactivity ---------------------------


def test_a_silent_peer_is_reminded_then_the_request_is_requeued(start_team: StartTeam) -> None:
    # Avery will stay silent, Blake writes at once.
    bot, coordinator, [avery, blake] = start_team(COORDINATORS[0], (2001, "Avery"),
                                                  (2002, "Blake"), PEER_REPLY_MINUTES="0.05")
    emu = bot.emu
    marlowe = responder(emu)
    harlan = responder(emu, RESPONDER_IDS[1], "Harlan", "harlan_r")
    code1 = open_request(marlowe, "Tough week on nights.")
    code2 = open_request(harlan, "Just want to talk something through.")
    card1 = avery.group.wait_for(rf"Request {code1}", timeout=WAIT)
    card2 = avery.group.wait_for(rf"Request {code2}", timeout=WAIT)

    claim_card(avery, card1, code1)
    claim_card(blake, card2, code2)
    for code in (code1, code2):  # nobody is on call: each opening alerted them at once
        coordinator.wait_for(rf"^Request {code} has been waiting", timeout=WAIT)
    alerted = len(texts(coordinator))
    blake.private.say("I'm here, take your time.")
    harlan.wait_for(r"^Blake: I'm here, take your time\.$", timeout=WAIT)
    claimed1 = _first_time(emu, avery.id, rf"You have claimed {code1}")
    claimed2 = _first_time(emu, blake.id, rf"You have claimed {code2}")

    # Avery: a reminder after about 3 s...
    reminder = avery.private.wait_for(rf"^Reminder: you claimed {code1}", timeout=WAIT)
    assert "/release" in reminder["text"]
    reminded = _first_time(emu, avery.id, r"^Reminder:")
    assert 1.5 <= (reminded - claimed1) / 1000 <= 4.5

    # ...and after about 6 s the request goes back to the queue.
    avery.private.wait_for(rf"{code1} went back to the queue", timeout=WAIT)
    requeued = _first_time(emu, avery.id, r"went back to the queue")
    assert 4.5 <= (requeued - claimed1) / 1000 <= 7.5
    marlowe.wait_for(r"^Avery had to step away", timeout=WAIT)
    told = coordinator.wait_for(rf"Request {code1} is back in the queue", timeout=WAIT)
    assert "Avery claimed it but did not write" in told["text"]
    # Nobody is on call: the alert says so (not /roster), and it is the only one.
    assert re.search(r"It was opened [\dhms]+ ago\. No other peer is on call right now",
                     told["text"]), told["text"]
    assert "/roster" not in told["text"]
    assert_card_reposted(avery, code1, card1, 3)
    assert count_matching(avery.private, r"^Reminder:") == 1

    # Blake wrote within the window: no reminder, nothing handed back.
    _sleep_until(max(claimed2 + 7_000, time.time() * 1000))
    quiet()
    assert count_matching(blake.private, r"Reminder|went back to the queue") == 0
    assert not any("step away" in t for t in texts(harlan))
    assert not any(code2 in t and "back in the queue" in t for t in texts(coordinator))
    assert [t for t in texts(coordinator)[alerted:] if code1 in t] == [told["text"]]
    assert message_by_id(blake.group, card2["message_id"])["text"].endswith("Claimed by Blake.")
    _assert_private(_sent(emu, COORDINATORS[0]), "Marlowe", "Harlan", "Tough week",
                    str(marlowe.id), str(harlan.id))


def test_release_with_a_reason(start_team: StartTeam) -> None:
    bot, coordinator, [avery] = start_team(COORDINATORS[0], (2001, "Avery"))
    emu = bot.emu
    marlowe = responder(emu)
    first = "My partner got hurt last night."
    code = open_request(marlowe, first)
    card = avery.group.wait_for(rf"Request {code}", timeout=WAIT)
    claim_card(avery, card, code)
    avery.private.say("Hi, I'm here.")
    marlowe.wait_for(r"^Avery: Hi, I'm here\.$", timeout=WAIT)

    coordinator.wait_for(rf"^Request {code} has been waiting", timeout=WAIT)  # its opening
    at, alerted = len(avery.private.inbox()), len(texts(coordinator))
    avery.private.command("/release family emergency")
    avery.private.wait_for(rf"^{code} is back in the queue; the coordinators have been told",
                           timeout=WAIT, after=at)
    told = coordinator.wait_for(rf"Request {code} is back in the queue", timeout=WAIT)
    # Nobody else is on call: not "/roster shows who is on call", but what to do instead.
    expected = (
        rf"Request {code} is back in the queue: Avery handed it back\. Reason: family "
        r"emergency\nIt was opened [\dhms]+ ago\. No other peer is on call right now, so "
        r"there is nobody on call to ask\. The responder has been sent the crisis line\.\n\n"
        r"What you can do: ask a peer directly to claim it from its card in the peer group, or "
        r"to go on call with /oncall, so that they are told of requests\. If you are a peer "
        r"too, claim it yourself from there, or go on call with /oncall\.")
    assert re.fullmatch(expected, told["text"]), told["text"]
    marlowe.wait_for(r"^Avery had to step away, so we are finding another peer for you",
                     timeout=WAIT)
    # One alert for one event: not also the ladder's "has been waiting" with the same news.
    quiet()
    assert [t for t in texts(coordinator)[alerted:] if code in t] == [told["text"]]

    assert_card_reposted(avery, code, card, 2)
    _assert_private(_sent(emu, COORDINATORS[0]), "Marlowe", "marlowe_r", str(marlowe.id), first)

    # Avery's messages no longer go to the responder.
    at = len(avery.private.inbox())
    avery.private.say("Still there?")
    avery.private.wait_for(r"no open conversation", timeout=WAIT, after=at)

    # Another peer can pick it up from the new card.
    blake = register(peer(emu, 2002, "Blake"))
    blake.group.press(r"^Claim$")
    blake.private.wait_for(rf"You have claimed {code}", timeout=WAIT)
    marlowe.wait_for(r"^Blake from the Peer Support Team has joined\.$", timeout=WAIT)


def test_the_next_peer_is_not_shown_the_previous_peers_words_as_their_own(
        start_bot: StartBot) -> None:
    bot = start_bot()
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    marlowe = responder(emu)
    code = open_request(marlowe, "First words.")
    claim_card(avery, avery.group.wait_for(rf"Request {code}", timeout=WAIT), code)
    avery.private.say("Hi, I'm here.")
    marlowe.wait_for(r"^Avery: Hi, I'm here\.$", timeout=WAIT)
    at = len(avery.private.inbox())
    avery.private.command("/release")
    avery.private.wait_for(rf"^{code} is back in the queue", timeout=WAIT, after=at)

    blake = register(peer(emu, 2002, "Blake"))
    at = len(blake.private.inbox())
    blake.group.press(r"^Claim$")
    blake.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT, after=at)
    briefing = texts(blake.private)[at:]
    assert f"{code}: First words." in briefing
    assert "Blake: Hi, I'm here." not in briefing, briefing
    assert "Avery: Hi, I'm here." in briefing, briefing  # signed by who wrote it


def test_a_quiet_conversation_is_closed_kindly(start_bot: StartBot) -> None:
    bot = start_bot(INACTIVITY_HOURS="0.002")  # 7.2 s
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))
    marlowe = responder(emu)
    code = open_request(marlowe, "Can we talk for a minute?")
    card = avery.group.wait_for(rf"Request {code}", timeout=WAIT)
    claim_card(avery, card, code)

    # One exchange; the peer has written, so the silent-peer timer has nothing to do.
    avery.private.say("Of course. What's on your mind?")
    marlowe.wait_for(r"^Avery: Of course\. What's on your mind\?$", timeout=WAIT)
    at = len(avery.private.inbox())
    marlowe.say("Just a long week.")
    avery.private.wait_for(rf"^{code}: Just a long week\.$", timeout=WAIT, after=at)
    last = _first_time(emu, avery.id, rf"^{code}: Just a long week")

    checkin = marlowe.wait_for(r"It has been quiet here for a while", timeout=12)
    assert labels(checkin) == ["1", "2", "3", "4", "5", "Skip"]
    closed_after = (_first_time(emu, marlowe.id, r"It has been quiet here") - last) / 1000
    assert 5.5 <= closed_after <= 9.5, closed_after
    avery.private.wait_for(rf"Conversation {code} was closed after a long silence",
                           timeout=WAIT)
    avery.group.wait_for(r"Conversation closed\.$", timeout=WAIT)
    assert count_matching(avery.private, r"Reminder|went back to the queue") == 0

    # Closed means closed: the responder's next words go nowhere.
    at = len(marlowe.inbox())
    marlowe.say("Hello?")
    marlowe.wait_for(r"hasn't been sent to anyone", timeout=WAIT, after=at)


# --- The roster -----------------------------------------------------------------------------


def test_on_call_ends_by_itself_after_a_reminder(start_bot: StartBot) -> None:
    bot = start_bot()
    emu = bot.emu
    avery = register(peer(emu, 2001, "Avery"))  # lets the period run out
    blake = register(peer(emu, 2002, "Blake"))  # extends it
    started = go_on_call(avery, "8s")
    assert "(8s)" in started["text"]
    go_on_call(blake, "8s")
    began = _first_time(emu, avery.id, r"You are on call until")

    reminder = avery.private.wait_for(OFF_CALL_REMINDER, timeout=WAIT)
    assert labels(reminder) == ["Stay on call 12 more hours"]
    blake.private.wait_for(OFF_CALL_REMINDER, timeout=WAIT)
    at = len(blake.private.inbox())
    blake.private.press(r"^Stay on call")
    extended = blake.private.wait_for(r"You are on call until", timeout=WAIT, after=at)
    assert "(12h)" in extended["text"]

    avery.private.wait_for(r"you are off call now", timeout=WAIT)
    reminded = _first_time(emu, avery.id, OFF_CALL_REMINDER)
    ended = _first_time(emu, avery.id, r"you are off call now")
    assert 1.0 <= (ended - reminded) / 1000 <= 3.0  # the lead: a quarter of 8 s
    assert 6.5 <= (ended - began) / 1000 <= 9.5
    quiet()
    assert count_matching(blake.private, r"off call now") == 0

    # A request now reaches Blake, still on call, and not Avery.
    avery_before = texts(avery.private)
    marlowe = responder(emu)
    code = open_request(marlowe, "Anyone free?")
    acknowledgement = marlowe.wait_for(rf"Your request {code}", timeout=WAIT)
    assert NOBODY_ON_CALL not in acknowledgement["text"]
    blake.private.wait_for(rf"{re.escape(NOTICE)}.*Request {code}", timeout=WAIT)

    # Once Blake goes off call too, nobody is, and the responder is told so.
    at = len(blake.private.inbox())
    blake.private.command("/offcall")
    blake.private.wait_for(r"^You are off call\.", timeout=WAIT, after=at)
    blake_before = texts(blake.private)
    harlan = responder(emu, RESPONDER_IDS[1], "Harlan", "harlan_r")
    code2 = open_request(harlan, "Is anybody there?")
    acknowledgement = harlan.wait_for(rf"Your request {code2}", timeout=WAIT)
    assert NOBODY_ON_CALL in acknowledgement["text"]
    quiet()
    assert texts(avery.private) == avery_before
    assert texts(blake.private) == blake_before
