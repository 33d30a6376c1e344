"""Saved replies: SNIPPETS_FILE checked at start (each way it can be wrong), /snippets for the
peer holding a conversation, and a tap that sends one exactly as a typed message goes."""

from __future__ import annotations

import secrets
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import GROUP, Clock, Harness, in_group, peer, responder
from offline import Person

from bot.platform.settings import ConfigError, encode_key, load_settings
from bot.requests import snippets_file
from bot.requests.snippets_file import MAX_NAME_CHARS, MAX_TEXT_CHARS, load, parse, shipped_file
from locales import LANGUAGES

GOOD_ENV = {"BOT_TOKEN": "123456:ABC-def_ghi", "PEER_GROUP_ID": "-1001234567890",
            "ENCRYPTION_KEYS": encode_key(secrets.token_bytes(32)),
            "INDEX_KEY": encode_key(secrets.token_bytes(32))}

CUSTOM = '''
[[snippets]]
name = { en = "Breathe", es = "Respira", fr = "Respirez" }
text.en = "Let's slow down together."
text.es = "Vamos a ir más despacio juntos."
text.fr = "Ralentissons ensemble."

[[snippets]]
name = "Coffee"
text = "Let's get a coffee after shift."
'''
ENGLISH, SPANISH = "Let's slow down together.", "Vamos a ir más despacio juntos."


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"snippets": parse(tomllib.loads(CUSTOM), "en")}


# ------------------------------------------------------------------ the file


def test_the_shipped_file_has_every_snippet_in_every_language() -> None:
    for language in LANGUAGES:  # so any DEFAULT_LANGUAGE accepts it
        shipped = load(shipped_file(), language)
        assert len(shipped.entries) >= 5
        for snippet in shipped.entries:
            assert set(snippet.names) == set(snippet.texts) == set(LANGUAGES)


def test_settings_default_to_the_shipped_file_and_take_an_agencys(tmp_path: Path) -> None:
    settings = load_settings(GOOD_ENV)
    assert settings.snippets_file == shipped_file()
    assert settings.snippets.entries[0].name("es") == "Gracias por escribir"
    path = tmp_path / "snippets.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    settings = load_settings({**GOOD_ENV, "SNIPPETS_FILE": str(path)})
    breathe, coffee = settings.snippets.entries
    assert (breathe.name("fr"), breathe.text("es")) == ("Respirez", SPANISH)
    assert (coffee.name("fr"), coffee.text("es")) == ("Coffee", "Let's get a coffee after shift.")


def test_a_plain_string_is_in_the_default_language(tmp_path: Path) -> None:
    path = tmp_path / "snippets.toml"
    path.write_text('[[snippets]]\nname = "Calma"\ntext = "Vamos con calma."\n', encoding="utf-8")
    settings = load_settings({**GOOD_ENV, "SNIPPETS_FILE": str(path), "DEFAULT_LANGUAGE": "es"})
    [snippet] = settings.snippets.entries
    assert snippet.names == {"es": "Calma"} and snippet.text("en") == "Vamos con calma."


def test_the_key_changes_with_the_text() -> None:
    before = parse(tomllib.loads(CUSTOM), "en").entries[0]
    after = parse(tomllib.loads(CUSTOM.replace("slow down", "go slowly")), "en").entries[0]
    assert before.key != after.key and len(before.key) == 12


ENTRY = '[[snippets]]\nname = "{name}"\ntext = "{text}"\n'


