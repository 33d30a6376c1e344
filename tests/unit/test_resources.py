"""The resources file: the shipped default, per-language texts, and clear errors for bad files."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from bot.platform.settings import ConfigError, encode_key, load_settings
from bot.safety.resources import load, shipped_file

GOOD_ENV = {"BOT_TOKEN": "123456:ABC-def_ghi", "PEER_GROUP_ID": "-1001234567890",
            "ENCRYPTION_KEYS": encode_key(secrets.token_bytes(32)),
            "INDEX_KEY": encode_key(secrets.token_bytes(32))}

MINIMAL = '''
emergency_number = "999"
crisis_action = { en = "call Samaritans on 116 123", fr = "appelez le 116 123" }

[[crisis_lines]]
id = "samaritans"
name = "Samaritans"
region = "United Kingdom"
contact = "Call 116 123"
'''


def test_the_shipped_file_has_988_911_and_marked_examples() -> None:
    shipped = load(shipped_file())
    assert shipped.emergency_number == "911"
    assert shipped.crisis_action.get("en") == "call or text 988"
    assert shipped.crisis_lines[0].contact.get("en").startswith("Call or text 988")
    assert shipped.directory and all(entry.example for entry in shipped.directory)
    assert all("EXAMPLE" in entry.name.get("en") for entry in shipped.directory)


def test_settings_default_to_the_shipped_file() -> None:
    settings = load_settings(GOOD_ENV)
    assert settings.resources_file == shipped_file()
    assert settings.resources.common_texts("en") == {"crisis": "call or text 988",
                                                      "emergency": "911"}


def test_an_agency_file_changes_the_crisis_line_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "resources.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    settings = load_settings({**GOOD_ENV, "RESOURCES_FILE": str(path)})
    resources = settings.resources
    assert resources.common_texts("fr") == {"crisis": "appelez le 116 123", "emergency": "999"}
    assert resources.common_texts("es")["crisis"] == "call Samaritans on 116 123"  # English
    assert resources.directory == ()


@pytest.mark.parametrize(("content", "why"), [
    ("emergency_number = ", "is not valid TOML"),
    (MINIMAL.replace('emergency_number = "999"', ""), "needs emergency_number"),
    (MINIMAL.replace('id = "samaritans"', 'id = "Not An Id"'), "needs an id"),
    (MINIMAL.replace('contact = "Call 116 123"', ""), "needs contact"),
    (MINIMAL + '\n[[directory]]\nid = "x"\nname = "X"\n', "languages must be a list"),
    (MINIMAL + MINIMAL.split("\n", 3)[3].replace("[[crisis_lines]]", "[[crisis_lines]]"),
     "used twice"),
    ('emergency_number = "911"\ncrisis_action = "call 988"\n', "at least one [[crisis_lines]]"),
])
def test_a_bad_file_stops_the_bot_and_says_why(tmp_path: Path, content: str, why: str) -> None:
    path = tmp_path / "resources.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings({**GOOD_ENV, "RESOURCES_FILE": str(path)})
    [problem] = caught.value.problems
    assert problem.startswith("RESOURCES_FILE ") and why in problem


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({**GOOD_ENV, "RESOURCES_FILE": str(tmp_path / "nope.toml")})
    assert caught.value.problems == [
        f"RESOURCES_FILE names a file that does not exist: {tmp_path / 'nope.toml'}"]
