"""The crisis screen's phrase files (bot/safety/screen/phrases/*.toml): they parse, say only what
the loader knows, name only fragments that exist, and every rule they hold is loaded."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from bot.safety.screen import rules
from bot.safety.screen.rules import CATEGORIES, KINDS, PHRASE_FILES, SHARED_FILE, RuleFileError

KNOWN_KEYS = {
    "category", "pattern", "strong", "weight", "kind", "negatable", "negated_inside",
    "first_person", "not_before", "not_after", "unless",
}


def phrase_files() -> list[tuple[str, str]]:
    folder = resources.files("bot.safety.screen") / "phrases"
    return [(name, (folder / name).read_text(encoding="utf-8")) for name in PHRASE_FILES]


@pytest.mark.parametrize("name", PHRASE_FILES)
def test_each_file_parses_and_says_only_what_the_loader_knows(name: str) -> None:
    text = dict(phrase_files())[name]
    data = tomllib.loads(text)
    assert set(data) <= {"fragments", "rule"}
    for fragment in data.get("fragments", {}):
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", fragment), fragment
    for position, rule in enumerate(data.get("rule", []), start=1):
        assert set(rule) <= KNOWN_KEYS, (name, position, set(rule) - KNOWN_KEYS)
        assert rule["category"] in CATEGORIES, (name, position)
        assert rule.get("kind", rule["category"]) in KINDS, (name, position)
    assert rules.read_rules([(name, text), *(f for f in phrase_files() if f[0] == SHARED_FILE)])


def test_every_rule_in_the_files_is_loaded_in_order() -> None:
    files = phrase_files()
    held = sum(len(tomllib.loads(text).get("rule", [])) for _, text in files)
    written = sum(len(re.findall(r"^\[\[rule\]\]$", text, re.MULTILINE)) for _, text in files)
    assert len(rules._RULES) == held == written
    assert rules.read_rules(files) == rules._RULES


def test_every_fragment_named_resolves() -> None:
    files = phrase_files()
    shared = tomllib.loads(dict(files)[SHARED_FILE]).get("fragments", {})
    for name, text in files:
        data = tomllib.loads(text)
        known = set(shared) | set(data.get("fragments", {}))
        for value in [*data.get("fragments", {}).values(), *(
            rule.get(key, "") for rule in data.get("rule", [])
            for key in ("pattern", "not_before", "not_after", "unless")
        )]:
            joined = value if isinstance(value, str) else "".join(value)
            for fragment in re.findall(r"\{([A-Z][A-Z0-9_]*)\}", joined):
                assert fragment in known, (name, fragment)
    # and no pattern keeps a brace the loader should have replaced
    for rule in rules._RULES:
        assert not re.search(r"\{[A-Z]", rule.pattern.pattern), rule.pattern.pattern


GOOD = """
[fragments]
GUN = '(?:gun|pistol)'

[[rule]]
category = "means"
pattern = 'my {GUN}'
strong = false
"""


def test_a_small_file_loads() -> None:
    (rule,) = rules.read_rules([("xx.toml", GOOD)])
    assert rule.pattern.pattern == r"\b(?:my (?:gun|pistol))\b"
    assert (rule.category, rule.kind, rule.strong, rule.weight) == ("means", "means", False, 1.0)


def test_shared_fragments_serve_every_file_and_a_list_is_joined() -> None:
    shared = "[fragments]\nEND = '(?= *(?:[|/]|$))'\n"
    text = "[[rule]]\ncategory = 'farewell'\npattern = ['good', 'bye{END}']\n"
    (rule,) = rules.read_rules([("xx.toml", text), (SHARED_FILE, shared)])
    assert rule.pattern.pattern == r"\b(?:goodbye(?= *(?:[|/]|$)))\b"


def test_quantifiers_are_not_fragments() -> None:
    text = "[[rule]]\ncategory = 'means'\npattern = '(?:\\w+ ){0,2}rope'\n"
    (rule,) = rules.read_rules([("xx.toml", text)])
    assert rule.pattern.pattern == r"\b(?:(?:\w+ ){0,2}rope)\b"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "negateable = true\n", "xx.toml, rule 1: unknown key 'negateable'"),
        (GOOD + "[[rule]]\ncategory = 'means'\npattern = 'rope'\nunles = 'x'\n",
         "xx.toml, rule 2: unknown key 'unles'"),
        (GOOD.replace("my {GUN}", "my {GUNS}"),
         "xx.toml, rule 1, pattern: unknown fragment {GUNS}"),
        (GOOD.replace("(?:gun|pistol)", "{RIFLE}"),
         "xx.toml, fragment GUN: unknown fragment {RIFLE}"),
        (GOOD.replace('"means"', '"mean"'), "xx.toml, rule 1: unknown category 'mean'"),
        (GOOD + 'kind = "planning"\n', "xx.toml, rule 1: unknown kind 'planning'"),
        (GOOD.replace("strong = false", 'strong = "no"'), "xx.toml, rule 1: strong must be"),
        (GOOD.replace("my {GUN}", "my (gun"), "xx.toml, rule 1: not a regular expression"),
        (GOOD.replace("[[rule]]", "[[rules]]"), "xx.toml: unknown table 'rules'"),
        (GOOD.replace("'(?:gun|pistol)'", "'{GUN}'"), "xx.toml, fragment GUN: refers to itself"),
        (GOOD + "pattern = 'twice'\n", "xx.toml: not valid TOML"),
    ],
)
def test_mistakes_are_errors_that_say_where(text: str, message: str) -> None:
    with pytest.raises(RuleFileError) as raised:
        rules.read_rules([("xx.toml", text)])
    assert str(raised.value).startswith(message), str(raised.value)