@pytest.mark.parametrize(("content", "env", "why"), [
    ("[[snippets]\nname = ", {}, "is not valid TOML"),
    ('[[snippets]]\ntext = "Hello"\n', {}, "entry 1 needs a name"),
    ('[[snippets]]\nname = ""\ntext = "Hello"\n', {}, "entry 1 needs a name"),
    ('[[snippets]]\nname = "Hi"\n', {}, "entry 1 ('Hi') needs a text"),
    ('[[snippets]]\nname = "Hi"\ntext = { es = "Hola" }\n', {},
     "has no text in en, the DEFAULT_LANGUAGE"),
    ('[[snippets]]\nname = { en = "Hi" }\ntext = { en = "Hello" }\n', {"DEFAULT_LANGUAGE": "fr"},
     "has no name in fr, the DEFAULT_LANGUAGE"),
    (ENTRY.format(name="Hi", text="x" * (MAX_TEXT_CHARS + 1)), {},
     f"is {MAX_TEXT_CHARS + 1} characters long; at most {MAX_TEXT_CHARS}"),
    (ENTRY.format(name="N" * (MAX_NAME_CHARS + 1), text="Hello"), {},
     "too long for a button"),
    (ENTRY.format(name="Hi", text="Hello") + ENTRY.format(name="hi", text="Hey"), {},
     "entry 2 ('hi'): the name 'hi' is also the name of entry 1"),
    ('[[snippets]]\nname = "Hi"\ntext = "Hello"\ntxt = "Hey"\n', {}, "unknown key 'txt'"),
    ('[[snippets]]\nname = "Hi"\ntext = { en = "Hello", de = "Hallo" }\n', {},
     "its text is in 'de', not a language the bot speaks"),
    ('[[snippet]]\nname = "Hi"\ntext = "Hello"\n', {}, "may hold only [[snippets]] tables"),
    ('snippets = "Hello"\n', {}, "must be a list of [[snippets]] tables"),
    ("".join(ENTRY.format(name=f"N{i}", text="Hello") for i in range(31)), {}, "at most 30"),
])
def test_a_bad_file_stops_the_bot_with_one_line(tmp_path: Path, content: str,
                                                env: dict[str, str], why: str) -> None:
    path = tmp_path / "snippets.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings({**GOOD_ENV, **env, "SNIPPETS_FILE": str(path)})
    [problem] = caught.value.problems
    assert problem.startswith("SNIPPETS_FILE ") and why in problem, problem
    assert "\n" not in problem


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({**GOOD_ENV, "SNIPPETS_FILE": str(tmp_path / "nope.toml")})
    assert caught.value.problems == [
        f"SNIPPETS_FILE names a file that does not exist: {tmp_path / 'nope.toml'}"]


def test_an_empty_file_means_no_snippets(tmp_path: Path) -> None:
    path = tmp_path / "snippets.toml"
    path.write_text("# none yet\n", encoding="utf-8")
    assert load_settings({**GOOD_ENV, "SNIPPETS_FILE": str(path)}).snippets.entries == ()
    assert snippets_file.parse({}, "en").entries == ()


# ------------------------------------------------------------------ /snippets and a tap

PICKER = 501  # the message id the picker's buttons are pressed on


async def _picker(harness: Harness, person: Person) -> list[str]:
    await harness.send(person.command("/snippets"))
    return [button["text"] for button in harness.last_to(person.user_id).buttons]


async def _tap(harness: Harness, person: Person, label: str, message_id: int = PICKER,
               owner: Person | None = None) -> str:
    """`person` presses the newest button `label` of `owner`'s chat; the answer it got."""
    data, _ = harness.button((owner or person).user_id, label)
    await harness.send(person.press(data, message_id))
    return harness.request.answers()[-1]


