"""The crisis screen as the bot uses it: the phrase rules and the learned model, read over
windows of a message, and one verdict.

A message alarms when any window of it does: a strong rule hit anywhere; weak rule hits that
add up to the rules' alarm level inside three neighbouring clauses; or the model scoring one to
three neighbouring sentences at its threshold. Reading windows rather than the whole message is
what keeps a long message of ordinary things from adding up to an alarm ("the bridge was
closed ... thanks for everything"), while a risky sentence inside it still counts in full.

Besides the verdict, a message has a `signal` between 0 and 1: how close the model's strongest
window came to an alarm. `bot/safety/risk.py` adds signals up across a responder's messages, fading
with time, so risk said a little at a time over several messages is caught too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.safety.screen import model, rules

LEARNED = "learned"  # the reason given when the model alarmed
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026;])\s+|\s*\n+\s*")
SENTENCE_WINDOW = 3  # the model reads one to this many neighbouring sentences at a time


@dataclass(frozen=True, slots=True)
class Reading:
    at_risk: bool
    reasons: tuple[str, ...]  # rule categories (see rules.CATEGORIES), and LEARNED
    signal: float  # 0..1: how close the strongest window came to an alarm
    score: float  # the model's highest window score (0..1)


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def learned_score(text: str, learned: model.Model) -> float:
    """The model's highest score over windows of one to SENTENCE_WINDOW sentences, lowered
    for a message of many sentences (see `Model.for_length`)."""
    found = [learned.known(model.features(sentence)) for sentence in sentences(text)]
    weight = learned.weights.__getitem__
    best: float | None = None  # the highest log-odds of any window
    for start in range(len(found)):
        window: set[str] = set()
        total = 0.0
        for piece in found[start:start + SENTENCE_WINDOW]:  # grown one sentence at a time
            added = piece - window
            window |= added
            total += sum(map(weight, added))
            logit = learned.logit_of(total, len(window))
            if logit is not None and (best is None or logit > best):
                best = logit
    return learned.for_length(best, len(found))


def read(text: str, learned: model.Model | None = None) -> Reading:
    """Screen one message with both layers."""
    learned = learned or model.shipped()
    by_rules = rules.weigh(text)
    score = learned_score(text, learned)
    learned_alarm = score >= learned.threshold
    reasons = list(by_rules.reasons)
    if learned_alarm:
        reasons.append(LEARNED)
    at_risk = by_rules.at_risk or learned_alarm
    # Only the model's score adds up across messages: the rules' weak hits ("I'm done",
    # "forever") are so common in ordinary venting that, added up over a conversation, they
    # alarmed on about half of ten-message runs of ordinary validation messages.
    signal = 1.0 if at_risk else learned.signal(score)
    return Reading(at_risk=at_risk, reasons=tuple(reasons), signal=signal, score=score)
