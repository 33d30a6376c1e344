"""Follow-up check-ins against the emulator, with FOLLOWUP_DELAYS of a few seconds: offered
when a conversation ends, chosen, sent once after a crash and a restart past its due time,
answered (I'm OK; Talk to a peer again opens a request marked follow-up), and cancelled by
/forget."""

from __future__ import annotations

import re
import time

from .harness import (
    WAIT,
    Peer,
    StartTeam,
    User,
    claim,
    count_matching,
    open_request,
    quiet,
    responder,
)

COORDINATOR = 7001
OFFER = r"check in on you later"
CHECKIN = r"checking in as you asked"


def _ended_and_chosen(marlowe: User, avery: Peer, label: str) -> None:
    """Marlowe talks with Avery, ends it with /end and chooses the check-in `label`."""
    code = open_request(marlowe, "It has been a long week.")
    claim(avery, code)
    at = len(marlowe.inbox())
    marlowe.command("/end")
    marlowe.wait_for(OFFER, timeout=WAIT, after=at)
    marlowe.press(rf"^{label}$")  # the offer turns into the answer (an edit)
    marlowe.wait_for(r"The bot will check in with you", timeout=WAIT, after=at)


def test_a_check_in_due_while_the_bot_was_down_is_sent_once_after_the_restart(
        start_team: StartTeam) -> None:
    team = start_team(COORDINATOR, (2001, "Avery"), on_call=True, FOLLOWUP_DELAYS="5s,1h")
    [avery] = team.peers
    marlowe = responder(team.bot.emu)
    _ended_and_chosen(marlowe, avery, "In 5 seconds")
    chosen_at = time.monotonic()
    team.bot.kill()
    assert count_matching(marlowe, CHECKIN) == 0, "killed too late: it was sent already"
    time.sleep(max(0.0, 7 - (time.monotonic() - chosen_at)))  # it fell due while down
    assert count_matching(marlowe, CHECKIN) == 0
    team.bot.start()
    marlowe.wait_for(CHECKIN, timeout=WAIT)
    quiet()
    time.sleep(1)
    assert count_matching(marlowe, CHECKIN) == 1

    at = len(marlowe.inbox())
    marlowe.press(r"^I'm OK$")
    marlowe.wait_for(r"Glad to hear it", timeout=WAIT, after=at)
    assert team.bot.db_count("checkins WHERE answer = 'ok' AND length(contact) = 0") == 1


def test_talk_to_a_peer_again_opens_a_request_marked_follow_up(start_team: StartTeam) -> None:
    team = start_team(COORDINATOR, (2001, "Avery"), on_call=True, FOLLOWUP_DELAYS="3s")
    [avery] = team.peers
    marlowe = responder(team.bot.emu)
    _ended_and_chosen(marlowe, avery, "In 3 seconds")
    marlowe.wait_for(CHECKIN, timeout=WAIT)

    at = len(marlowe.inbox())
    notices = len(avery.private.inbox())
    marlowe.press(r"^Talk to a peer again$")
    marlowe.wait_for(r"How soon", timeout=WAIT, after=at)
    marlowe.press(r"^Today$")
    marlowe.wait_for(r"thoughts of killing yourself", timeout=WAIT, after=at)
    marlowe.press(r"^No$")
    marlowe.wait_for(r"outside your own agency", timeout=WAIT, after=at)
    marlowe.press(r"^No matter$")
    marlowe.wait_for(r"Write whatever", timeout=WAIT, after=at)
    marlowe.say("Could we talk again?")
    opened = marlowe.wait_for(r"is with the Peer Support Team", timeout=WAIT, after=at)
    code = re.search(r"R-[2-9A-Z]{4}", opened["text"])
    assert code is not None
    # The previous peer, on call, is told first; the card says it is a follow-up.
    avery.private.wait_for(r"Follow-up: this person asked to talk again", timeout=WAIT,
                           after=notices)
    avery.group.wait_for(r"Follow-up: this person asked to talk again", timeout=WAIT)
    claim(avery, code.group(0))
    avery.private.wait_for(r"This is a follow-up", timeout=WAIT, after=notices)


def test_forget_cancels_a_chosen_check_in(start_team: StartTeam) -> None:
    team = start_team(COORDINATOR, (2001, "Avery"), on_call=True, FOLLOWUP_DELAYS="4s")
    [avery] = team.peers
    marlowe = responder(team.bot.emu)
    _ended_and_chosen(marlowe, avery, "In 4 seconds")
    assert team.bot.db_count("checkins") == 1
    at = len(marlowe.inbox())
    marlowe.command("/forget")
    marlowe.wait_for(r"cannot be undone", timeout=WAIT, after=at)
    marlowe.press(r"^Yes, delete everything$")
    marlowe.wait_for(r"has been deleted", timeout=WAIT, after=at)
    assert team.bot.db_count("checkins") == 0
    time.sleep(5)
    assert count_matching(marlowe, CHECKIN) == 0
