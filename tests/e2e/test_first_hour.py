"""The first hour of a new team, tried as its people would, against the real bot process: a
coordinator's /start, a peer on call for a day, a request nobody claims climbing a ladder of
seconds to the backup chat (told whom to contact), and the responder's taps answered in
messages that stay."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from .harness import (
    OUTSIDER_IDS,
    WAIT,
    StartBot,
    answers,
    claim,
    coordinator_user,
    go_on_call,
    labels,
    open_request,
    peer,
    quiet,
    register,
    responder,
    sent_to,
    shown_text,
    wait_until,
)

BACKUP = -2002
CONTACT = "the duty supervisor, 555-0100"
CASEY = OUTSIDER_IDS[-1]  # a coordinator who is not in the peer group
JO = 4001  # a coordinator who is in the peer group


def _day(moment: datetime) -> str:
    """"Saturday, January 16": how the bot writes a day in English."""
    return f"{moment:%A}, {moment:%B} {moment.day}"


def test_the_first_hour_of_a_new_team(start_bot: StartBot) -> None:
    bot = start_bot(COORDINATOR_IDS=f"{CASEY},{JO}", ESCALATION_SCHEDULE="2s,4s,6s",
                    BACKUP_CHAT_ID=str(BACKUP), BACKUP_CONTACT=CONTACT)
    emu = bot.emu

    # A coordinator's /start: greeted as a coordinator, with their alerts and commands, and
    # still a way to ask for support themselves.
    casey = coordinator_user(emu, CASEY, "Casey")
    casey.command("/start")
    greeting = casey.wait_for(r"^Welcome: you are a coordinator of the Peer Support Team\.",
                              timeout=WAIT)
    for shown in ("no peer on call can be told", "climbs the escalation ladder",
                  "flagged high risk", "/roster", "/stats", "/peers", "/removepeer", "/export",
                  "/audit", "If you need support yourself, tap Talk to a peer below"):
        assert shown in greeting["text"], shown
    assert "registered as a peer" not in greeting["text"]
    assert labels(greeting) == ["Talk to a peer", "Resources"]

    # A coordinator who is in the peer group is registered as a peer, and told both.
    jo = coordinator_user(emu, JO, "Jo")
    jo.command("/start")
    both = jo.wait_for(r"^Welcome, Jo: you are registered as a peer", timeout=WAIT)
    assert "You are also a coordinator of the Peer Support Team." in both["text"]

    # A peer on call for a day is told the day it ends, not just a time.
    avery = register(peer(emu, 2001, "Avery"))
    before = datetime.now(UTC) + timedelta(days=1)
    told = go_on_call(avery, "1d")["text"]
    after = datetime.now(UTC) + timedelta(days=1)
    assert re.match(rf"You are on call until ({_day(before)}|{_day(after)}) at "
                    r"\d{2}:\d{2} UTC \(1d\): ", told), told

    # A request nobody claims: step 1, "Keep waiting" answered in a message that stays.
    marlowe = responder(emu)
    first = "I keep replaying the call from Tuesday night."
    code = open_request(marlowe, first)
    update = marlowe.wait_for(rf"We are still finding a peer for you \({code}\)", timeout=WAIT)
    at = len(marlowe.inbox())
    marlowe.press(r"^Keep waiting$")
    kept = marlowe.wait_for(rf"^We'll keep looking for a peer for you \({code}\)\.",
                            timeout=WAIT, after=at)
    assert kept["message_id"] != update["message_id"]

    # Steps 2 and 3: the coordinators are told why and what they can do; the backup chat whom
    # to contact.
    wait_until(lambda: len(emu.bot_messages(BACKUP)) == 1, "the backup chat to be told")
    [backup] = emu.bot_messages(BACKUP)
    assert backup["text"].startswith(f"Request {code} has been waiting ")
    assert backup["text"].endswith(f"Please contact: {CONTACT}\nMention the request code "
                                   f"{code}.")
    for coordinator in (casey, jo):
        wait_until(lambda c=coordinator: sum(code in m["text"] for m in c.inbox()) == 2,
                   "two alerts to each coordinator")
        step2, step3 = [m["text"] for m in coordinator.inbox() if code in m["text"]]
        assert "Why this alert: it reached step 2 of 3 of the escalation ladder." in step2
        assert ("Why this alert: it reached the last step of the escalation ladder (3 of 3), "
                "and the backup chat has been asked to help too.") in step3
        for alert in (step2, step3):
            assert "What you can do: /roster shows who is on call" in alert
    outside = sent_to(emu, BACKUP) + sent_to(emu, CASEY) + sent_to(emu, JO)
    for secret in ("Marlowe", "marlowe_r", str(marlowe.id), first, "Tuesday night"):
        assert secret not in shown_text(outside), secret

    # Avery claims, talks, closes; the responder's rating is thanked in a message.
    claim(avery, code)
    avery.private.say("Hi, I'm Avery. I'm here.")
    marlowe.wait_for(r"^Avery: Hi, I'm Avery\. I'm here\.$", timeout=WAIT)
    avery.private.command("/close")
    marlowe.wait_for(r"^Avery has closed this conversation", timeout=WAIT)
    at, answered = len(marlowe.inbox()), len(answers(emu))
    marlowe.press(r"^5$")
    marlowe.wait_for(r"^Thank you\. Your answer is anonymous\.$", timeout=WAIT, after=at)
    wait_until(lambda: len(answers(emu)) > answered, "the tap to be answered")
    assert answers(emu)[answered:] == [""]  # no pop-up that vanishes


def test_a_crash_between_the_high_risk_mark_and_the_alert_still_alerts_once(
        start_bot: StartBot) -> None:
    """The process dies (PEER_SUPPORT_FAULT=after-risk-mark) just after a responder's message
    marked their request high risk, before anyone was told: at the next start the message is
    handled again, and the coordinator gets the URGENT alert, and the responder the crisis
    line, exactly once."""
    bot = start_bot(COORDINATOR_IDS=str(CASEY))
    emu = bot.emu
    casey = coordinator_user(emu, CASEY, "Casey")
    casey.command("/start")  # (Telegram delivers nothing to someone who never started it)
    casey.wait_for(r"^Welcome: you are a coordinator", timeout=WAIT)
    register(peer(emu, 2001, "Avery"), on_call=True)
    marlowe = responder(emu)
    code = open_request(marlowe, "Long week, a hard call on Tuesday.")
    settings = dict(bot.extra_env)
    bot.stop()
    bot.extra_env = {**settings, "PEER_SUPPORT_FAULT": "after-risk-mark"}
    bot.start()
    marlowe.say("I can't do this anymore, I want to end it")
    assert bot.process is not None and bot.process.wait(WAIT) == 70  # died at the point
    assert bot.db_count("requests WHERE high_risk = 1 AND risk_alerted = 0") == 1
    assert not [m for m in casey.inbox() if code in m["text"]]
    bot.stop()
    bot.extra_env = settings
    bot.start()
    casey.wait_for(rf"^URGENT: request {code} may involve a risk of harm", timeout=WAIT)
    marlowe.wait_for(r"^Thank you for telling us\.", timeout=WAIT)
    quiet()
    assert sum(m["text"].startswith(f"URGENT: request {code}") for m in casey.inbox()) == 1
    assert sum(m["text"].startswith("Thank you for telling us.")
               for m in marlowe.inbox()) == 1
    assert bot.db_count("requests WHERE high_risk = 1 AND risk_alerted = 1") == 1
