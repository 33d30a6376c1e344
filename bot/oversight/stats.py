"""The coordinators' numbers: what happened to the requests of a period, with no codes, texts
or identities, and with small numbers blurred so that no request can be singled out.

Rules of the text shown by /stats:
- a count from 1 to 4 is shown as "<5";
- a breakdown (by urgency, by field) whose exact total is shown and in which some category
  holds 1 to 4 requests is not shown at all: subtracting the others would recover it;
- the time to claim needs 5 claimed requests, and the mean rating 5 ratings, else it is not
  shown (one request's own time or rating would be).
The daily table behind /stats chart and /export gives exact counts per day (they are made for
reports); it holds no code, text or identity either.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.escalation import ladder
from bot.platform import keyboards
from bot.platform.durations import describe
from locales import Texts
from storage.requests import RequestFacts, State

SMALL = 5  # counts below this (and above 0) are blurred
DEFAULT_DAYS = 30
MAX_DAYS = 3650
LAST_STEP = ladder.STEPS
_PERIOD = re.compile(r"^(\d{1,4})d$")


@dataclass(frozen=True)
class Period:
    days: int | None  # None: everything

    def since(self, now: int) -> int | None:
        return None if self.days is None else now - self.days * 86400


def parse_period(argument: str | None) -> Period | None:
    """"7d", "90d", "all" or nothing (30 days); None if it is none of these."""
    if not argument:
        return Period(DEFAULT_DAYS)
    if argument.lower() == "all":
        return Period(None)
    match = _PERIOD.match(argument.lower())
    if match and 1 <= int(match.group(1)) <= MAX_DAYS:
        return Period(int(match.group(1)))
    return None


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between closest ranks, as spreadsheets
    compute PERCENTILE.INC: the median of 1, 2, 3, 4 is 2.5, the 90th percentile is 3.7."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    opened: int
    claimed: int
    closed: int
    still_open: int
    unanswered: int  # reached the last escalation step without a peer
    claim_seconds: tuple[int, ...]
    steps: tuple[int, int, int]  # requests that reached step 1, 2, 3
    by_urgency: dict[str, int]
    by_discipline: dict[str, int]
    ratings: tuple[int, ...]
    on_call_now: int
    helpers: int
    notes: int = 0  # case notes written in the period (/note)
    debriefs: int = 0  # debriefs peers asked for after a high-risk conversation
    transfers: int = 0  # conversations handed from one peer to another (/transfer, accepted)
    selfchecks: int = 0  # self-checks responders completed (/selfcheck)
    selfchecks_shared: int = 0  # ... and shared with their peer
    # Follow-up check-ins: chosen, sent, answered I'm OK, Talk to a peer again, Resources.
    checkins: tuple[int, ...] = (0, 0, 0, 0, 0)


def summarize(facts: Iterable[RequestFacts], ratings: Iterable[int], on_call_now: int,
              helpers: int, *, notes: int = 0, debriefs: int = 0,
              selfchecks: tuple[int, int] = (0, 0), transfers: int = 0,
              checkins: tuple[int, ...] = (0, 0, 0, 0, 0)) -> Summary:
    chosen = list(facts)
    claimed = [f for f in chosen if f.first_claimed_at is not None]
    urgency = Counter(f.urgency or "none" for f in chosen)
    discipline = Counter(f.discipline or "none" for f in chosen)
    return Summary(
        opened=len(chosen),
        claimed=len(claimed),
        closed=sum(f.state is State.CLOSED for f in chosen),
        still_open=sum(f.state in (State.OPEN, State.CLAIMED) for f in chosen),
        unanswered=sum(f.max_escalation_step >= LAST_STEP for f in chosen),
        claim_seconds=tuple(max(0, (f.first_claimed_at or 0) - f.opened_at) for f in claimed),
        steps=(sum(f.max_escalation_step >= 1 for f in chosen),
               sum(f.max_escalation_step >= 2 for f in chosen),
               sum(f.max_escalation_step >= LAST_STEP for f in chosen)),
        by_urgency={u: urgency[u] for u in (*keyboards.URGENCIES, "none")},
        by_discipline={d: discipline[d] for d in (*keyboards.DISCIPLINES, "none")},
        ratings=tuple(ratings),
        on_call_now=on_call_now,
        helpers=helpers,
        notes=notes,
        debriefs=debriefs,
        transfers=transfers,
        selfchecks=selfchecks[0],
        selfchecks_shared=selfchecks[1],
        checkins=checkins,
    )


def blur(count: int) -> str:
    return "<5" if 0 < count < SMALL else str(count)


def _breakdown(texts: Texts, counts: dict[str, int], total: int, label_key: str) -> str:
    labels = {key: texts(label_key.format(key)) if key != "none" else texts("not_given")
              for key in counts}
    if total >= SMALL and any(0 < n < SMALL for n in counts.values()):
        return texts("stats_breakdown_hidden")
    return " · ".join(f"{labels[key]} {blur(n)}" for key, n in counts.items())


def render(summary: Summary, period: Period, texts: Texts) -> str:
    """The /stats message: counts, blurred where small; never a code, text or identity."""
    if summary.claimed >= SMALL:
        seconds = summary.claim_seconds
        claim_time = texts("stats_claim_time", median=describe(percentile(seconds, 0.5)),
                           p90=describe(percentile(seconds, 0.9)))
    else:
        claim_time = texts("stats_too_few_claims")
    if len(summary.ratings) >= SMALL:
        feedback = texts("stats_feedback", count=blur(len(summary.ratings)),
                         mean=f"{statistics.fmean(summary.ratings):.1f}")
    else:
        feedback = texts("stats_feedback_few", count=blur(len(summary.ratings)))
    period_text = (texts("stats_period_all") if period.days is None
                   else texts.plural("stats_period_days", period.days))
    return texts(
        "stats",
        period=period_text,
        opened=blur(summary.opened), claimed=blur(summary.claimed),
        closed=blur(summary.closed), still_open=blur(summary.still_open),
        unanswered=blur(summary.unanswered), claim_time=claim_time,
        step1=blur(summary.steps[0]), step2=blur(summary.steps[1]),
        step3=blur(summary.steps[2]),
        by_urgency=_breakdown(texts, summary.by_urgency, summary.opened, "urgency_{}"),
        by_discipline=_breakdown(texts, summary.by_discipline, summary.opened,
                                 "discipline_{}"),
        feedback=feedback, on_call=blur(summary.on_call_now), helpers=blur(summary.helpers),
        notes=blur(summary.notes), debriefs=blur(summary.debriefs),
        transfers=blur(summary.transfers),
        selfchecks=blur(summary.selfchecks), selfchecks_shared=blur(summary.selfchecks_shared),
        checkins=_checkins(texts, summary.checkins),
    )


def _checkins(texts: Texts, counts: tuple[int, ...]) -> str:
    """Check-ins chosen, sent and answered by kind, blurred; the kinds are hidden, like a
    breakdown, when a small one could be told apart from the rest."""
    chosen, sent, ok, talk, resources = counts
    kinds = (ok, talk, resources)
    if sum(kinds) >= SMALL and any(0 < n < SMALL for n in kinds):
        answered = texts("stats_breakdown_hidden")
    else:
        answered = texts("stats_checkins_answered", ok=blur(ok), talk=blur(talk),
                         resources=blur(resources))
    return texts("stats_checkins", chosen=blur(chosen), sent=blur(sent), answered=answered)


# ------------------------------------------------------------------ the daily table


@dataclass(frozen=True)
class Day:
    day: date
    opened: int
    claimed: int
    closed: int
    still_open: int
    unanswered: int
    median_minutes_to_claim: float | None
    ratings: int
    rating_sum: int


COLUMNS = ("date", "opened", "claimed", "closed", "still_open",
           "unanswered_after_last_step", "median_minutes_to_claim", "ratings", "mean_rating")


def local_day(stamp: int, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(stamp, UTC).astimezone(tz).date()


def daily(facts: Sequence[RequestFacts], ratings: Sequence[tuple[int, int]], tz: ZoneInfo,
          first: date, last: date) -> list[Day]:
    """One row per local day from `first` to `last`: requests by the day they were opened
    (so the rows add up to /stats), ratings by the day they were given."""
    by_day: dict[date, list[RequestFacts]] = {}
    for fact in facts:
        by_day.setdefault(local_day(fact.opened_at, tz), []).append(fact)
    rated: dict[date, list[int]] = {}
    for stamp, rating in ratings:
        rated.setdefault(local_day(stamp, tz), []).append(rating)
    rows = []
    day = first
    while day <= last:
        todays = by_day.get(day, [])
        minutes = [((f.first_claimed_at or 0) - f.opened_at) / 60 for f in todays
                   if f.first_claimed_at is not None]
        given = rated.get(day, [])
        rows.append(Day(
            day=day, opened=len(todays),
            claimed=sum(f.first_claimed_at is not None for f in todays),
            closed=sum(f.state is State.CLOSED for f in todays),
            still_open=sum(f.state in (State.OPEN, State.CLAIMED) for f in todays),
            unanswered=sum(f.max_escalation_step >= LAST_STEP for f in todays),
            median_minutes_to_claim=(round(percentile(minutes, 0.5), 1) if minutes else None),
            ratings=len(given), rating_sum=sum(given)))
        day += timedelta(days=1)
    return rows


def csv_row(row: Day) -> list[str]:
    mean = f"{row.rating_sum / row.ratings:.2f}" if row.ratings else ""
    median = "" if row.median_minutes_to_claim is None else f"{row.median_minutes_to_claim:g}"
    return [row.day.isoformat(), str(row.opened), str(row.claimed), str(row.closed),
            str(row.still_open), str(row.unanswered), median, str(row.ratings), mean]