async def test_snippets_shows_the_names_in_the_peers_language(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    assert await _picker(harness, sam) == ["Breathe", "Coffee"]
    assert harness.texts_to(sam.user_id)[-1].startswith(f"Saved replies for {code}.")
    await harness.send(sam.command("/language es"))
    assert await _picker(harness, sam) == ["Respira", "Coffee"]
    assert harness.texts_to(sam.user_id)[-1].startswith(f"Respuestas guardadas para {code}.")


async def test_a_tap_reaches_the_responder_as_if_the_peer_wrote_it(harness: Harness,
                                                                   clock: Clock) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    await _picker(harness, sam)
    clock.now += 60
    assert await _tap(harness, sam, "^Breathe$") == ""
    assert harness.texts_to(alex.user_id)[-1] == f"Sam: {ENGLISH}"
    confirmation = harness.last_to(sam.user_id)
    assert confirmation.method == "editMessageText"
    assert int(confirmation.params["message_id"]) == PICKER and not confirmation.buttons
    assert confirmation.text == f"Sent to {code}, signed Sam:\n\n{ENGLISH}"
    # Kept sealed like a typed message, under the alias; the peer's activity noted.
    request = await harness.services.requests.get_by_code(code)
    assert request is not None
    last = (await harness.services.messages.conversation(request.id))[-1]
    assert (last.sender, last.alias, last.text) == ("peer", "Sam", ENGLISH)
    stored = await harness.services.peers.get(sam.user_id)
    assert stored is not None and stored.last_active_at == clock.now
    # The database holds no plain text of it.
    rows = await harness.services.db.fetch_all(
        "SELECT body FROM messages WHERE request_id = ?", (request.id,))
    assert all(ENGLISH.encode() not in bytes(row["body"]) for row in rows)


async def test_the_text_goes_in_the_responders_language_else_the_default(
        harness: Harness) -> None:
    sam, lucia = peer(), responder(918273605, "Lucía")
    await harness.claimed(lucia, sam)
    await harness.send(lucia.command("/language es"))
    await _picker(harness, sam)
    await _tap(harness, sam, "^Breathe$")
    assert harness.texts_to(lucia.user_id)[-1] == f"Sam: {SPANISH}"
    await _picker(harness, sam)
    await _tap(harness, sam, "^Coffee$", message_id=PICKER + 1)  # English only: the default
    assert harness.texts_to(lucia.user_id)[-1] == "Sam: Let's get a coffee after shift."


async def test_one_reply_per_picker(harness: Harness) -> None:
    sam, alex = peer(), responder()
    await harness.claimed(alex, sam)
    await _picker(harness, sam)
    await _tap(harness, sam, "^Breathe$")
    assert (await _tap(harness, sam, "^Coffee$")).startswith("Already sent")
    assert harness.count(alex.user_id, "Sam: ") == 1


async def test_stale_buttons_send_nothing_and_say_why(harness: Harness) -> None:
    sam, alex, robin = peer(), responder(), responder(918273602, "Robin")
    first = await harness.claimed(alex, sam)
    await _picker(harness, sam)
    data, _ = harness.button(sam.user_id, "^Breathe$")
    request_id = data.split(":")[1]
    # A snippet no longer in the file (it changed since the buttons were shown).
    await harness.send(sam.press(f"sn:{request_id}:{'0' * 12}", PICKER))
    assert harness.request.answers()[-1].startswith("That saved reply is no longer in the list")
    # The peer now writes to another conversation.
    second = await harness.open_request(robin)
    claim_data, message_id = harness.button(GROUP, "Claim")
    await harness.send(in_group(sam).press(claim_data, message_id))
    await harness.send(sam.command(f"/switch {second}"))
    await harness.send(sam.press(data, PICKER))
    assert harness.request.answers()[-1].startswith(f"You no longer write to {first}")
    # The conversation ended.
    await harness.send(sam.command(f"/close {first}"))
    await harness.send(sam.press(data, PICKER))
    assert harness.request.answers()[-1].startswith("That conversation has ended")
    assert harness.count(alex.user_id, "Sam: ") == 0


async def test_someone_elses_press_sends_nothing(harness: Harness) -> None:
    sam, alex, kit = peer(), responder(), peer(2002, "Kit")
    await harness.claimed(alex, sam)
    await harness.register_peer(kit)
    await _picker(harness, sam)
    assert (await _tap(harness, kit, "^Breathe$", owner=sam)).startswith(
        "This conversation is not yours")
    assert (await _tap(harness, responder(918273603, "Jo"), "^Breathe$", owner=sam)).startswith(
        "This conversation is not yours")
    assert harness.count(alex.user_id, "Sam: ") == 0 and harness.count(alex.user_id, "Kit: ") == 0


async def test_snippets_without_a_conversation_or_from_anyone_else(harness: Harness) -> None:
    sam, stranger = peer(), responder(918273604, "Robin")
    await harness.register_peer(sam)
    await harness.send(sam.command("/snippets"))
    assert harness.texts_to(sam.user_id)[-1].startswith("You have no open conversation.")
    await harness.send(stranger.command("/snippets"))
    assert harness.texts_to(stranger.user_id)[-1] == (
        "This command is for peers of the Peer Support Team.")
    await harness.send(in_group(sam).command("/snippets"))
    assert "private chat with me" in harness.texts_to(GROUP)[-1]
    assert not [call for call in harness.request.calls if call.buttons
                and call.buttons[0].get("callback_data", "").startswith("sn:")]


async def test_a_refused_delivery_says_so_on_the_picker(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    await _picker(harness, sam)
    harness.request.blocked.add(alex.user_id)
    await _tap(harness, sam, "^Breathe$")
    assert harness.last_to(sam.user_id).text.startswith(f"Not delivered: the responder of {code}")
