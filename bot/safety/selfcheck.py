"""/selfcheck: a short self-check a responder can take at any time. It routes, it never
diagnoses: the result says in plain words what the answers suggest and offers the next step
(a peer now, the clinician directory, and always the crisis line).

The questions are three public-domain screening instruments, asked with their published
wording and answer scales (the catalogs hold the texts; translations into Spanish and French
are ours and should be reviewed by a clinician before they are relied on):

- PHQ-2 (mood): Kroenke K, Spitzer RL, Williams JBW. "The Patient Health Questionnaire-2:
  validity of a two-item depression screener." Medical Care 2003;41:1284-92. The first two
  items of the PHQ-9 (Pfizer; no permission is needed to reproduce, translate or use it).
  "Over the last 2 weeks, how often have you been bothered by...", each answered Not at all
  (0), Several days (1), More than half the days (2), Nearly every day (3); total 0-6, a
  total of 3 or more is the published cut-off.
- GAD-2 (anxiety): Kroenke K, Spitzer RL, Williams JBW, Monahan PO, Loewe B. "Anxiety
  disorders in primary care: prevalence, impairment, comorbidity, and detection." Annals of
  Internal Medicine 2007;146:317-25. The first two items of the GAD-7 (Pfizer; same terms),
  same scale, same cut-off of 3.
- PC-PTSD-5 (post-traumatic stress): Prins A, Bovin MJ, Smolenski DJ, et al. "The Primary
  Care PTSD Screen for DSM-5 (PC-PTSD-5)." Journal of General Internal Medicine
  2016;31:1206-11; U.S. Department of Veterans Affairs, National Center for PTSD (public
  domain). It first asks whether the person has ever experienced a traumatic event; if not,
  the screen ends there (score 0). If so, five yes/no items about the past month, one point
  each; 3 or more is the published optimal cut-off.

None of the three asks about suicide or self-harm (the PHQ-9's item 9 is deliberately not
used; PC-PTSD-5's first question names "a loved one's death through homicide or suicide" only
as an example of a traumatic event), so the check itself raises no risk flag. What a
responder types while a check is running is an ordinary private message: it is relayed and
read by the crisis screen as always.

Nothing about a check is stored. The answers so far travel in the buttons' callback data,
sealed with a keyed hash of the person, the time the check began and the answers, so a tap
counts only on a check this bot showed this person, less than CHECK_SECONDS ago. Nothing is
kept in memory either, so a check goes on across a restart and whichever instance takes the
tap (several instances share one database in webhook mode); a button too old, someone else's
or forged gets a clear answer and the offer to start again. The result is kept only if the
responder shares it with the peer who holds their conversation: then its summary (each
instrument's score and plain result, never an answer to a single question) is sealed and
relayed like a message of theirs (bot/requests/relay.py), so it is kept and erased like one.
The Share button is sealed to the conversation and the peer named beside it when it was shown
(the live request's id and the peer's id are in its data and under its keyed hash): if the
conversation ended or another peer holds it when Share is pressed, nothing is shared and the
result is shown again, naming the peer now; a result is shared once, in any conversation.
The audit log records that a check was completed (`selfcheck_taken`) or shared
(`selfcheck_shared`), never a score.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.platform import keyboards
from bot.platform.outbox import DeliveryError
from bot.platform.replies import Answer, Phrase, Reply
from bot.platform.services import Services
from bot.requests import relay
from bot.requests.content import Content, Kind
from locales import Texts
from storage.messages import StoredMessage
from storage.requests import Request, State

_log = logging.getLogger(__name__)

CHECK_SECONDS = 2 * 3600  # how long a check's buttons count
SHARE_SECONDS = 24 * 3600  # how long the result's Share button counts
STOP = "sc:stop"
AGAIN = "sc:new"
# "sc:<began>:<answers>:<seal>" for an answer: the answers so far, one digit each, in the
# order of QUESTIONS. "scs:<began>:<answers>:<request>:<peer>:<seal>" for Share: also the live
# request's id and its peer's id when the result was shown (began and the peer in base 36, a
# shorter seal: Telegram allows 64 bytes).
PATTERN = re.compile(r"^sc:(?:stop|new|\d{1,12}:[0-3]{1,10}:[0-9a-f]{16})$")
_SHARE_DATA = (r"^scs:([0-9a-z]{1,8}):([0-3]{5,10}):([0-9a-f]{16}):([0-9a-z]{1,13}):"
               r"([0-9a-f]{12})$")
SHARE_PATTERN = re.compile(_SHARE_DATA)
_DATA = re.compile(r"^sc:(\d{1,12}):([0-3]{1,10}):([0-9a-f]{16})$")
_DATA_LIMIT = 64  # Telegram's limit on a button's callback data, in bytes
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"

FREQUENCY = (0, 1, 2, 3)  # PHQ-2 / GAD-2: Not at all .. Nearly every day
YES_NO = (1, 0)  # PC-PTSD-5: Yes (1 point), No (0)


@dataclass(frozen=True)
class Question:
    key: str  # its catalog text
    lead: str | None  # the instrument's stem, shown above it
    scale: tuple[int, ...]


_TWO_WEEKS, _PAST_MONTH = "selfcheck_lead_two_weeks", "selfcheck_lead_past_month"
QUESTIONS = (
    Question("selfcheck_phq_1", _TWO_WEEKS, FREQUENCY),  # PHQ-2 item 1
    Question("selfcheck_phq_2", _TWO_WEEKS, FREQUENCY),  # PHQ-2 item 2
    Question("selfcheck_gad_1", _TWO_WEEKS, FREQUENCY),  # GAD-2 item 1
    Question("selfcheck_gad_2", _TWO_WEEKS, FREQUENCY),  # GAD-2 item 2
    Question("selfcheck_ptsd_event", None, YES_NO),  # PC-PTSD-5: the traumatic event
    Question("selfcheck_ptsd_1", _PAST_MONTH, YES_NO),  # PC-PTSD-5 item 1 (nightmares)
    Question("selfcheck_ptsd_2", _PAST_MONTH, YES_NO),  # item 2 (avoidance)
    Question("selfcheck_ptsd_3", _PAST_MONTH, YES_NO),  # item 3 (on guard)
    Question("selfcheck_ptsd_4", _PAST_MONTH, YES_NO),  # item 4 (numb, detached)
    Question("selfcheck_ptsd_5", _PAST_MONTH, YES_NO),  # item 5 (guilt, blame)
)
# The buttons' labels: the PHQ-2/GAD-2 scale by its score, and PC-PTSD-5's Yes and No.
_FREQUENCY_LABELS = ("btn_selfcheck_0", "btn_selfcheck_1", "btn_selfcheck_2",
                     "btn_selfcheck_3")
EVENT = 4  # the place of PC-PTSD-5's first question
CUTOFF = {"phq": 3, "gad": 3, "ptsd": 3}
MAXIMUM = {"phq": 6, "gad": 6, "ptsd": 5}


@dataclass(frozen=True)
class Result:
    phq: int
    gad: int
    ptsd: int | None  # None: no traumatic event, so its five questions were not asked

    def above(self, name: str) -> bool:
        score = getattr(self, name)
        return score is not None and score >= CUTOFF[name]

    @property
    def any_above(self) -> bool:
        return any(self.above(name) for name in CUTOFF)


def valid(answers: str) -> bool:
    """Each digit on its question's scale, and nothing after "no event"."""
    if len(answers) > len(QUESTIONS):
        return False
    if len(answers) > EVENT + 1 and answers[EVENT] == "0":
        return False
    return all(int(digit) in QUESTIONS[i].scale for i, digit in enumerate(answers))


