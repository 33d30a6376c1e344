"""The on-call roster: who is on call until when, who may be told of a request, agencies."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from babel import Locale
from babel.dates import format_date, format_time

from bot.platform import guards, keyboards
from bot.platform.durations import describe, parse_duration
from bot.platform.outbox import DeliveryError, Purpose
from bot.platform.replies import Phrase, Reply
from bot.platform.services import Services
from bot.requests import digest, render
from bot.team import members as team
from storage.peers import Peer
from storage.requests import Request

_log = logging.getLogger(__name__)
MAX_AGENCY_CHARS = 40  # a free-text agency (no AGENCIES configured)

MAX_ONCALL_SECONDS = 14 * 24 * 3600
REMINDER_LEAD_SECONDS = 15 * 60


def _offcall_timer(user_id: int) -> str:
    return f"offcall:{user_id}"


def _reminder_timer(user_id: int) -> str:
    return f"oncall-reminder:{user_id}"


def reminder_lead(period_seconds: float) -> float:
    """How long before an automatic off-call the peer is reminded: 15 minutes, or a quarter
    of a shorter period."""
    return min(REMINDER_LEAD_SECONDS, period_seconds / 4)


async def _clock_time(services: Services, stamp: int, reader: int) -> str:
    """A time of day as `reader` (a chat) reads times, in TIMEZONE."""
    moment = datetime.fromtimestamp(stamp, UTC).astimezone(services.settings.tz)
    return format_time(moment, "HH:mm zzz", locale=(await services.texts_for(reader)).language)


async def _day(services: Services, stamp: int, reader: int) -> str | None:
    """The weekday and date of `stamp` as `reader` reads dates, in TIMEZONE ("Thursday,
    January 14", "jueves, 14 de enero", "jeudi 14 janvier"); None if that is today."""
    tz = services.settings.tz
    moment = datetime.fromtimestamp(stamp, UTC).astimezone(tz)
    if moment.date() == datetime.fromtimestamp(services.clock(), UTC).astimezone(tz).date():
        return None
    language = (await services.texts_for(reader)).language
    # The language's own order for a month and day with a weekday (CLDR's MMMMEd), with the
    # weekday in full.
    pattern = Locale.parse(language).datetime_skeletons["MMMMEd"].pattern
    return format_date(moment, re.sub("E+", "EEEE", pattern), locale=language)


@guards.peers_only
async def go_on_call(services: Services, peer: Peer, duration: str | None) -> Reply:
    """/oncall [8h]: told of new requests for that long (ONCALL_DEFAULT_HOURS without one);
    days too, and combinations: 1d, 1d12h, at most 14 days."""
    if duration:
        try:
            seconds = parse_duration(duration, days=True)
        except ValueError:
            return Reply("oncall_usage", {"hours": f"{services.settings.oncall_default_hours:g}"})
        if seconds > MAX_ONCALL_SECONDS:
            return Reply("oncall_too_long", {"duration": describe(seconds)})
    else:
        seconds = services.settings.oncall_default_hours * 3600
    now = services.clock()
    until = now + round(seconds)
    await services.peers.set_on_call(peer.user_id, now, until)
    schedule(services, peer.user_id, until, seconds)
    _log.info("a peer went on call")
    clock_time = await _clock_time(services, until, peer.user_id)
    day = await _day(services, until, peer.user_id)  # not today: the date too
    if day is not None:
        return Reply("oncall_started_date", {"date": day, "time": clock_time,
                                             "duration": describe(seconds)})
    return Reply("oncall_started", {"until": clock_time, "duration": describe(seconds)})


def schedule(services: Services, user_id: int, until: int, period: float) -> None:
    timers = services.timers
    timers.at(_reminder_timer(user_id), until - reminder_lead(period),
              lambda: remind(services, user_id))
    timers.at(_offcall_timer(user_id), until, lambda: expire(services, user_id))


@guards.peers_only
async def go_off_call(services: Services, peer: Peer) -> Reply:
    """/offcall: no longer told of new requests."""
    await take_off_call(services, peer.user_id)
    return Reply("offcall_done")


async def take_off_call(services: Services, user_id: int) -> None:
    """Off call now, and the reminder and automatic off-call timers with it."""
    await services.peers.set_on_call(user_id, None, None)
    cancel_timers(services, user_id)


def cancel_timers(services: Services, user_id: int) -> None:
    """The peer's reminder and automatic off-call timers, cancelled (nothing if none is set)."""
    services.timers.cancel(_reminder_timer(user_id))
    services.timers.cancel(_offcall_timer(user_id))


async def remind(services: Services, user_id: int) -> None:
    """Shortly before an automatic off-call: say so, with a one-tap extension."""
    peer = await services.peers.get(user_id)
    now = services.clock()
    if peer is None or peer.on_call_until is None or peer.on_call_until <= now:
        return
    until = peer.on_call_until
    period = until - (peer.on_call_since or until)
    if now < until - reminder_lead(period):
        # A timer set for an earlier period (extended since, perhaps through another
        # instance): not yet; this one wakes at the right time.
        schedule(services, user_id, until, period)
        return
    if not await services.peers.mark_reminded(user_id, until):
        return
    hours = f"{services.settings.oncall_default_hours:g}"
    clock_time = await _clock_time(services, until, user_id)
    key = "oncall_reminder"
    values: dict[str, object] = {"until": clock_time}
    day = await _day(services, until, user_id)
    if day is not None:  # not today (past midnight): the weekday and date too, as /oncall says
        key, values = "oncall_reminder_date", {"date": day, "time": clock_time}
    await services.say(
        user_id, Reply(key, values, lambda texts: keyboards.extend_on_call(texts, hours)),
        what="an off-call reminder")


@guards.peers_only
async def extend(services: Services, peer: Peer) -> Reply:
    """The reminder's button: stay on call for the default period from now."""
    return await go_on_call(services, peer.user_id, None)


async def expire(services: Services, user_id: int) -> None:
    if await services.peers.end_on_call(user_id, services.clock()):
        _log.info("a peer went off call automatically")
        await services.say(user_id, Reply("offcall_automatic"), what="an off-call notice")


@guards.peers_only
async def set_agency(services: Services, peer: Peer, name: str | None) -> Reply:
    """/agency NAME: the peer's agency (responders may ask for someone outside theirs)."""
    configured = services.settings.agencies
    options: str | Phrase = ", ".join(configured) if configured else Phrase("agency_any_name")
    if not name:
        current: str | Phrase = peer.agency or Phrase("not_given")
        return Reply("agency_usage", {"agency": current, "options": options})
    name = " ".join(name.split())
    if name.casefold() == "none":
        await services.peers.set_agency(peer.user_id, None)
        return Reply("agency_cleared")
    if configured:
        match = next((a for a in configured if a.casefold() == name.casefold()), None)
        if match is None:
            return Reply("agency_unknown", {"options": options})
        name = match
    elif len(name) > MAX_AGENCY_CHARS:  # no list to choose from: say so, and the limit
        return Reply("agency_too_long", {"most": MAX_AGENCY_CHARS})
    await services.peers.set_agency(peer.user_id, name)
    return Reply("agency_set", {"agency": name})


def same_agency(request: Request, peer: Peer) -> bool:
    """True when the responder asked for someone outside their agency and this peer is in it."""
    wanted_outside = request.intake.outside_agency and request.intake.agency
    return bool(wanted_outside and peer.agency
                and peer.agency.casefold() == (request.intake.agency or "").casefold())


async def eligible(services: Services, request: Request) -> list[Peer]:
    """On-call peers who may be told of this request: still in the peer group, not its
    responder, not of the agency the responder asked to avoid, not pausing after a high-risk
    conversation (bot/team/care.py: they can still claim from the group). Someone who left
    the group is taken off call."""
    chosen = []
    now = services.clock()
    for peer in await services.peers.on_call(now):
        if services.requests.is_responder_of(request, peer.user_id) or same_agency(request, peer):
            continue
        if peer.cooling_down(now):
            continue
        if not await team.is_member(services, peer.user_id, recent_is_enough=True):
            await take_off_call(services, peer.user_id)
            _log.info("a peer who left the peer group was taken off call")
            continue
        chosen.append(peer)
    return chosen


async def notify(services: Services, request: Request, peers: list[Peer]) -> int:
    """Tell each peer of a request, with a Claim button: a private notice, or a line in their
    digest while their chat is busy (bot/requests/digest.py), so a burst of requests does not
    queue a notice each at Telegram's one message a second per chat. How many were reached."""
    reached = 0
    for peer in peers:
        chat = peer.user_id
        listed = await services.digests.page_of(chat, request.id) is not None
        if listed or await services.outbox.busy(chat):  # (a request is listed there once)
            reached += await digest.add(services, chat, request)
        else:
            reached += await _notice(services, request, peer)
    return reached


async def _notice(services: Services, request: Request, peer: Peer) -> bool:
    texts = await services.texts_for(peer.user_id)
    text = texts("oncall_notice", card=render.card(request, services.settings.tz, texts))
    try:  # the outbox records the notice when it is sent, so a claim can rewrite it
        await services.outbox.send_text(peer.user_id, text, keyboards.claim(texts, request.id),
                                        purpose=Purpose.notice(request.id))
    except DeliveryError:
        _log.warning("request %s: an on-call peer could not be notified", request.code)
        return False
    return True
