"""Follow-up check-ins (opt-in): when a conversation ends, its responder may ask to be checked on.

When a conversation a peer held ends (the responder's /end, the peer's /close, the inactivity
close: bot/requests/closing.py), the responder gets one more message: when should the bot
check in with them? One button per FOLLOWUP_DELAYS delay ("In 24 hours", "In 3 days", ...)
and "No thanks". A choice keeps a row (storage/checkins.py) with only what the check-in needs:
the responder's blind index, their chat and language (sealed), the due time and the peer who
held the conversation (offered the follow-up first, as the offer says). Nothing of the
conversation itself (no code, no text, no answers). A check-in must be sent before its
conversation's retention end (RETENTION_DAYS after it ended): FOLLOWUP_DELAYS must be shorter
(bot/platform/settings.py), and a delay chosen so late that it would fall due after it is
refused with a short note (the offer stays while a sooner delay fits, then turns into
"too late").

When it falls due the bot writes a short, warm check-in with three buttons:
- **I'm OK**: a short warm reply; the buttons go.
- **Talk to a peer again**: "Talk to a peer", marked as a follow-up: the card (in the group and
  in every on-call notice) says so and the claiming peer is told. The peer who held the earlier
  conversation is offered it first: if they are on call (and not pausing after a high-risk
  conversation, nor of the responder's agency when they asked for an outside peer), they alone
  get the on-call notice at once, and the other on-call peers hear at the ladder's first step
  (ESCALATION_SCHEDULE), as peers who do not speak a responder's language do. The group card is
  there for everyone at once, as always; a request marked urgent, or one with "now", goes to
  everyone at once.
- **Resources**: the /resources answer (crisis lines first); the buttons stay.
A second press of I'm OK or Talk to a peer again, or a press on a check-in that is gone
(/forget, the retention purge), gets a short answer and changes nothing.

Sending is taken by one conditional UPDATE (`take`) before anything is sent, and the message is
queued under a send scope named after the check-in, so the timer, the sweep and several
instances send it once; a check-in that fell due while the bot was down is sent at start
(`sweep.rebuild`). One taken whose sending did not finish (the process died in between) is
sent by the sweep after UNFINISHED_SECONDS, under the same scope: what was queued is found,
not sent again. Once queued, its chat and language are emptied from the row.

/forget deletes a responder's check-ins, pending or sent; the retention purge those of the
conversations it purges once they are sent (storage/checkins.py). The audit log records
`checkin_offered`, `checkin_chosen` (the delay), `checkin_declined`, `checkin_sent` and
`checkin_answered` (ok, talk or resources: the first answer to each check-in only, so I'm OK
after Resources is not counted twice): actions, never text or the responder; /stats counts
them, answers by first answer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.platform import afterwards, keyboards
from bot.platform.outbox import send_scope
from bot.platform.replies import Answer, Reply
from bot.platform.services import Services
from bot.platform.timers import isolated
from bot.requests import intake
from locales import Texts
from storage.checkins import FIRST, Checkin
from storage.requests import Request, State
from storage.retention import DAY_SECONDS

_log = logging.getLogger(__name__)
WAKE_TIMER = "checkins"
UNFINISHED_SECONDS = 60  # a check-in taken this long ago and not yet queued is sent again
CHOSEN = "checkin_chosen"
SENT = "checkin_sent"
ANSWERED = "checkin_answered"
_KINDS = {"ok": "ok", "talk": "talk", "res": "resources"}


def delay_label(texts: Texts, seconds: float) -> str:
    """"in 3 days", "in 24 hours", "in 90 minutes", "in 30 seconds" in the reader's language."""
    whole = round(seconds)
    if whole % 86400 == 0 and whole >= 2 * 86400:
        return texts.plural("checkin_in_days", whole // 86400)
    if whole % 3600 == 0:
        return texts.plural("checkin_in_hours", whole // 3600)
    if whole % 60 == 0:
        return texts.plural("checkin_in_minutes", whole // 60)
    return texts.plural("checkin_in_seconds", whole)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _delays(services: Services) -> list[int]:
    return [round(d) for d in services.settings.followup_delays]


# ------------------------------------------------------------------ the offer


async def offer(services: Services, request: Request) -> None:
    """A conversation a peer held has just ended: ask its responder whether, and when, the bot
    should check in with them (after the closing message and its rating buttons)."""
    delays = _delays(services)
    if request.peer_id is None or not delays:
        return

    def keyboard(texts: Texts) -> InlineKeyboardMarkup:
        choices = [(_capitalized(delay_label(texts, d)), d) for d in delays]
        return keyboards.checkin_offer(texts, request.id, choices)

    await services.audit.record(services.clock(), "system", "checkin_offered",
                                request_id=request.id, request_code=request.code)
    await afterwards.later(_say(services, request.responder_chat_id,
                                Reply("checkin_offer", keyboard=keyboard),
                                f"request {request.code}: a check-in offer"))


async def _say(services: Services, chat_id: int, reply: Reply, what: str) -> None:
    await services.say(chat_id, reply, what=what)


async def choose(services: Services, user_id: int, data: str) -> tuple[Answer, Reply | None]:
    """A tap on the offer: a delay schedules the check-in, "No thanks" only says so. The Reply
    (if any) replaces the offer, buttons gone."""
    match = keyboards.CHECKIN_OFFER_PATTERN.match(data)
    request = await services.requests.get(match.group(1)) if match else None
    if (match is None or request is None or request.state is not State.CLOSED
            or request.peer_id is None
            or not services.requests.is_responder_of(request, user_id)):
        return Answer("stale_button"), None
    now = services.clock()
    if await services.checkins.chosen_for(request.id):
        return Answer("checkin_already_chosen"), None
    if match.group(2) == "no":
        await services.audit.record(now, "system", "checkin_declined", request_id=request.id,
                                    request_code=request.code)
        return Answer(), Reply("checkin_declined")
    seconds = int(match.group(2))
    if seconds not in _delays(services):
        return Answer("stale_button"), None  # a delay no longer offered (FOLLOWUP_DELAYS)
    ended = request.closed_at or now
    retention_end = ended + round(services.settings.retention_days * DAY_SECONDS)
    if now + seconds >= retention_end:
        # It would fall due after the retention purge takes the conversation: refused. The
        # offer stays while a sooner delay still fits, and turns into a short note once none does.
        if any(now + d < retention_end for d in _delays(services)):
            return Answer("checkin_too_late", alert=True), None
        return Answer("checkin_too_late", alert=True), Reply("checkin_offer_expired")
    texts = await services.texts_for(request.responder_chat_id)
    language = texts.language
    due = now + seconds
    checkin_id = await services.checkins.schedule(
        request.id, request.responder_index, request.responder_chat_id, language,
        request.peer_id, ended_at=ended, now=now, due_at=due)
    if checkin_id is None:
        return Answer("checkin_already_chosen"), None
    await services.audit.record(now, "system", CHOSEN, request_id=request.id,
                                request_code=request.code, detail=f"{seconds}s")
    wake_by(services, due)
    _log.info("request %s: a follow-up check-in was chosen", request.code)
    return Answer(), Reply("checkin_chosen", {"when": delay_label(texts, seconds)})


# ------------------------------------------------------------------ sending when due


def wake_by(services: Services, when: int) -> None:
    """Make sure a timer wakes by `when` (one timer for every check-in, at the earliest)."""
    services.timers.by(WAKE_TIMER, when, lambda: wake(services))


async def wake(services: Services) -> None:
    """Send every check-in due now (the timer and the sweep both call this), once each, then
    set the timer for the next."""
    now = services.clock()
    due = await services.checkins.due(now)
    due += await services.checkins.unfinished(now - UNFINISHED_SECONDS)
    for checkin_id in due:
        await isolated("a check-in", deliver(services, checkin_id))
    upcoming = await services.checkins.next_due()
    if upcoming is not None:
        wake_by(services, upcoming)


async def deliver(services: Services, checkin_id: str) -> None:
    """Take the check-in (one conditional UPDATE: nobody else sends it), then queue it."""
    checkin = await services.checkins.get(checkin_id)
    if checkin is None or checkin.chat_id is None:
        return  # sent already, or forgotten
    now = services.clock()
    if checkin.due_at is not None:
        if checkin.due_at > now or not await services.checkins.take(checkin_id, now):
            return  # not due, or another timer, the sweep or another instance took it
    elif checkin.sent_at is None or checkin.sent_at > now - UNFINISHED_SECONDS:
        return  # being sent by whoever took it
    await _send(services, checkin)
    if await services.checkins.sent(checkin_id):
        await services.audit.record(services.clock(), "system", SENT)
        _log.info("a follow-up check-in was sent")


async def _send(services: Services, checkin: Checkin) -> None:
    assert checkin.chat_id is not None
    chat = checkin.chat_id
    # Their language now if they chose one since, else the one they read when they chose it.
    texts = (await services.texts_for(chat) if await services.knows_language(chat)
             else services.texts_in(checkin.language or services.settings.default_language))
    text, keyboard = Reply("checkin_message",
                           keyboard=lambda t: keyboards.checkin(t, checkin.id)).render(texts)
    with send_scope(f"ci.{checkin.id}"):  # sent again after a crash: found, not sent twice
        await services.outbox.notify(chat, text, keyboard, what="a follow-up check-in")


# ------------------------------------------------------------------ the answers


@dataclass(frozen=True)
class Outcome:
    """What a press on a check-in does: the button's answer, a message to send, whether to
    show the resources, and whether the check-in's buttons go."""

    answer: Answer
    reply: Reply | None = None
    resources: bool = False
    clear: bool = False


async def answer(services: Services, user_id: int, chat_id: int, data: str) -> Outcome:
    """I'm OK, Talk to a peer again or Resources, pressed on a check-in."""
    match = keyboards.CHECKIN_ANSWER_PATTERN.match(data)
    checkin = await services.checkins.get(match.group(1)) if match else None
    if (match is None or checkin is None or checkin.sent_at is None
            or checkin.responder_index != services.checkins.responder_index(user_id)):
        return Outcome(Answer("stale_button"))
    kind = _KINDS[match.group(2)]
    now = services.clock()
    answered = await services.checkins.answer(checkin.id, kind, now)
    if answered == FIRST:  # one per check-in: I'm OK after Resources is not counted again
        await services.audit.record(now, "system", ANSWERED, detail=kind)
    if kind == "resources":
        return Outcome(Answer(), resources=True)
    if not answered:
        return Outcome(Answer("checkin_already_answered"), clear=True)
    if kind == "ok":
        return Outcome(Answer(), Reply("checkin_ok_reply"), clear=True)
    reply = await intake.begin(services, user_id, chat_id, followup=True,
                               previous_peer=checkin.peer_id)
    return Outcome(Answer(), reply, clear=True)
