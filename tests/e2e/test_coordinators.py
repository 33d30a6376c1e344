"""The coordinators' tools as people meet them: /stats (and its chart), /export, /roster,
/peers, /removepeer and /audit in a coordinator's private chat, and the one-line refusal that
everybody else gets. Requests are made the way responders make them, claimed and closed by
peers, and left to climb the escalation ladder with the real clock."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from .harness import (
    CODE,
    RESPONDER_IDS,
    WAIT,
    Emulator,
    Peer,
    StartBot,
    User,
    answers,
    ask,
    assert_card_reposted,
    callback_data,
    calls,
    claim_card,
    coordinator_user,
    forge_press,
    go_on_call,
    labels,
    message_by_id,
    open_request,
    peer,
    quiet,
    register,
    responder,
    sent_to,
    shown_text,
    texts,
    wait_for_answer,
    wait_until,
)

# Ids no other e2e file uses: responders must be ones the emulator reports as outside the peer
# group (RESPONDER_IDS); peers and the coordinator are members.
RESPONDERS = tuple(range(918273661, 918273681))
assert set(RESPONDERS) <= set(RESPONDER_IDS)
COORDINATOR = 7101
REFUSAL = "This command is for coordinators."
COORDINATOR_COMMANDS = ("/stats", "/stats all", "/stats chart", "/stats chart 7d", "/export",
                        "/export 7d", "/roster", "/peers", "/removepeer SOMEONE", "/audit")
PNG_SIGNATURE = "89504e470d0a1a0a"
CSV_HEADER = ("date,opened,claimed,closed,still_open,unanswered_after_last_step,"
              "median_minutes_to_claim,ratings,mean_rating\n")
HIDDEN = "not shown (a small number here could single out a request)"


# --- Helpers --------------------------------------------------------------------------------


def _uploads(emu: Emulator) -> list[dict[str, Any]]:
    return [c for c in calls(emu) if c["method"] in ("sendPhoto", "sendDocument")]


def _coordinator(emu: Emulator) -> User:
    return coordinator_user(emu, COORDINATOR, "Casey", username="casey_coord")


def _card(person: Peer, code: str) -> dict[str, Any]:
    """The newest card of `code` in the peer group that still has its Claim button."""
    def newest() -> dict[str, Any] | None:
        found = [m for m in person.group.inbox()
                 if (m["text"] or "").startswith(f"Request {code}") and "Claim" in labels(m)]
        return found[-1] if found else None
    wait_until(lambda: newest() is not None, f"a card with Claim for {code}")
    card = newest()
    assert card is not None
    return card


def _claim(person: Peer, code: str) -> None:
    """Press Claim on the card of `code` and wait until the peer is briefed."""
    claim_card(person, _card(person, code), code)


def _close(person: Peer, code: str) -> None:
    at = len(person.private.inbox())
    person.private.command(f"/close {code}")
    person.private.wait_for(rf"Conversation {code} is closed", timeout=WAIT, after=at)


def _rate(emu: Emulator, person: User, alias: str, rating: int) -> None:
    """The responder, told the peer closed the conversation, taps a rating."""
    person.wait_for(rf"^{alias} has closed this conversation", timeout=WAIT)
    at = len(person.inbox())
    person.press(rf"^{rating}$")
    person.wait_for(r"^Thank you\. Your answer is anonymous", timeout=WAIT, after=at)


def _on_call(person: Peer, duration: str = "8h") -> str:
    """/oncall DURATION; the time of day the peer is told they are on call until ("18:03 UTC",
    after the weekday and date when that is not today)."""
    told = go_on_call(person, duration)
    found = re.search(r"until (?:[^()]+ at )?(\d{2}:\d{2} [^ (]+) \(", told["text"])
    assert found is not None, told["text"]
    return found.group(1)


def _stats(coordinator: User, command: str = "/stats") -> list[str]:
    text = ask(coordinator, command, r"^Peer Support statistics")["text"]
    assert re.search(CODE, text) is None, text
    return text.splitlines()


def _assert_nothing_of(entries: list[dict[str, Any]], *secrets: str) -> None:
    shown = shown_text(entries)
    for secret in secrets:
        assert secret not in shown, f"{secret!r} reached the coordinator: {shown}"


# --- /stats ---------------------------------------------------------------------------------


def test_stats_count_requests_in_every_state_and_blur_small_numbers(
        start_bot: StartBot) -> None:
    # Nobody is on call while the first seven requests come in, so each alerts the coordinator
    # at once (step 2, which counts as steps 1 and 2); only the unclaimed one goes on to step 3
    # (9 s). The eighth comes when a peer is on call and is claimed between steps 1 and 2.
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR), ESCALATION_SCHEDULE="3s,6s,9s")
    emu = bot.emu
    avery = register(peer(emu, 2201, "Avery"))
    blake = register(peer(emu, 2202, "Blake"))
    cleo = register(peer(emu, 2203, "Cleo"))
    coordinator = _coordinator(emu)
    people = [responder(emu, RESPONDERS[i], name, f"{name.lower()}_r") for i, name in
              enumerate(("Thaddeus", "Philippa", "Ignatius", "Rosalind", "Cornelius",
                         "Evangeline", "Bartholomew", "Octavia"))]
    words = ["The smoke from the warehouse job is still in my lungs.",
             "Third overdose on the same block this month.",
             "My captain keeps asking if I'm fine.",
             "The kid from the pileup won't leave my head.",
             "I snapped at my wife again after shift.",
             "Nights are getting to me, I don't sleep.",
             "I froze on a call and nobody noticed.",
             "Can someone call me back this afternoon?"]

    # The one nobody claims (the only EMS request).
    waiting = people[0]
    unclaimed = open_request(waiting, words[0], discipline="EMS")
    # Six Fire requests, each claimed at once; five closed and rated 5, 4, 4, 5, 3.
    for index, (person, first) in enumerate(zip(people[1:7], words[1:7], strict=True)):
        code = open_request(person, first, discipline="Fire")
        helper = avery if index % 2 == 0 else blake
        _claim(helper, code)
        if index < 5:
            _close(helper, code)
            _rate(emu, person, helper.alias, (5, 4, 4, 5, 3)[index])

    # Blake goes on call; the eighth request climbs to step 1 (re-posted, its responder told)
    # and Cleo claims it then, before step 2.
    _on_call(blake)
    late = people[7]
    code = open_request(late, words[7], discipline="Fire")
    late.wait_for(r"We are still finding a peer for you", timeout=WAIT)
    _claim(cleo, code)
    assert not any(code in t for t in texts(coordinator)), "step 2 came before the claim"

    # The unclaimed request passes the last step: the coordinator hears of it a second time,
    # and its responder gets the calm update.
    wait_until(lambda: sum(unclaimed in t for t in texts(coordinator)) == 2,
               "the last escalation step of the unclaimed request", timeout=15)
    waiting.wait_for(r"We are still finding a peer for you", timeout=WAIT)

    lines = _stats(coordinator)
    assert lines[0] == "Peer Support statistics, last 30 days"
    expected = [
        "Requests opened: 8",
        "Claimed by a peer: 7",
        "Closed: 5",
        "Still open: <5",  # two claimed, one waiting
        "Unanswered after the last escalation step: <5",
        "Escalations reached: step 1: 8 · step 2: 7 · step 3: <5",
        "How soon: Now 0 · Today 8 · This week 0 · not given 0",  # no small category
        f"Field: {HIDDEN}",  # EMS would be 1 of 8
        "Feedback: 5 ratings, mean 4.2 of 5",
        "Peers on call now: <5",
        "Peers who helped: <5",  # three
    ]
    for line in expected:
        assert line in lines, (line, lines)
    time_line = next(line for line in lines if line.startswith("Time to claim:"))
    assert re.fullmatch(r"Time to claim: median \d{1,2}s, 90th percentile \d{1,2}s",
                        time_line), time_line
    # The same requests whatever the period; an unknown period gets the usage.
    assert _stats(coordinator, "/stats all")[2:] == lines[2:]
    assert _stats(coordinator, "/stats 7d")[2:] == lines[2:]
    usage = ask(coordinator, "/stats fortnight")["text"]
    assert usage.startswith("Use /stats for the last 30 days")

    # Nothing of any responder (name, username, id, words) ever reached the coordinator's
    # chat, alerts included; the /stats answers carry no request code either (checked above).
    secrets = [w for p in people for w in (p.first_name, p.username, str(p.id))]
    _assert_nothing_of(sent_to(emu, COORDINATOR), *secrets, *words, *(w[:20] for w in words))


def test_stats_with_fewer_than_five_requests(start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    emu = bot.emu
    avery = register(peer(emu, 2204, "Avery"))
    coordinator = _coordinator(emu)
    people = [responder(emu, RESPONDERS[8 + i], name, f"{name.lower()}_r")
              for i, name in enumerate(("Leopold", "Henrietta", "Archibald", "Millicent"))]
    words = ["Rough night with the rollover on the interstate.", "Just want to talk, no rush.",
             "The flood rescue went badly.", "I can't stop thinking about the fire."]
    # Four requests, four claimed (one short of showing the time to claim), one closed.
    for index, (person, first) in enumerate(zip(people, words, strict=True)):
        code = open_request(person, first, discipline=None if index == 1 else "Fire")
        _claim(avery, code)
        if index == 0:
            _close(avery, code)

    lines = _stats(coordinator)
    expected = [
        "Requests opened: <5",
        "Claimed by a peer: <5",
        "Closed: <5",
        "Still open: <5",
        "Unanswered after the last escalation step: 0",
        "Time to claim: not shown (fewer than 5 claimed requests)",
        # Nobody on call: each went straight to the coordinators (steps 1 and 2).
        "Escalations reached: step 1: <5 · step 2: <5 · step 3: 0",
        # Fewer than 5 in all: nothing can be subtracted, so the breakdown is shown, blurred.
        "Field: Police 0 · Fire <5 · EMS 0 · Dispatch 0 · Corrections 0 · Other 0 · "
        "not given <5",
        "Feedback: 0 ratings (the mean is shown from 5 ratings)",
        "Peers on call now: 0",
        "Peers who helped: <5",
    ]
    for line in expected:
        assert line in lines, (line, lines)
    secrets = [w for p in people for w in (p.first_name, p.username, str(p.id))]
    _assert_nothing_of(sent_to(emu, COORDINATOR), *secrets, *words, "rollover", "no rush")


# --- The refusal ----------------------------------------------------------------------------


def test_peers_and_responders_are_refused_every_coordinator_command(
        start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    emu = bot.emu
    avery = register(peer(emu, 2211, "Avery"))
    marlowe = responder(emu, RESPONDERS[12], "Marlowe", "marlowe_r")
    code = open_request(marlowe, "Can I talk to someone about yesterday?")
    _claim(avery, code)  # the refusal holds in a live conversation too
    marlowe.wait_for(r"^Avery from the Peer Support Team has joined\.$", timeout=WAIT)

    for person in (avery.private, marlowe):
        for command in (*COORDINATOR_COMMANDS, "/removepeer Avery"):
            answer = ask(person, command)
            assert answer["text"] == REFUSAL, (person.id, command, answer)
            assert answer.get("file") is None
            assert labels(answer) == []
    quiet()
    refused = 2 * (len(COORDINATOR_COMMANDS) + 1)
    assert texts(avery.private).count(REFUSAL) + texts(marlowe).count(REFUSAL) == refused
    # Nothing else came: no photo, no document, not to them nor to anyone.
    for person in (avery.private, marlowe):
        assert not [m for m in person.inbox() if m.get("file")], person.id
        assert sent_to(emu, person.chat_id, "sendPhoto") == []
        assert sent_to(emu, person.chat_id, "sendDocument") == []
    assert _uploads(emu) == []
    # The commands were not relayed as words, and "/removepeer Avery" removed nobody: the
    # conversation goes on.
    assert not any(t.startswith(f"{code}: /") for t in texts(avery.private))
    assert not any(t.startswith("Avery: /") for t in texts(marlowe))
    at = len(marlowe.inbox())
    avery.private.say("Still with you.")
    marlowe.wait_for(r"^Avery: Still with you\.$", timeout=WAIT, after=at)


# --- /stats chart and /export ---------------------------------------------------------------


def test_stats_chart_is_a_png_for_the_coordinator_only(start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    emu = bot.emu
    avery = register(peer(emu, 2221, "Avery"))
    coordinator = _coordinator(emu)
    ansel = responder(emu, RESPONDERS[13], "Anselm", "anselm_r")
    code = open_request(ansel, "Tough call at the lake today.")
    _claim(avery, code)
    open_request(responder(emu, RESPONDERS[14], "Ottoline", "ottoline_r"), "Bad week.")

    photo = ask(coordinator, "/stats chart 7d", r"^\[photo\]")
    caption = "Requests per day and median time to claim, last 7 days."
    assert photo["text"] == f"[photo] {caption}"
    upload = photo["file"]
    assert upload["head"].startswith(PNG_SIGNATURE), upload
    assert upload["head"][16:32] == "0000000d49484452", upload  # the IHDR chunk comes first
    assert upload["name"].endswith(".png"), upload
    assert 20_000 <= upload["size"] <= 1_000_000, upload
    sent = sent_to(emu, COORDINATOR, "sendPhoto")
    assert len(sent) == 1 and sent[0]["caption"] == caption and "\n" not in caption

    everything = ask(coordinator, "/stats chart all", r"^\[photo\]")
    assert everything["text"] == ("[photo] Requests per day and median time to claim, since "
                                  "the start.")
    assert everything["file"]["head"].startswith(PNG_SIGNATURE)
    assert 20_000 <= everything["file"]["size"] <= 1_000_000

    # It reached nobody else: every photo the bot sent went to the coordinator.
    quiet()
    assert [str(c["chat_id"]) for c in _uploads(emu)] == [str(COORDINATOR)] * 2
    for person in (avery.private, avery.group, ansel):
        assert not [m for m in person.inbox() if m.get("file")]
    assert re.search(CODE, shown_text(_uploads(emu))) is None


def _csv_sizes(rows: list[str], today_row: Callable[[str], str],
               medians: tuple[str, ...] = ("0", "0.1")) -> set[int]:
    """The byte sizes the export can have: the header, the given rows, and today's row with
    any of the medians it can show (the time to claim is a second or two, rounded)."""
    fixed = len(CSV_HEADER) + sum(len(row) for row in rows)
    return {fixed + len(today_row(median).encode()) for median in medians}


def test_export_is_a_csv_of_daily_rows(start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    emu = bot.emu
    avery = register(peer(emu, 2231, "Avery"))
    coordinator = _coordinator(emu)
    rhea = responder(emu, RESPONDERS[15], "Rhiannon", "rhiannon_r")
    code = open_request(rhea, "The fire at the school keeps coming back to me.")
    _claim(avery, code)
    _close(avery, code)
    _rate(emu, rhea, "Avery", 4)
    open_request(responder(emu, RESPONDERS[16], "Sylvester", "sylvester_r"), "Long week.")

    lines = _stats(coordinator, "/stats all")
    assert {"Requests opened: <5", "Claimed by a peer: <5", "Closed: <5",
            "Still open: <5"} <= set(lines), lines

    document = ask(coordinator, "/export all", r"^\[document ")
    upload = document["file"]
    named = re.fullmatch(r"peer-support-daily-(\d{4}-\d{2}-\d{2})\.csv", upload["name"])
    assert named is not None, upload
    today = datetime.now(UTC).date()  # TIMEZONE is UTC by default
    assert named.group(1) == today.isoformat()
    assert document["text"] == (f"[document {upload['name']}] Daily figures, since the start: "
                                "one row per day, no codes or identities.")
    assert upload["head"] == CSV_HEADER.encode()[:16].hex(), upload  # "date,opened,clai"
    # The emulator keeps only the first 16 bytes: the size says the rest. Since the start is
    # one row, today: 2 opened, 1 claimed, 1 closed, 1 still open, none unanswered, a median
    # time to claim, 1 rating, mean 4.00.
    assert upload["size"] in _csv_sizes(
        [], lambda m: f"{today.isoformat()},2,1,1,1,0,{m},1,4.00\n"), upload

    week = ask(coordinator, "/export 7d", r"^\[document ")["file"]
    assert week["name"] == upload["name"] and week["head"] == upload["head"]
    empty_days = [f"{(today - timedelta(days=n)).isoformat()},0,0,0,0,0,,0,\n"
                  for n in range(7, 0, -1)]
    # Seven quiet days (no median, no mean) then today's row: eight rows.
    assert week["size"] in _csv_sizes(
        empty_days, lambda m: f"{today.isoformat()},2,1,1,1,0,{m},1,4.00\n"), week

    quiet()
    assert [(c["method"], str(c["chat_id"])) for c in _uploads(emu)] == \
        [("sendDocument", str(COORDINATOR))] * 2
    assert re.search(CODE, shown_text(_uploads(emu))) is None


# --- /roster and /peers ---------------------------------------------------------------------


def test_roster_and_peers(start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR), AGENCIES="Metro PD,County Fire")
    emu = bot.emu
    avery = register(peer(emu, 2241, "Avery"))
    blake = register(peer(emu, 2242, "Blake"))
    coordinator = _coordinator(emu)
    ask(avery.private, "/agency Metro PD", r"Your agency is now Metro PD\.")
    until = _on_call(avery, "8h")
    marlowe = responder(emu, RESPONDERS[17], "Montgomery", "montgomery_r")
    first = "I need to talk about the call on Elm Street."
    code = open_request(marlowe, first)
    _claim(blake, code)  # Blake, not on call, holds the conversation

    roster = ask(coordinator, "/roster", r"^On call now")["text"]
    assert re.fullmatch(
        rf"On call now \(1\):\n• Avery, until \d{{1,2}} \w{{3}} {re.escape(until)}: "
        r"0 open conversations\n\nHolding conversations, not on call:\n"
        r"• Blake: 1 open conversation", roster), roster
    ends = datetime.now(UTC) + timedelta(hours=8)
    assert f"until {ends.day} {ends.strftime('%b')} {until}" in roster, roster

    listing = ask(coordinator, "/peers", r"^Registered peer")["text"]
    assert re.fullmatch(
        r"Registered peers \(2\):\n"
        r"• Avery · agency: Metro PD · last active \d{1,2} \w{3} \d{2}:\d{2} UTC\n"
        r"• Blake · agency: not given · last active \d{1,2} \w{3} \d{2}:\d{2} UTC", listing), \
        listing

    # When Blake goes on call too, the roster says so.
    _on_call(blake, "2h")
    roster = ask(coordinator, "/roster", r"^On call now")["text"]
    assert roster.startswith("On call now (2):\n• Avery, until"), roster
    assert re.search(r"\n• Blake, until [^\n]+: 1 open conversation$", roster), roster
    assert "Holding conversations" not in roster
    for shown in (roster, listing):
        assert re.search(CODE, shown) is None
    _assert_nothing_of(sent_to(emu, COORDINATOR), "Montgomery", "montgomery_r", str(marlowe.id),
                       first, "Elm Street")


# --- /removepeer and /audit -----------------------------------------------------------------


def test_removepeer_requeues_their_conversation_and_audit_shows_it(
        start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=str(COORDINATOR))
    emu = bot.emu
    avery = register(peer(emu, 2251, "Avery"))
    blake = register(peer(emu, 2252, "Blake"))
    coordinator = _coordinator(emu)
    marlowe = responder(emu, RESPONDERS[18], "Peregrine", "peregrine_r")
    first = "We lost a patient on the bridge and I keep replaying it."
    code = open_request(marlowe, first)
    original = _card(avery, code)
    _claim(avery, code)
    marlowe.wait_for(r"^Avery from the Peer Support Team has joined\.$", timeout=WAIT)
    avery.private.say("I'm here. Take your time.")
    marlowe.wait_for(r"^Avery: I'm here\. Take your time\.$", timeout=WAIT)
    marlowe_says = "It was the third one this year."
    marlowe.say(marlowe_says)
    avery.private.wait_for(rf"^{code}: {re.escape(marlowe_says)}$", timeout=WAIT)
    _on_call(blake)

    cards_before = len(avery.group.inbox())
    done = ask(coordinator, "/removepeer Avery", r"no longer a peer")
    assert done["text"] == (
        "Avery is no longer a peer: they get no new requests and cannot claim any. "
        "Conversations they held that went back to the queue: 1. Remove them from the peer "
        "group in Telegram too.")

    # The conversation is back in the queue: a new card with Claim, the old one says so.
    new_card = assert_card_reposted(avery, code, original, cards_before + 1)
    marlowe.wait_for(r"^Avery had to step away, so we are finding another peer for you",
                     timeout=WAIT)
    blake.private.wait_for(rf"A new request is waiting, and you are on call\..*{code}",
                           timeout=WAIT)
    # Blake is on call: the coordinator is pointed to /roster to find them.
    told = coordinator.wait_for(rf"^Request {code} is back in the queue", timeout=WAIT)
    assert told["text"].endswith("What you can do: /roster shows who is on call, so you can "
                                 "ask one of them to claim it."), told["text"]
    avery.private.wait_for(r"^A coordinator has ended your registration as a peer",
                           timeout=WAIT)

    # Avery can no longer claim it: the button says why, and nothing changes.
    avery_before = texts(avery.private)
    at = len(answers(emu))
    forge_press(emu, avery.group, callback_data(new_card, "Claim"),
                message_id=new_card["message_id"], text=new_card["text"])
    refusal = wait_for_answer(emu, r"coordinator", after=at)
    assert refusal.startswith("Your registration as a peer was ended by a coordinator")
    quiet()
    assert texts(avery.private) == avery_before
    assert labels(message_by_id(avery.group, new_card["message_id"])) == ["Claim"]
    assert sum("has joined" in t for t in texts(marlowe)) == 1  # Avery's, before
    greeting = ask(avery.private, "/start")["text"]
    assert greeting.startswith("Your registration as a peer was ended by a coordinator")

    # Blake can: the request really is in the queue.
    _claim(blake, code)
    marlowe.wait_for(r"^Blake from the Peer Support Team has joined\.$", timeout=WAIT)

    listing = ask(coordinator, "/peers", r"^Registered peer")["text"]
    assert listing.startswith("Registered peer (1):\n• Blake · agency: not given"), listing
    assert "Avery" not in listing
    unknown = ask(coordinator, "/removepeer Avery")["text"]
    assert unknown == "No registered peer is called Avery. /peers lists them."

    audit = ask(coordinator, "/audit", r"^The last \d+ entries of the audit log")["text"]
    lines = audit.splitlines()[1:]
    assert lines[0].endswith(" · coordinator · viewed /audit"), lines
    for wanted in (" · coordinator · removed a peer · Avery",
                   f" · Avery · claimed · {code}",
                   f" · Avery · released · {code}",
                   f" · Blake · claimed · {code}"):
        assert any(line.endswith(wanted) for line in lines), (wanted, lines)
    order = [line.split(" · ", 1)[1] for line in lines]
    assert order.index(f"Blake · claimed · {code}") < order.index(
        "coordinator · removed a peer · Avery") < order.index(f"Avery · claimed · {code}")
    for secret in ("Peregrine", "peregrine_r", str(marlowe.id), first, "bridge", marlowe_says,
                   "Take your time", str(avery.id), str(blake.id)):
        assert secret not in audit, secret
    _assert_nothing_of(sent_to(emu, COORDINATOR), "Peregrine", "peregrine_r", str(marlowe.id),
                       first, "bridge", marlowe_says, "Take your time")
