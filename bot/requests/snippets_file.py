"""The snippets file (SNIPPETS_FILE): saved replies a claiming peer sends with /snippets, read
once at start and checked like any other setting.

    [[snippets]]
    name = { en = "Take your time", es = "Sin prisa", fr = "Prenez votre temps" }
    text = { en = "No rush...", es = "Sin prisa...", fr = "Rien ne presse..." }

A name or a text may also be one string: it is then in DEFAULT_LANGUAGE. Every snippet needs
both in DEFAULT_LANGUAGE, which is what a language it lacks falls back to. A snippet is known
by a digest of its names and texts (`key`), so a button shown before the file changed never
sends a text its peer did not choose: it finds nothing, and says so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources as package_files
from pathlib import Path
from typing import Any

from bot.platform import toml_file
from locales import LANGUAGES

MAX_NAME_CHARS = 40  # a button's label: longer ones are cut off on a phone
MAX_TEXT_CHARS = 1000  # a saved reply is short; the relay itself takes up to 4000
MAX_SNIPPETS = 30  # one button a row: more would not fit a screen
_KEYS = frozenset({"name", "text"})


class SnippetsError(ValueError):
    """The snippets file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Snippet:
    key: str  # a digest of its names and texts: what its button carries
    names: Mapping[str, str]
    texts: Mapping[str, str]
    default_language: str

    def name(self, language: str) -> str:
        """Its button label in `language`, else in DEFAULT_LANGUAGE."""
        return self.names.get(language) or self.names[self.default_language]

    def text(self, language: str) -> str:
        """What it says in `language`, else in DEFAULT_LANGUAGE."""
        return self.texts.get(language) or self.texts[self.default_language]


@dataclass(frozen=True)
class Snippets:
    entries: tuple[Snippet, ...]

    def get(self, key: str) -> Snippet | None:
        return next((s for s in self.entries if s.key == key), None)


def shipped_file() -> Path:
    return Path(str(package_files.files("bot.requests").joinpath("snippets.toml")))


def load(path: Path, default_language: str) -> Snippets:
    """Read and check a snippets file; SnippetsError says what to fix."""
    try:
        data = toml_file.read(path)
    except toml_file.TomlFileError as error:
        raise SnippetsError(str(error)) from None
    return parse(data, default_language)


def parse(data: Mapping[str, Any], default_language: str) -> Snippets:
    unknown = sorted(set(data) - {"snippets"})
    if unknown:
        raise SnippetsError(f"may hold only [[snippets]] tables, not {unknown[0]!r}")
    raw = data.get("snippets", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise SnippetsError("snippets must be a list of [[snippets]] tables")
    if len(raw) > MAX_SNIPPETS:
        raise SnippetsError(f"holds {len(raw)} snippets; at most {MAX_SNIPPETS} fit the buttons")
    entries: list[Snippet] = []
    seen: dict[tuple[str, str], int] = {}  # (language, name) -> its entry
    for number, entry in enumerate(raw, start=1):
        where = f"[[snippets]] entry {number}"
        strange = sorted(set(entry) - _KEYS)
        if strange:
            raise SnippetsError(f"{where} has an unknown key {strange[0]!r} (a snippet has a "
                                f"name and a text)")
        names = _texts(entry, "name", where, default_language)
        where = f"{where} ({names[default_language]!r})"
        texts = _texts(entry, "text", where, default_language)
        for language, name in names.items():
            if len(name) > MAX_NAME_CHARS:
                raise SnippetsError(f"{where}: the name in {language} is longer than "
                                    f"{MAX_NAME_CHARS} characters, too long for a button")
            other = seen.setdefault((language, name.casefold()), number)
            if other != number:
                raise SnippetsError(f"{where}: the name {name!r} is also the name of entry "
                                    f"{other}")
        for language, text in texts.items():
            if len(text) > MAX_TEXT_CHARS:
                raise SnippetsError(f"{where}: the text in {language} is {len(text)} "
                                    f"characters long; at most {MAX_TEXT_CHARS}")
        entries.append(Snippet(_digest(names, texts), names, texts, default_language))
    return Snippets(tuple(entries))


def _texts(entry: Mapping[str, Any], key: str, where: str, default_language: str,
           ) -> dict[str, str]:
    """A name or a text: one string (in DEFAULT_LANGUAGE) or a table of texts by language."""
    value = entry.get(key)
    if isinstance(value, str):
        value = {default_language: value}
    if (not isinstance(value, dict) or not value
            or not all(isinstance(v, str) and v.strip() for v in value.values())):
        raise SnippetsError(f"{where} needs a {key}: a text, or a table of texts by language "
                            f"such as {{ en = \"...\", es = \"...\" }}")
    strange = [language for language in value if language not in LANGUAGES]
    if strange:
        raise SnippetsError(f"{where}: its {key} is in {strange[0]!r}, not a language the bot "
                            f"speaks ({', '.join(LANGUAGES)})")
    if default_language not in value:
        raise SnippetsError(f"{where} has no {key} in {default_language}, the DEFAULT_LANGUAGE: "
                            f"every snippet needs one")
    if key == "name":  # a label: one line
        return {language: " ".join(v.split()) for language, v in value.items()}
    return {language: v.strip() for language, v in value.items()}


def _digest(names: Mapping[str, str], texts: Mapping[str, str]) -> str:
    canonical = json.dumps([names, texts], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]