def complete(answers: str) -> bool:
    return len(answers) == len(QUESTIONS) or (len(answers) == EVENT + 1
                                              and answers[EVENT] == "0")


def score(answers: str) -> Result:
    """The three instruments' totals (a complete set of answers)."""
    digits = [int(d) for d in answers]
    event = digits[EVENT] == 1
    return Result(phq=sum(digits[0:2]), gad=sum(digits[2:4]),
                  ptsd=sum(digits[EVENT + 1:]) if event else None)


# ------------------------------------------------------------------ sealed callback data


def _seal(services: Services, kind: str, user_id: int, began: int, answers: str) -> str:
    message = f"selfcheck-{kind}:{user_id}:{began}:{answers}".encode()
    return hmac.new(services.settings.index_key, message, hashlib.sha256).hexdigest()[:16]


def _data(services: Services, kind: str, user_id: int, began: int, answers: str) -> str:
    return f"sc:{began}:{answers}:{_seal(services, kind, user_id, began, answers)}"


def _opened(services: Services, kind: str, user_id: int, data: str) -> tuple[int, str] | None:
    """(when the check began, its answers) if `data` is an answer button this bot showed
    `user_id` recently; None for anything else."""
    match = _DATA.match(data)
    if match is None:
        return None
    began, answers, seal = int(match.group(1)), match.group(2), match.group(3)
    if not 0 <= services.clock() - began <= CHECK_SECONDS or not valid(answers):
        return None
    if not hmac.compare_digest(seal, _seal(services, kind, user_id, began, answers)):
        return None
    return began, answers


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _BASE36[digit] + digits
        if number == 0:
            return digits


@dataclass(frozen=True)
class Shown:
    """What a Share button was shown for: the check, and the conversation and peer then."""

    began: int
    answers: str
    request_id: str
    peer_id: int


