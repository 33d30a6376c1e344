"""Inline keyboards and the callback data they carry.

Callback data is short, carries no identity, and is parsed strictly: anything that does not
match one of these shapes is treated as a stale or forged button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from locales import Texts

URGENCIES = ("now", "today", "week")
SAFETY_ANSWERS = ("yes", "unsure", "no")  # the safety question; "unsure" is "Not sure"
DISCIPLINES = ("police", "fire", "ems", "dispatch", "corrections", "other")
TALK = "talk"
RESOURCES = "resources"
DIRECTORY = "resources:dir"  # straight to the clinician directory, as a new message
KEEP_WAITING = "wait"
EXTEND_ON_CALL = "oncall:extend"

_REQUEST_ID = r"[0-9a-f]{16}"
INTAKE_PATTERN = re.compile(rf"^in:({_REQUEST_ID}):(u|s|a|g|d):([a-z0-9]+)$")
CLAIM_PATTERN = re.compile(rf"^claim:({_REQUEST_ID})$")
FEEDBACK_PATTERN = re.compile(rf"^fb:({_REQUEST_ID}):([1-5]|skip)$")
# Ask for a debrief, after a high-risk conversation (bot/team/care.py).
DEBRIEF_PATTERN = re.compile(rf"^debrief:({_REQUEST_ID})$")
# A hand-over (/transfer, bot/requests/transfers.py): accept, decline or withdraw the offer of
# a request made at a time (a newer offer makes an older one's buttons stale).
TRANSFER_PATTERN = re.compile(rf"^xfer:(a|d|w):({_REQUEST_ID}):([0-9]{{1,12}})$")
# Follow-up check-ins (bot/requests/checkins.py): the offer at the end of a conversation
# (a delay in seconds, or "no") and the answers to a check-in (its random id).
CHECKIN_OFFER_PATTERN = re.compile(rf"^ci:({_REQUEST_ID}):([0-9]{{1,8}}|no)$")
CHECKIN_ANSWER_PATTERN = re.compile(r"^ck:([0-9a-f]{16}):(ok|talk|res)$")
# Send again: only a random token (storage/resends.py), nothing about the message.
AGAIN_PATTERN = re.compile(r"^again:([0-9a-f]{16})$")


@dataclass(frozen=True)
class IntakeChoice:
    request_id: str
    # u = urgency, s = the safety question, a = outside-agency preference, g = own agency,
    # d = discipline
    question: str
    answer: str


def parse_intake(data: str) -> IntakeChoice | None:
    match = INTAKE_PATTERN.match(data)
    return IntakeChoice(*match.groups()) if match else None


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def welcome(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts("btn_talk"), TALK)],
                                 [_button(texts("btn_resources"), RESOURCES)]])


def urgency(texts: Texts, request_id: str) -> InlineKeyboardMarkup:
    row = [_button(texts(f"btn_urgency_{u}"), f"in:{request_id}:u:{u}") for u in URGENCIES]
    return InlineKeyboardMarkup([row, [_button(texts("btn_skip"), f"in:{request_id}:u:skip")]])


def safety(texts: Texts, request_id: str) -> InlineKeyboardMarkup:
    row = [_button(texts(f"btn_safety_{a}"), f"in:{request_id}:s:{a}") for a in SAFETY_ANSWERS]
    return InlineKeyboardMarkup([row, [_button(texts("btn_skip"), f"in:{request_id}:s:skip")]])


def agency(texts: Texts, request_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [_button(texts("btn_agency_outside"), f"in:{request_id}:a:outside")],
        [_button(texts("btn_agency_any"), f"in:{request_id}:a:any"),
         _button(texts("btn_skip"), f"in:{request_id}:a:skip")],
    ])


def discipline(texts: Texts, request_id: str) -> InlineKeyboardMarkup:
    buttons = [_button(texts(f"discipline_{d}"), f"in:{request_id}:d:{d}") for d in DISCIPLINES]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def claim(texts: Texts, request_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts("btn_claim"), f"claim:{request_id}")]])


def feedback(request_id: str, texts: Texts) -> InlineKeyboardMarkup:
    stars = [_button(str(n), f"fb:{request_id}:{n}") for n in range(1, 6)]
    return InlineKeyboardMarkup([stars, [_button(texts("btn_skip"), f"fb:{request_id}:skip")]])


def own_agency(texts: Texts, request_id: str, agencies: tuple[str, ...],
               ) -> InlineKeyboardMarkup:
    """Agencies by their position in AGENCIES (names can be longer than callback data)."""
    buttons = [_button(name, f"in:{request_id}:g:{i}") for i, name in enumerate(agencies)]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup([*rows, [_button(texts("btn_skip"), f"in:{request_id}:g:skip")]])


def still_waiting(texts: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts("btn_clinicians"), DIRECTORY)],
                                 [_button(texts("btn_keep_waiting"), KEEP_WAITING)]])


def extend_on_call(texts: Texts, hours: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts("btn_extend_on_call", hours=hours),
                                          EXTEND_ON_CALL)]])


def debrief(texts: Texts, request_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(texts("btn_debrief"), f"debrief:{request_id}")]])


def parse_again(data: str) -> str | None:
    """The token of a Send again button, or None for anything else."""
    match = AGAIN_PATTERN.match(data)
    return match.group(1) if match else None


def send_again(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One Send again button a row: (label, token)."""
    return InlineKeyboardMarkup([[_button(label, f"again:{token}")] for label, token in buttons])


def transfer_offer(texts: Texts, request_id: str, offered_at: int) -> InlineKeyboardMarkup:
    """Accept or Decline, for the peer a conversation is offered to."""
    return InlineKeyboardMarkup([[
        _button(texts("btn_transfer_accept"), f"xfer:a:{request_id}:{offered_at}"),
        _button(texts("btn_transfer_decline"), f"xfer:d:{request_id}:{offered_at}")]])


def transfer_withdraw(texts: Texts, request_id: str, offered_at: int) -> InlineKeyboardMarkup:
    """Withdraw, for the peer who offered a conversation."""
    return InlineKeyboardMarkup([[_button(texts("btn_transfer_withdraw"),
                                          f"xfer:w:{request_id}:{offered_at}")]])


def checkin_offer(texts: Texts, request_id: str,
                  choices: list[tuple[str, int]]) -> InlineKeyboardMarkup:
    """One button per FOLLOWUP_DELAYS delay ((label, seconds)), then "No thanks"."""
    row = [_button(label, f"ci:{request_id}:{seconds}") for label, seconds in choices]
    return InlineKeyboardMarkup([row, [_button(texts("btn_checkin_no"), f"ci:{request_id}:no")]])


def checkin(texts: Texts, checkin_id: str) -> InlineKeyboardMarkup:
    """The check-in's answers: I'm OK, Talk to a peer again, Resources."""
    return InlineKeyboardMarkup([
        [_button(texts("btn_checkin_ok"), f"ck:{checkin_id}:ok")],
        [_button(texts("btn_checkin_talk"), f"ck:{checkin_id}:talk")],
        [_button(texts("btn_resources"), f"ck:{checkin_id}:res")]])
