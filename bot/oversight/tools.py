"""The coordinators' tools, in their private chat: /stats (and /stats chart), /export,
/roster, /peers, /removepeer and /audit.

They show aggregates, peers' aliases and request codes (the audit log), never a responder's
identity or anything anyone wrote. Anyone not in COORDINATOR_IDS gets the same one-line
refusal (guards.coordinators_only), whatever they ask, so not even whether a request or a peer
exists leaks. Every use is recorded in the audit log.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from babel.dates import format_datetime
from telegram import BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup

from bot.escalation import ladder
from bot.oversight import chart, stats
from bot.platform import commands, guards, language
from bot.platform.commands import Audience
from bot.platform.replies import Phrase, Reply
from bot.platform.services import Services
from bot.team import roster as on_call
from locales import Texts
from storage.peers import Peer

_log = logging.getLogger(__name__)
COORDINATOR_COMMANDS = commands.only_for(Audience.COORDINATOR)
# Every action the audit log records, and who can act (each has a text in the catalog).
AUDIT_ACTIONS = ("claim", "release", "close", "referral", "referral_help_wanted",
                 "referral_declined", "concern", "risk_flagged", "risk_answered", "urgent",
                 "note", "forget", "cooldown_started", "cooldown_ended", "debrief_asked",
                 "transfer_offered", "transfer_accepted", "transfer_declined",
                 "transfer_withdrawn",
                 "selfcheck_taken", "selfcheck_shared",  # /selfcheck: never a score
                 "checkin_offered", "checkin_chosen", "checkin_declined", "checkin_sent",
                 "checkin_answered",  # follow-up check-ins (bot/requests/checkins.py)
                 "stats",
                 "stats_chart", "export", "roster", "peers", "removepeer", "audit")
AUDIT_ACTORS = ("coordinator", "responder", "system")  # peers are shown by alias
AUDIT_ENTRIES = 50
LIST_CHARS = 3600  # a list must fit one Telegram message (4096) with its heading
REMOVE_PREFIX = "rmpeer:"


@dataclass(frozen=True)
class Upload:
    """A file to send in answer: a chart (photo) or an export (document)."""

    kind: str  # photo | document
    filename: str
    data: bytes
    caption: str


def _fit(texts: Texts, lines: list[str]) -> str:
    """As many whole lines as fit one message, then how many were left out."""
    shown: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > LIST_CHARS:
            shown.append(texts.plural("list_more", len(lines) - len(shown)))
            break
        shown.append(line)
        used += len(line) + 1
    return "\n".join(shown)


async def _record(services: Services, user_id: int, action: str,
                  detail: str | None = None) -> None:
    await services.audit.record(services.clock(), "coordinator", action, actor_id=user_id,
                                detail=detail)


def _when(services: Services, texts: Texts, stamp: int) -> str:
    moment = datetime.fromtimestamp(stamp, UTC).astimezone(services.settings.tz)
    return format_datetime(moment, "d MMM HH:mm zzz", locale=texts.language)


# ------------------------------------------------------------------ /stats and /export


async def _summary(services: Services, period: stats.Period) -> stats.Summary:
    now = services.clock()
    since = period.since(now)
    facts = await services.requests.facts(since)
    ratings = [rating for _, rating in await services.feedback.ratings(since)]
    on_call = len(await services.peers.on_call(now))
    helpers = len(await services.audit.actors("claim", since))
    notes = await services.audit.count("note", since)  # kept after the notes are purged
    debriefs = await services.audit.count("debrief_asked", since)  # bot/team/care.py
    transfers = await services.audit.count("transfer_accepted", since)  # /transfer
    selfchecks = (await services.audit.count("selfcheck_taken", since),  # bot/safety/selfcheck.py
                  await services.audit.count("selfcheck_shared", since))
    answered = await services.audit.count_by_detail("checkin_answered", since)
    checkins = (await services.audit.count("checkin_chosen", since),  # bot/requests/checkins.py
                await services.audit.count("checkin_sent", since),
                *(answered.get(kind, 0) for kind in ("ok", "talk", "resources")))
    return stats.summarize(facts, ratings, on_call, helpers, notes=notes, debriefs=debriefs,
                           selfchecks=selfchecks, transfers=transfers, checkins=checkins)


async def _days(services: Services, period: stats.Period) -> list[stats.Day]:
    """The daily rows of the period, from the day it starts to today, in TIMEZONE."""
    now = services.clock()
    since = period.since(now)
    facts = await services.requests.facts(since)
    ratings = await services.feedback.ratings(since)
    tz = services.settings.tz
    starts = [since] if since is not None else [f.opened_at for f in facts[:1]]
    starts += [stamp for stamp, _ in ratings[:1]]
    first = stats.local_day(min(starts, default=now), tz)
    return stats.daily(facts, ratings, tz, first, stats.local_day(now, tz))


def _period_text(texts: Texts, period: stats.Period) -> str:
    if period.days is None:
        return texts("stats_period_all")
    return texts.plural("stats_period_days", period.days)


@guards.coordinators_only
async def show_stats(services: Services, user_id: int, argument: str | None,
                     ) -> Reply | Upload:
    """/stats [7d|30d|90d|all] and /stats chart [period]."""
    words = (argument or "").split()
    wants_chart = bool(words) and words[0].lower() == "chart"
    if wants_chart:
        words = words[1:]
    period = stats.parse_period(words[0] if words else None) if len(words) <= 1 else None
    if period is None:
        return Reply("stats_usage")
    await _record(services, user_id, "stats_chart" if wants_chart else "stats",
                  detail=f"{period.days}d" if period.days else "all")
    texts = await services.texts_for(user_id)
    if not wants_chart:
        text = stats.render(await _summary(services, period), period, texts)
        set_aside = await services.inbox.set_aside_count()
        if set_aside:  # operational, not about anyone: shown as it is, whatever the period
            text += "\n\n" + texts("stats_set_aside", count=set_aside)
        return Reply("stats_text", {"text": text})
    days = await _days(services, period)
    title = texts("chart_title", period=_period_text(texts, period))
    png = await asyncio.to_thread(chart.render_png, days, title, texts("chart_requests"),
                                  texts("chart_minutes"))
    return Upload("photo", "peer-support-stats.png", png,
                  texts("chart_caption", period=_period_text(texts, period)))


@guards.coordinators_only
async def export(services: Services, user_id: int, argument: str | None) -> Reply | Upload:
    """/export [period]: the daily figures as CSV, one row per day."""
    period = stats.parse_period(argument.strip() if argument else None)
    if period is None:
        return Reply("export_usage")
    await _record(services, user_id, "export",
                  detail=f"{period.days}d" if period.days else "all")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(stats.COLUMNS)
    for row in await _days(services, period):
        writer.writerow(stats.csv_row(row))
    today = stats.local_day(services.clock(), services.settings.tz).isoformat()
    texts = await services.texts_for(user_id)
    return Upload("document", f"peer-support-daily-{today}.csv",
                  buffer.getvalue().encode("utf-8"),
                  texts("export_caption", period=_period_text(texts, period)))


# ------------------------------------------------------------------ the roster and peers


@guards.coordinators_only
async def roster(services: Services, user_id: int, _: str | None) -> Reply:
    """/roster: who is on call until when, and how many conversations each peer holds."""
    await _record(services, user_id, "roster")
    texts = await services.texts_for(user_id)
    holding = await services.requests.open_count_by_peer()
    on_call = await services.peers.on_call(services.clock())
    lines = [texts.plural("roster_on_call_line", holding.get(p.user_id, 0), alias=p.alias,
                          until=_when(services, texts, p.on_call_until or 0)) for p in on_call]
    lines = [_fit(texts, lines)] if lines else []
    others = [p for p in await services.peers.all()
              if p.user_id in holding and p.user_id not in {q.user_id for q in on_call}]
    busy = [texts.plural("roster_busy_line", holding[p.user_id], alias=p.alias) for p in others]
    text = texts.plural("roster_on_call", len(on_call),
                        lines="\n".join(lines) or texts("roster_nobody"))
    if busy:
        text += "\n\n" + texts("roster_holding", lines="\n".join(busy))
    return Reply("stats_text", {"text": text})


@guards.coordinators_only
async def peers(services: Services, user_id: int, _: str | None) -> Reply:
    """/peers: every registered peer with their alias, agency and last activity."""
    await _record(services, user_id, "peers")
    texts = await services.texts_for(user_id)
    registered = await services.peers.all()
    lines = [texts("peers_line", alias=p.alias, agency=p.agency or texts("not_given"),
                   active=_when(services, texts, p.last_active_at or 0)) for p in registered]
    text = texts.plural("peers_list", len(registered),
                        lines=_fit(texts, lines) or texts("peers_none"))
    return Reply("stats_text", {"text": text})


@guards.coordinators_only
async def remove_peer(services: Services, user_id: int, alias: str | None) -> Reply:
    """/removepeer ALIAS: revoke a peer; their conversations go back to the queue. With
    several peers of that alias, a button for each says which."""
    if not alias:
        return Reply("removepeer_usage")
    matching = await services.peers.named(" ".join(alias.split()))
    if not matching:
        return Reply("removepeer_unknown", {"alias": alias.strip()[:40]})
    if len(matching) > 1:
        texts = await services.texts_for(user_id)
        buttons = [[InlineKeyboardButton(
            texts("btn_remove_peer", alias=p.alias, agency=p.agency or texts("not_given"),
                  active=_when(services, texts, p.last_active_at or 0)),
            callback_data=f"{REMOVE_PREFIX}{p.user_id}")] for p in matching]
        return Reply("removepeer_which", {"alias": matching[0].alias},
                     InlineKeyboardMarkup(buttons))
    return await _remove(services, user_id, matching[0])


@guards.coordinators_only
async def remove_chosen(services: Services, user_id: int, data: str) -> Reply | None:
    """The button chosen among peers of the same alias; None if it is stale."""
    target = data.removeprefix(REMOVE_PREFIX)
    peer = await services.peers.get(int(target)) if target.isdigit() else None
    if peer is None:
        return None
    return await _remove(services, user_id, peer)


async def _remove(services: Services, user_id: int, peer: Peer) -> Reply:
    held = await services.requests.claimed_by(peer.user_id)
    for request in held:
        await ladder.requeue(services, request, peer, reason=Phrase("removed_reason"),
                             silent=False)
    await services.peers.remove(peer.user_id, services.clock())
    on_call.cancel_timers(services, peer.user_id)
    await _record(services, user_id, "removepeer", detail=f"peer:{peer.user_id}")
    _log.info("a coordinator removed a peer (%d conversations back in the queue)", len(held))
    await services.say(peer.user_id, Reply("peer_removed_notice"),
                       what="the notice of a peer's removal")
    if guards.is_coordinator(services, peer.user_id):  # a coordinator still: their menu
        await language.install_menus(services, peer.user_id)
    else:
        await services.outbox.set_commands([], BotCommandScopeChat(peer.user_id))
    return Reply("removepeer_done", {"alias": peer.alias, "count": len(held)})


# ------------------------------------------------------------------ /audit


@guards.coordinators_only
async def audit(services: Services, user_id: int, _: str | None) -> Reply:
    """/audit: the last 50 entries, newest first, with aliases and request codes."""
    await _record(services, user_id, "audit")
    texts = await services.texts_for(user_id)
    aliases = await services.peers.aliases()
    lines = []
    for entry in await services.audit.latest(AUDIT_ENTRIES):
        if entry.actor == "peer":
            who = aliases.get(entry.actor_id or 0, texts("audit_unknown_peer"))
        else:
            who = texts(f"audit_actor_{entry.actor}")
        detail = entry.detail or ""
        if detail.startswith("peer:") and detail[5:].isdigit():
            detail = aliases.get(int(detail[5:]), texts("audit_unknown_peer"))
        parts = [_when(services, texts, entry.at), who, texts(f"audit_action_{entry.action}")]
        parts += [part for part in (entry.request_code, detail) if part]
        lines.append(" · ".join(parts))
    if not lines:
        return Reply("audit_empty")
    return Reply("audit_list", {"count": len(lines), "lines": _fit(texts, lines)})