def _share_seal(services: Services, user_id: int, shown: Shown) -> str:
    message = (f"selfcheck-share:{user_id}:{shown.began}:{shown.answers}:{shown.request_id}:"
               f"{shown.peer_id}").encode()
    return hmac.new(services.settings.index_key, message, hashlib.sha256).hexdigest()[:12]


def _share_data(services: Services, user_id: int, shown: Shown) -> str | None:
    """Share's callback data, bound to the person, the check, the live request and its peer;
    None if it would not fit in a button (a peer id far larger than any seen)."""
    data = (f"scs:{_base36(shown.began)}:{shown.answers}:{shown.request_id}:"
            f"{_base36(shown.peer_id)}:{_share_seal(services, user_id, shown)}")
    return data if len(data) <= _DATA_LIMIT else None


def _opened_share(services: Services, user_id: int, data: str) -> Shown | None:
    """What a Share button this bot showed `user_id` less than SHARE_SECONDS ago was shown
    for; None for anything else (too old, someone else's, forged)."""
    match = SHARE_PATTERN.match(data)
    if match is None:
        return None
    shown = Shown(int(match.group(1), 36), match.group(2), match.group(3),
                  int(match.group(4), 36))
    if (not 0 <= services.clock() - shown.began <= SHARE_SECONDS or not valid(shown.answers)
            or not complete(shown.answers)):
        return None
    if not hmac.compare_digest(match.group(5), _share_seal(services, user_id, shown)):
        return None
    return shown


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


# ------------------------------------------------------------------ the check


def begin(services: Services, user_id: int) -> Reply:
    """/selfcheck: the first question, with a word on what this is."""
    return _question(services, user_id, services.clock(), "")


def _question(services: Services, user_id: int, began: int, answers: str) -> Reply:
    number = len(answers)
    question = QUESTIONS[number]

    def keyboard(texts: Texts) -> InlineKeyboardMarkup:
        buttons = [_button(texts(_label(question, value)),
                           _data(services, "answer", user_id, began, f"{answers}{value}"))
                   for value in question.scale]
        rows = ([buttons[:2], buttons[2:]] if len(buttons) == 4 else [buttons])
        return InlineKeyboardMarkup([*rows, [_button(texts("btn_selfcheck_stop"), STOP)]])

    values: dict[str, object] = {
        "intro": Phrase("selfcheck_intro") if number == 0 else "",
        "number": number + 1, "steps": len(QUESTIONS), "question": Phrase(question.key)}
    if question.lead is None:
        return Reply("selfcheck_question_alone", values, keyboard)
    return Reply("selfcheck_question", {**values, "lead": Phrase(question.lead)}, keyboard)


def _label(question: Question, value: int) -> str:
    if question.scale == YES_NO:
        return "btn_selfcheck_yes" if value else "btn_selfcheck_no"
    return _FREQUENCY_LABELS[value]


async def tap(services: Services, user_id: int, data: str) -> tuple[Answer, Reply]:
    """One tap on a check's message: the next question, the result, Stop, or Start again;
    what the message turns into."""
    if data == AGAIN:
        return Answer(), begin(services, user_id)
    if data == STOP:
        return Answer(), Reply("selfcheck_stopped")
    opened = _opened(services, "answer", user_id, data)
    if opened is None:
        return Answer("selfcheck_stale", alert=True), stale()
    began, answers = opened
    if not complete(answers):
        return Answer(), _question(services, user_id, began, answers)
    await services.audit.record(services.clock(), "responder", "selfcheck_taken")
    return Answer(), await _result(services, user_id, began, answers)


def stale() -> Reply:
    """What a stale, someone else's or forged button's message turns into."""
    return Reply("selfcheck_stale_message", keyboard=lambda texts: InlineKeyboardMarkup(
        [[_button(texts("btn_selfcheck_again"), AGAIN)]]))


def _lines(result: Result) -> dict[str, object]:
    def line(name: str, area: str) -> Phrase:
        if name == "ptsd" and result.ptsd is None:
            return Phrase("selfcheck_line_no_event", {"area": Phrase(area)})
        key = "selfcheck_line_high" if result.above(name) else "selfcheck_line_low"
        return Phrase(key, {"area": Phrase(area)})

    return {"mood": line("phq", "selfcheck_area_mood"),
            "anxiety": line("gad", "selfcheck_area_anxiety"),
            "stress": line("ptsd", "selfcheck_area_stress"),
            "plain": Phrase("selfcheck_plain_high" if result.any_above
                            else "selfcheck_plain_low")}


