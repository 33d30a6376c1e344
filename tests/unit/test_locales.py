"""Every text a person reads comes from the catalogs, and the catalogs match the code."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.oversight import tools as oversight
from bot.platform import keyboards
from bot.platform.language import RESPONDER_COMMANDS
from bot.team.members import PEER_COMMANDS
from locales import LANGUAGES, Texts, catalog_path
from storage.requests import RiskSource

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py")])
# Calls whose first string argument is a catalog key.
_KEY_CALLS = re.compile(r'(?<!\w)(?:texts|Reply|Answer|texts\.plural)\(\s*"([a-z_]+)"')
_CARD_KEYS = re.compile(r'cards\.rewrite\([^,]+,[^,]+,\s*"([a-z_]+)"')
_SENDING = {"send_text": 1, "edit_text": 2, "copy": 3, "answer": 1}


def catalog(language: str = "en") -> dict[str, str | tuple[str, ...]]:
    with catalog_path(language).open("rb") as po:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string
                for m in read_po(po) if m.id}


def keys_in_code() -> set[str]:
    found: set[str] = set()
    for source in SOURCES:
        text = source.read_text()
        found |= set(_KEY_CALLS.findall(text)) | set(_CARD_KEYS.findall(text))
    # Keys built from a fixed vocabulary.
    found |= {f"btn_urgency_{u}" for u in keyboards.URGENCIES}
    found |= {f"urgency_{u}" for u in keyboards.URGENCIES}
    found |= {f"btn_safety_{a}" for a in keyboards.SAFETY_ANSWERS}
    found |= {f"risk_why_{source.value}" for source in RiskSource}
    found |= {f"discipline_{d}" for d in keyboards.DISCIPLINES}
    found |= {f"cmd_{c}" for c in RESPONDER_COMMANDS}
    found |= {f"cmd_{'peer_start' if c == 'start' else c}" for c in PEER_COMMANDS}
    found |= {f"cmd_{c}" for c in oversight.COORDINATOR_COMMANDS}
    found |= {f"audit_action_{a}" for a in oversight.AUDIT_ACTIONS}
    found |= {f"audit_actor_{a}" for a in oversight.AUDIT_ACTORS}
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_used_in_code_is_in_the_catalog() -> None:
    missing = keys_in_code() - set(catalog())
    assert not missing


def string_constants() -> set[str]:
    return {node.value for source in SOURCES for node in ast.walk(ast.parse(source.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_catalog_entry_is_used() -> None:
    unused = set(catalog()) - keys_in_code() - string_constants()
    assert not unused


def test_plural_forms_agree_on_placeholders() -> None:
    for key, value in catalog().items():
        if isinstance(value, tuple):
            assert len({frozenset(placeholders(v)) for v in value}) == 1, key
        else:
            assert value.strip(), f"{key} has no text"


def test_no_text_is_hard_coded_where_messages_are_sent() -> None:
    """A literal string or f-string passed as the text of a send is a hard-coded message."""
    offenders = []
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            position = _SENDING.get(node.func.attr)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.JoinedStr) or (
                    isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                offenders.append(f"{source.name}:{node.lineno}")
    assert not offenders


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_translation_has_every_key_and_the_same_placeholders(language: str) -> None:
    english, translated = catalog(), catalog(language)
    assert set(translated) == set(english), set(translated) ^ set(english)
    for key, text in english.items():
        forms = text if isinstance(text, tuple) else (text,)
        other = translated[key]
        other_forms = other if isinstance(other, tuple) else (other,)
        assert len(other_forms) == len(forms), key
        for mine, theirs in zip(forms, other_forms, strict=True):
            assert theirs.strip(), f"{language}: {key} is empty"
            assert placeholders(theirs) == placeholders(mine), f"{language}: {key}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_renders_and_buttons_stay_short(language: str) -> None:
    """Each catalog compiles, every text formats with its placeholders, and button labels
    fit a phone screen."""
    texts = Texts(language, common={"crisis": "call or text 988", "emergency": "911"})
    for key, text in catalog(language).items():
        first = text[0] if isinstance(text, tuple) else text
        given = {"crisis", "emergency"} | ({"count"} if isinstance(text, tuple) else set())
        values = dict.fromkeys(placeholders(first) - given, "x")
        rendered = texts.plural(key, 2, **values) if isinstance(text, tuple) else texts(
            key, **values)
        assert rendered.strip()
        if key.startswith("btn_") and not values:
            assert len(rendered) <= 40, f"{language}: {key} is {len(rendered)} characters"
