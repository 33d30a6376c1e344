"""What /resources shows: crisis lines first, then the clinician directory, browsed with
buttons in one message that is edited in place. Peers pick from the same pages with /refer.

Callback data carries only page numbers and directory ids (never who pressed or why):
  rb:top              the crisis lines
  rb:p<page>          a page of the directory
  rb:e:<id>:<page>    one entry, with the way back to its page
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.platform import keyboards
from bot.requests import render
from bot.safety.resources import Clinician, Resources
from locales import Texts

PAGE_SIZE = 6
BROWSE_PATTERN = re.compile(r"^rb:(?:(top)|p(\d{1,3})|e:([a-z0-9-]{1,32}):(\d{1,3}))$")

View = tuple[str, InlineKeyboardMarkup]


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def crisis_lines(resources: Resources, texts: Texts) -> View:
    """The first screen: the emergency number and every crisis line, then the way on."""
    language = texts.language
    lines = []
    for line in resources.crisis_lines:
        values = {"name": line.name.get(language), "region": line.region.get(language),
                  "contact": line.contact.get(language)}
        if line.hours is None:
            lines.append(texts("resources_line", **values))
        else:
            lines.append(texts("resources_line_hours", hours=line.hours.get(language), **values))
    keyboard = InlineKeyboardMarkup([[_button(texts("btn_clinicians"), "rb:p0")],
                                     [_button(texts("btn_talk"), keyboards.TALK)]])
    return texts("resources", lines="\n".join(lines)), keyboard


def pages(resources: Resources) -> int:
    return max(1, -(-len(resources.directory) // PAGE_SIZE))


def page_entries(resources: Resources, page: int) -> tuple[Clinician, ...]:
    return resources.directory[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]


def navigation(texts: Texts, page: int, count: int, data: str) -> list[InlineKeyboardButton]:
    """Previous/next buttons around `page`; `data` is formatted with the page number."""
    row = []
    if page > 0:
        row.append(_button(texts("btn_previous"), data.format(page - 1)))
    if page + 1 < count:
        row.append(_button(texts("btn_next"), data.format(page + 1)))
    return row


def directory_page(resources: Resources, texts: Texts, page: int) -> View:
    if not resources.directory:
        return texts("directory_empty"), InlineKeyboardMarkup(
            [[_button(texts("btn_crisis_lines"), "rb:top")]])
    page = min(page, pages(resources) - 1)
    rows = [[_button(entry.name.get(texts.language), f"rb:e:{entry.id}:{page}")]
            for entry in page_entries(resources, page)]
    nav = navigation(texts, page, pages(resources), "rb:p{}")
    rows += [nav] if nav else []
    rows.append([_button(texts("btn_crisis_lines"), "rb:top")])
    text = texts("directory_page", page=page + 1, pages=pages(resources))
    return text, InlineKeyboardMarkup(rows)


def entry_view(resources: Resources, texts: Texts, entry_id: str, page: int) -> View | None:
    entry = resources.clinician(entry_id)
    if entry is None:
        return None  # the file changed since the button was made
    keyboard = InlineKeyboardMarkup([[_button(texts("btn_back_to_directory"), f"rb:p{page}")],
                                     [_button(texts("btn_crisis_lines"), "rb:top")]])
    return details(entry, texts), keyboard


def browse(resources: Resources, texts: Texts, data: str) -> View | None:
    """The view a browsing button asks for, or None if the button is stale."""
    match = BROWSE_PATTERN.match(data)
    if match is None:
        return None
    top, page, entry_id, back_page = match.groups()
    if top:
        return crisis_lines(resources, texts)
    if page is not None:
        return directory_page(resources, texts, int(page))
    return entry_view(resources, texts, entry_id, int(back_page))


def details(entry: Clinician, texts: Texts) -> str:
    """One directory entry as a responder reads it."""
    language = texts.language
    text = texts("clinician_details", name=entry.name.get(language),
                 offers=entry.offers.get(language), experience=entry.experience.get(language),
                 languages=", ".join(render.language_name(code, language)
                                     for code in entry.languages),
                 cost=entry.cost.get(language), contact=entry.contact.get(language))
    return texts("clinician_example", details=text) if entry.example else text

