"""Texts built from a request: the group card and the peer's intake summary.

Only the request code and the intake answers appear: never a name, id or message text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime

from locales import Texts
from storage.requests import Request


def opened_at(request: Request, tz: ZoneInfo, texts: Texts) -> str:
    stamp = request.opened_at or request.created_at
    moment = datetime.fromtimestamp(stamp, UTC).astimezone(tz)
    return format_datetime(moment, "d MMM, HH:mm zzz", locale=texts.language)


def intake_fields(request: Request, tz: ZoneInfo, texts: Texts) -> dict[str, str]:
    """The card's placeholders: code, urgency, discipline, agency preference, opening time,
    language."""
    answers = request.intake
    if answers.outside_agency is None:
        agency = texts("not_given")
    else:
        agency = texts("agency_outside" if answers.outside_agency else "agency_any")
    return {
        "code": request.code,
        "urgency": texts(f"urgency_{answers.urgency}") if answers.urgency else texts("not_given"),
        "discipline": (texts(f"discipline_{answers.discipline}") if answers.discipline
                       else texts("not_given")),
        "agency": agency,
        "opened": opened_at(request, tz, texts),
        "language": (language_name(answers.language, texts.language) if answers.language
                     else texts("not_given")),
    }


def language_name(code: str, in_language: str) -> str:
    """"es" as "Spanish" for an English reader, "Español" for a Spanish one."""
    try:
        name = Locale.parse(code).get_language_name(in_language) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def card(request: Request, tz: ZoneInfo, texts: Texts) -> str:
    """The card; a request flagged high risk (the screen, the safety question, /urgent) says
    URGENT first; a follow-up after a check-in says so."""
    text = texts("card", **intake_fields(request, tz, texts))
    if request.intake.followup:  # "Talk to a peer again" on a check-in
        text = texts("card_followup", card=text)
    return texts("card_urgent", card=text) if request.high_risk else text
