"""Languages: taken from Telegram on first contact, changed with /language, used by timers
hours later, shown on the card; peers who speak it hear first; relayed words untouched."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import GROUP, Harness, in_group, peer, responder
from offline import Person

from bot.escalation import sweep

START = 1_800_000_000


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"escalation_schedule": (300.0, 900.0, 1800.0)}


def spanish(user_id: int = 918273605, name: str = "Lucía") -> Person:
    return Person(user_id, name, username="lucia_private", language_code="es-MX")


async def open_in_spanish(harness: Harness, person: Person, text: str) -> None:
    await harness.send(person.command("/start"))
    await harness.press(person, "^Hablar con")
    await harness.send(person.text(text))
    assert "Tu solicitud" in harness.texts_to(person.user_id)[-1]


async def test_a_spanish_app_gets_spanish_texts_and_the_card_says_so(harness: Harness) -> None:
    sam, lucia = peer(), spanish()
    await harness.register_peer(sam)
    await harness.send(lucia.command("/start"))
    welcome = harness.last_to(lucia.user_id)
    assert "Equipo de Apoyo entre Pares" in welcome.text
    assert next(b["text"] for b in welcome.buttons).startswith("Hablar con")
    await harness.press(lucia, "^Hablar con")
    assert "¿" in harness.texts_to(lucia.user_id)[-1]
    await harness.send(lucia.text("Fue un turno muy duro."))
    ack = harness.texts_to(lucia.user_id)[-1]
    assert "Tu solicitud" in ack and re.search(r"R-[2-9A-Z]{4}", ack)
    card = harness.last_to(GROUP)
    assert "Language: Spanish" in card.text and "Request R-" in card.text  # the group: English

    await harness.press(in_group(sam), "Claim", in_chat=GROUP)
    to_sam = harness.texts_to(sam.user_id)
    assert any("You have claimed" in t for t in to_sam)  # the peer reads English
    assert any(t.endswith(": Fue un turno muy duro.") for t in to_sam)  # never translated
    await harness.send(sam.text("Estoy aquí contigo."))
    assert harness.texts_to(lucia.user_id)[-1] == "Sam: Estoy aquí contigo."
    await harness.send(lucia.command("/end"))
    assert harness.texts_to(lucia.user_id)[-1].startswith("La conversación terminó.")
    assert "has ended" in harness.texts_to(sam.user_id)[-1]


async def test_language_fr_switches_a_running_conversation(harness: Harness) -> None:
    sam, alex = peer(), responder()
    code = await harness.claimed(alex, sam)
    await harness.send(alex.command("/language fr"))
    assert harness.texts_to(alex.user_id)[-1] == "Désormais, je vous écrirai en français."
    assert f"{code} now reads the bot's messages in French" in harness.texts_to(sam.user_id)[-1]
    await harness.send(alex.command("/help"))
    assert "/language" in harness.texts_to(alex.user_id)[-1]
    assert "Pour" in harness.texts_to(alex.user_id)[-1] or "vous" in harness.texts_to(
        alex.user_id)[-1]
    await harness.send(sam.command("/close"))
    closing = harness.texts_to(alex.user_id)[-2]  # before the offer of a check-in
    assert "Sam" in closing and "vous" in closing
    request = await harness.services.requests.get_by_code(code)
    assert request is not None and request.intake.language == "fr"


async def test_language_buttons(harness: Harness) -> None:
    alex = responder()
    await harness.send(alex.command("/language"))
    choice = harness.last_to(alex.user_id)
    assert [b["text"] for b in choice.buttons] == ["English", "Español", "Français"]
    await harness.press(alex, "^Español$")
    assert harness.texts_to(alex.user_id)[-1] == "A partir de ahora te escribiré en español."
    await harness.send(alex.command("/language klingon"))
    assert "en, es, fr" in harness.texts_to(alex.user_id)[-1]


async def test_timer_messages_hours_later_use_the_chosen_language(harness: Harness) -> None:
    harness.services.clock = lambda: START
    sam, lucia = peer(), spanish()
    await harness.register_peer(sam)
    await harness.send(sam.command("/oncall 8h"))
    await open_in_spanish(harness, lucia, "Necesito hablar.")
    await harness.services.timers.shutdown()
    harness.services._language_of.clear()  # as after a restart: only the database knows
    harness.services.clock = lambda: START + 300
    await sweep.sweep(harness.services)
    update = harness.last_to(lucia.user_id)
    assert update.text == harness.services.texts_in("es")(
        "responder_still_waiting", code=re.findall(r"R-[2-9A-Z]{4}", update.text)[0])
    assert "988" in update.text and [b["text"] for b in update.buttons] == [
        "Directorio de profesionales", "Seguir esperando"]


async def test_peers_who_speak_the_language_hear_first(harness: Harness) -> None:
    sam, kit = peer(2001, "Sam"), peer(2002, "Kit")
    for person in (sam, kit):
        await harness.register_peer(person)
        await harness.send(person.command("/oncall 8h"))
    await harness.send(kit.command("/languages es,en"))
    assert "Spanish, English" in harness.texts_to(kit.user_id)[-1]
    lucia = spanish()
    await open_in_spanish(harness, lucia, "Hola.")
    assert any("A new request is waiting" in t for t in harness.texts_to(kit.user_id))
    assert not any("A new request is waiting" in t for t in harness.texts_to(sam.user_id))
    alex = responder(918273606, "Alex")  # English: Kit lists it too, so Kit hears first again
    await harness.send(sam.command("/languages fr"))
    await harness.open_request(alex, "Hello.")
    notices = [t for t in harness.texts_to(sam.user_id) if "A new request is waiting" in t]
    assert notices == []
    await harness.send(kit.command("/languages none"))
    await harness.send(kit.command("/languages xx"))
    assert "es,en" in harness.texts_to(kit.user_id)[-1]


async def test_forget_removes_the_language_too(harness: Harness) -> None:
    lucia = spanish()
    await harness.send(lucia.command("/start"))
    assert await harness.services.languages.get(lucia.user_id) == "es"
    await harness.send(lucia.command("/forget"))
    await harness.press(lucia, "(?i)borrar|eliminar|sí")
    assert await harness.services.languages.get(lucia.user_id) is None
