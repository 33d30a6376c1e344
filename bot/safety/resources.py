"""The resources file (RESOURCES_FILE): crisis lines, the emergency number and a directory of
clinicians and programmes, read once at start and checked like any other setting.

Any text in it may be one string or a table of languages ({ en = "...", es = "..." }); a
missing language falls back to English, then to the first one given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources as package_files
from pathlib import Path
from typing import Any

from bot.platform import toml_file

DEFAULT_LANGUAGE = "en"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
MAX_FIELD_CHARS = 600  # an entry must fit in one message with its labels


class ResourcesError(ValueError):
    """The resources file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Localized:
    """One text in one or more languages."""

    by_language: Mapping[str, str]

    def get(self, language: str) -> str:
        return (self.by_language.get(language) or self.by_language.get(DEFAULT_LANGUAGE)
                or next(iter(self.by_language.values())))


@dataclass(frozen=True)
class CrisisLine:
    id: str
    name: Localized
    region: Localized
    contact: Localized
    hours: Localized | None


@dataclass(frozen=True)
class Clinician:
    """A licensed, trauma-informed clinician or programme a peer can refer a responder to."""

    id: str
    name: Localized
    offers: Localized
    experience: Localized  # with first responders
    languages: tuple[str, ...]
    contact: Localized
    cost: Localized  # free, insured, sliding scale...
    example: bool  # shipped placeholder the agency must replace


@dataclass(frozen=True)
class Resources:
    emergency_number: str
    crisis_action: Localized  # how the bot says it inside a sentence: "call or text 988"
    crisis_lines: tuple[CrisisLine, ...]
    directory: tuple[Clinician, ...]

    def clinician(self, entry_id: str) -> Clinician | None:
        return next((c for c in self.directory if c.id == entry_id), None)

    def common_texts(self, language: str) -> dict[str, str]:
        """The placeholders every catalog text may use: {crisis} and {emergency}."""
        return {"crisis": self.crisis_action.get(language), "emergency": self.emergency_number}


def shipped_file() -> Path:
    return Path(str(package_files.files("bot.safety").joinpath("resources.toml")))


def load(path: Path) -> Resources:
    """Read and check a resources file; ResourcesError says what to fix."""
    try:
        data = toml_file.read(path)
    except toml_file.TomlFileError as error:
        raise ResourcesError(str(error)) from None
    return parse(data)


def parse(data: Mapping[str, Any]) -> Resources:
    emergency = data.get("emergency_number")
    if not isinstance(emergency, str) or not emergency.strip():
        raise ResourcesError("needs emergency_number, e.g. emergency_number = \"911\"")
    lines = [_crisis_line(entry, where) for entry, where in _entries(data, "crisis_lines")]
    if not lines:
        raise ResourcesError("needs at least one [[crisis_lines]] entry")
    return Resources(
        emergency_number=emergency.strip(),
        crisis_action=_text(data, "crisis_action", "the top level"),
        crisis_lines=tuple(lines),
        directory=tuple(_clinician(entry, where) for entry, where in _entries(data, "directory")),
    )


def _entries(data: Mapping[str, Any], table: str) -> list[tuple[dict[str, Any], str]]:
    """The tables of one list, each with its place for error messages; ids checked."""
    raw = data.get(table, [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise ResourcesError(f"{table} must be a list of [[{table}]] tables")
    entries: list[tuple[dict[str, Any], str]] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        where = f"[[{table}]] entry {number}"
        entry_id = entry.get("id")
        if not isinstance(entry_id, str) or not _ID.match(entry_id):
            raise ResourcesError(f"{where} needs an id of 1-32 lowercase letters, digits or "
                                 f"dashes (got {entry_id!r})")
        if entry_id in seen:
            raise ResourcesError(f"{where}: the id {entry_id!r} is used twice")
        seen.add(entry_id)
        entries.append((entry, f"{where} ({entry_id})"))
    return entries


def _crisis_line(entry: Mapping[str, Any], where: str) -> CrisisLine:
    return CrisisLine(
        id=entry["id"], name=_text(entry, "name", where), region=_text(entry, "region", where),
        contact=_text(entry, "contact", where),
        hours=_text(entry, "hours", where) if "hours" in entry else None)


def _clinician(entry: Mapping[str, Any], where: str) -> Clinician:
    languages = entry.get("languages")
    if (not isinstance(languages, list) or not languages
            or not all(isinstance(x, str) and _LANGUAGE.match(x) for x in languages)):
        raise ResourcesError(f"{where}: languages must be a list of language codes such as "
                             f"[\"en\", \"es\"]")
    example = entry.get("example", False)
    if not isinstance(example, bool):
        raise ResourcesError(f"{where}: example must be true or false")
    return Clinician(
        id=entry["id"], name=_text(entry, "name", where), offers=_text(entry, "offers", where),
        experience=_text(entry, "first_responder_experience", where),
        languages=tuple(languages), contact=_text(entry, "contact", where),
        cost=_text(entry, "cost", where), example=example)


def _text(entry: Mapping[str, Any], key: str, where: str) -> Localized:
    value = entry.get(key)
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if (not isinstance(value, dict) or not value
            or not all(isinstance(k, str) and _LANGUAGE.match(k) for k in value)
            or not all(isinstance(v, str) and v.strip() for v in value.values())):
        raise ResourcesError(f"{where} needs {key}: a text, or a table of texts by language")
    too_long = [k for k, v in value.items() if len(v) > MAX_FIELD_CHARS]
    if too_long:
        raise ResourcesError(f"{where}: {key} is longer than {MAX_FIELD_CHARS} characters")
    return Localized({k: v.strip() for k, v in value.items()})