async def _result(services: Services, user_id: int, began: int, answers: str, *,
                  shared_with: str | None = None, shareable: bool = True) -> Reply:
    """The result in plain words, and the ways on from it: a peer (or the request they have),
    the clinician directory, and the crisis line in the text itself."""
    result = score(answers)
    live = await services.requests.live_for_responder(user_id)
    share: str | None = None
    if shared_with is not None:
        next_step = Phrase("selfcheck_next_shared", {"alias": shared_with})
    elif live is not None and live.state is State.CLAIMED and live.peer_id is not None:
        peer = await services.peers.get(live.peer_id)
        next_step = Phrase("selfcheck_next_claimed", {"alias": peer.alias if peer else ""})
        if shareable:
            share = _share_data(services, user_id, Shown(began, answers, live.id, live.peer_id))
    elif live is not None and live.state is State.OPEN:
        next_step = Phrase("selfcheck_next_waiting", {"code": live.code})
    else:
        next_step = Phrase("selfcheck_next_idle")
    talk = live is None or live.state is State.INTAKE

    def keyboard(texts: Texts) -> InlineKeyboardMarkup:
        rows = []
        if share is not None:
            rows.append([_button(texts("btn_selfcheck_share"), share)])
        if talk:
            rows.append([_button(texts("btn_talk"), keyboards.TALK)])
        rows.append([_button(texts("btn_clinicians"), keyboards.DIRECTORY)])
        rows.append([_button(texts("btn_resources"), keyboards.RESOURCES)])
        return InlineKeyboardMarkup(rows)

    return Reply("selfcheck_result", {**_lines(result), "next": next_step}, keyboard)


# ------------------------------------------------------------------ sharing with the peer


def summary(texts: Texts, result: Result) -> str:
    """What the peer reads: each instrument's score against its cut-off and the plain result;
    never an answer to a single question."""
    def scored(name: str) -> str:
        value = getattr(result, name)
        if value is None:
            return texts("selfcheck_score_no_event")
        key = "selfcheck_score_high" if result.above(name) else "selfcheck_score_low"
        return texts(key, score=value, maximum=MAXIMUM[name], cutoff=CUTOFF[name])

    plain = texts("selfcheck_summary_high" if result.any_above else "selfcheck_summary_low")
    return texts("selfcheck_summary", phq=scored("phq"), gad=scored("gad"),
                 ptsd=scored("ptsd"), plain=plain)


async def share(services: Services, user_id: int, chat_id: int, message_id: int, data: str,
                ) -> tuple[Answer, Reply | None]:
    """Share: the summary goes to the peer the responder saw named with the button, in the
    conversation it was shown for, sealed and kept like a message of theirs; the result
    message then says so. If that conversation ended or another peer holds it now, nothing is
    shared: the result is shown again, naming the peer now (with a new Share button) if any.
    Once per result, in whichever of their conversations."""
    shown = _opened_share(services, user_id, data)
    if shown is None:
        return Answer("selfcheck_stale", alert=True), stale()
    began, answers = shown.began, shown.answers
    live = await services.requests.live_for_responder(user_id)
    if live is None or live.state is not State.CLAIMED or live.peer_id is None:
        return (Answer("selfcheck_share_nobody", alert=True),
                await _result(services, user_id, began, answers))
    # The result message is its source: the same result is kept (and sent) once, across
    # every conversation of theirs still kept.
    source = services.messages.source(chat_id, message_id)
    for request_id in await services.requests.ids_of_responder(user_id):
        if await services.messages.seq_of(request_id, source) is not None:
            return Answer("selfcheck_share_already"), None
    if live.id != shown.request_id or live.peer_id != shown.peer_id:
        return (Answer("selfcheck_share_changed", alert=True),
                await _result(services, user_id, began, answers))
    peer = await services.peers.get(live.peer_id)
    alias = peer.alias if peer else ""
    content = Content(Kind.TEXT, chat_id, message_id,
                      summary(await services.texts_for(live.peer_id), score(answers)))
    if not await _send(services, live, live.peer_id, content):
        return Answer("selfcheck_share_failed", alert=True), None
    await services.audit.record(services.clock(), "responder", "selfcheck_shared",
                                request_id=live.id, request_code=live.code)
    return (Answer("selfcheck_shared", {"alias": alias}),
            await _result(services, user_id, began, answers, shared_with=alias))


async def _send(services: Services, live: Request, peer_id: int, content: Content) -> bool:
    """Relayed like a responder's message: kept sealed in the transaction of the outbox row
    that delivers it, under the request's code."""
    source = services.messages.source(content.chat_id, content.message_id)
    message = StoredMessage(live.id, 0, "responder", text=content.text, source=source)
    try:
        await relay.deliver(services, peer_id, live.code, message,
                            along=relay.storing(services, live, "responder", content))
    except DeliveryError as exc:
        _log.warning("request %s: a self-check summary could not be relayed", live.code)
        return exc.followed_up  # it may still arrive: named with Send again if not
    return True
