"""Spanish and French against the real bot: the language comes from Telegram's language_code on
first contact or from /language, it is kept for every later text (timer-driven ones too, even
after a restart), the group card names it, peers who speak it hear first, and what people
write to each other is passed on exactly as written.

Expected texts are rendered from the project's own catalogs (locales/*/LC_MESSAGES) with the
shipped resources' crisis line, and a few literal phrases guard against a catalog that is
itself untranslated.
"""

from __future__ import annotations

import re
import time
from functools import cache
from typing import Any

from bot.safety.resources import load, shipped_file
from locales import Texts

from .harness import (
    CODE,
    GROUP_ID,
    WAIT,
    Emulator,
    Peer,
    StartBot,
    User,
    answers,
    calls,
    go_on_call,
    labels,
    message_by_id,
    open_request,
    peer,
    register,
    texts,
    wait_for_answer,
    wait_until,
)

# Responders: inside RESPONDER_IDS and used by no other e2e file. Peers: 2301 and up.
LUCIA_ID = 918273702  # es-MX, the whole flow in Spanish
ALEX_ID = 918273703  # en-US, switches to French mid-conversation
MARISOL_ID = 918273704  # es-CO, waits across a restart
PILAR_ID = 918273705  # es-AR, heard first by a Spanish-speaking peer
CLAUDE_ID = 918273706  # fr-CA, French welcome, then English by button
INES_ID = 918273707  # es-ES, switches to French while her request waits

NOTICE_EN = "A new request is waiting, and you are on call."
MARK = "CODEMARK"  # stands for a request code while a text is turned into a pattern


# --- The catalogs ---------------------------------------------------------------------------


@cache
def _texts(language: str) -> Texts:
    """The texts as the bot renders them for a reader of `language` (shipped resources)."""
    return Texts(language, common=load(shipped_file()).common_texts(language))


def _say(language: str, key: str, /, **values: object) -> str:
    return _texts(language)(key, **values)


def _exactly(text: str) -> str:
    """A wait_for pattern matching this whole text and nothing else."""
    return rf"\A{re.escape(text)}\Z"


def _with_code(language: str, key: str, /, **values: object) -> str:
    """A pattern for a text whose {code} is not known yet; the code is group 1."""
    escaped = re.escape(_say(language, key, code=MARK, **values))
    return r"\A" + escaped.replace(MARK, f"({CODE})", 1) + r"\Z"


# --- People and steps -----------------------------------------------------------------------


def _person(emu: Emulator, user_id: int, name: str, language_code: str | None) -> User:
    return emu.user(user_id, name, username=None, language_code=language_code)


def _peer_speaking(emu: Emulator, user_id: int, name: str, language_code: str) -> Peer:
    """A peer whose Telegram app is in another language (private chat and group alike)."""
    return Peer(emu.user(user_id, name, language_code=language_code),
                emu.user(user_id, name, chat_id=GROUP_ID, chat_type="supergroup",
                         language_code=language_code))


def _peer_closes(person: Peer, responder_: User, code: str, language: str) -> dict[str, Any]:
    """The peer (who reads English) closes the conversation; what the responder, who reads
    `language`, is shown then."""
    at_peer, at_responder = len(person.private.inbox()), len(responder_.inbox())
    person.private.command("/close")
    person.private.wait_for(_exactly(_say("en", "peer_closed_done", code=code)), timeout=WAIT,
                            after=at_peer)
    return dict(responder_.wait_for(_exactly(_say(language, "closed_by_peer",
                                                  alias=person.alias)),
                                    timeout=WAIT, after=at_responder))


def _on_call(person: Peer, started: str = r"^You are on call until") -> None:
    go_on_call(person, "8h", told=started)


def _open_in_spanish(person: User, first_message: str) -> tuple[str, dict[str, Any]]:
    """/start, the intake in Spanish (Hoy, Me da igual, Bomberos), the first message: the code
    and the acknowledgement. Every question and button is checked against the es catalog."""
    at = len(person.inbox())
    person.command("/start")
    welcome = person.wait_for(_exactly(_say("es", "welcome")), timeout=WAIT, after=at)
    assert welcome["text"].startswith("Hola, y gracias por escribirnos.")
    assert labels(welcome) == ["Hablar con un compañero de apoyo", "Recursos"]

    question = len(person.inbox())
    person.press(r"^Hablar con un compañero de apoyo$")
    urgency = person.wait_for(_exactly(_say("es", "intake_urgency", steps=3)), timeout=WAIT,
                              after=question)
    assert urgency["text"].startswith("¿Qué tan pronto te gustaría hablar?")
    assert labels(urgency) == ["Ahora", "Hoy", "Esta semana", "Omitir"]
    person.press(r"^Hoy$")
    safety = person.wait_for(_exactly(_say("es", "intake_safety", step=2, steps=3)),
                             timeout=WAIT, after=question)
    assert labels(safety) == ["Sí", "No estoy seguro/a", "No", "Omitir"]
    person.press(r"^No$")
    agency = person.wait_for(_exactly(_say("es", "intake_agency", step=3, steps=3)),
                             timeout=WAIT, after=question)
    assert labels(agency) == ["Sí, de otra institución", "Me da igual", "Omitir"]
    person.press(r"^Me da igual$")
    message = person.wait_for(_exactly(_say("es", "intake_message")), timeout=WAIT,
                              after=question)
    assert "Bomberos" in labels(message) and "Policía" in labels(message)
    person.press(r"^Bomberos$")
    person.wait_for(_exactly(_say("es", "intake_discipline_noted", discipline="Bomberos")),
                    timeout=WAIT, after=question)

    before = len(person.inbox())
    person.say(first_message)
    ack = person.wait_for(_with_code("es", "request_opened"), timeout=WAIT, after=before)
    found = re.search(CODE, ack["text"])
    assert found is not None
    code = found.group(0)
    assert ack["text"].startswith(f"Tu solicitud {code} ya está con el Equipo de Apoyo "
                                  "entre Pares.")
    assert "llama o envía un mensaje de texto al 988" in ack["text"]
    return code, ack


def _sent_to(emu: Emulator, chat_id: int, method: str = "sendMessage") -> list[dict[str, Any]]:
    return [c for c in calls(emu, method) if str(c.get("chat_id")) == str(chat_id)]


ENGLISH_WORDS = re.compile(r"\b(the|you|your|peer|request|thank|please|welcome)\b", re.I)


def _bot_authored(emu: Emulator, chat_id: int, relayed_prefix: str) -> list[str]:
    """Every text the bot itself wrote to a chat (sends and edits), relayed words left out."""
    return [c.get("text") or "" for c in calls(emu)
            if str(c.get("chat_id")) == str(chat_id)
            and c["method"] in ("sendMessage", "editMessageText")
            and not (c.get("text") or "").startswith(relayed_prefix)]


# --- 1. The whole flow in Spanish -----------------------------------------------------------


def test_a_spanish_responder_goes_through_the_whole_flow_in_spanish(start_bot: StartBot,
                                                                     ) -> None:
    bot = start_bot()
    emu = bot.emu
    avery = register(peer(emu, 2301, "Avery"))  # no language_code: DEFAULT_LANGUAGE (en)
    _on_call(avery)
    lucia = _person(emu, LUCIA_ID, "Lucía", "es-MX")

    first = "Fue un turno muy duro."
    code, _ = _open_in_spanish(lucia, first)

    # The group card is English (DEFAULT_LANGUAGE) and names the responder's language.
    card = avery.group.wait_for(rf"\ARequest {code}\n", timeout=WAIT)
    lines = card["text"].splitlines()
    assert lines[:5] == [f"Request {code}", "How soon: Today", "Field: Fire",
                         "Agency: no preference", "Language: Spanish"], lines
    assert lines[5].startswith("Opened: ")
    assert labels(card) == ["Claim"]
    # The on-call peer's notice is in the peer's language (English), Spanish named in it.
    notice = avery.private.wait_for(rf"\A{re.escape(NOTICE_EN)}\n\nRequest {code}\n",
                                    timeout=WAIT)
    assert "Language: Spanish" in notice["text"]
    assert labels(notice) == ["Claim"]

    # An English peer claims it and reads English; the first message is passed on verbatim.
    answered, at_peer = len(answers(emu)), len(avery.private.inbox())
    avery.group.press(r"^Claim$")
    wait_for_answer(emu, _exactly(_say("en", "claim_won", code=code)), after=answered)
    intro = avery.private.wait_for(rf"\AYou have claimed {code}\.\n", timeout=WAIT,
                                   after=at_peer)
    assert "How soon: Today" in intro["text"] and "Field: Fire" in intro["text"]
    avery.private.wait_for(_exactly(f"{code}: {first}"), timeout=WAIT, after=at_peer)
    avery.private.wait_for(_exactly(_say("en", "peer_claimed_outro", code=code,
                                         alias="Avery")), timeout=WAIT, after=at_peer)
    lucia.wait_for(_exactly("Avery, del Equipo de Apoyo entre Pares, se unió a la "
                            "conversación."), timeout=WAIT)
    claimed = avery.group.wait_for(rf"\ARequest {code}\n.*\n\nClaimed by Avery\.\Z",
                                   timeout=WAIT)
    assert "Language: Spanish" in claimed["text"]

    # Relayed both ways exactly as written, in whatever language it was written.
    from_peer = "Estoy aquí contigo. Take your time, no rush."
    avery.private.say(from_peer)
    lucia.wait_for(_exactly(f"Avery: {from_peer}"), timeout=WAIT)
    from_lucia = "Gracias, de verdad. I needed this."
    lucia.say(from_lucia)
    avery.private.wait_for(_exactly(f"{code}: {from_lucia}"), timeout=WAIT)

    # The peer closes: the peer reads English, Lucía Spanish, with the rating in Spanish.
    closing = _peer_closes(avery, lucia, code, "es")
    assert closing["text"].startswith("Avery cerró esta conversación.")
    assert labels(closing) == ["1", "2", "3", "4", "5", "Omitir"]
    at = len(lucia.inbox())
    lucia.press(r"^4$")
    thanks = lucia.wait_for(_exactly(_say("es", "feedback_thanks")), timeout=WAIT, after=at)
    assert thanks["text"] == "Gracias. Tu respuesta es anónima."  # a message, in Spanish
    # The buttons go (the emulator does not apply editMessageReplyMarkup to its history).
    wait_until(lambda: any(not c.get("reply_markup")
                           for c in _sent_to(emu, LUCIA_ID, "editMessageReplyMarkup")),
               "the rating buttons to be removed")

    # Nothing the bot itself wrote to Lucía was English; nothing in the group was Spanish.
    english = [t for t in _bot_authored(emu, LUCIA_ID, "Avery: ") if ENGLISH_WORDS.search(t)]
    assert english == []
    group = [c.get("text") or "" for c in _sent_to(emu, GROUP_ID)]
    assert group and not any("Solicitud" in t or "Idioma" in t for t in group)


# --- 2. /language fr in a running conversation ----------------------------------------------


def test_language_fr_switches_a_running_conversation(start_bot: StartBot) -> None:
    bot = start_bot()
    emu = bot.emu
    avery = register(peer(emu, 2302, "Avery"))
    _on_call(avery)
    alex = _person(emu, ALEX_ID, "Alex", "en-US")
    code = open_request(alex, "Rough night on the ambulance.")  # the English intake
    at_peer = len(avery.private.inbox())
    avery.group.press(r"^Claim$")
    avery.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT, after=at_peer)
    alex.wait_for(_exactly(_say("en", "peer_joined", alias="Avery")), timeout=WAIT)
    before_switch = "I'm here. Prends ton temps."
    avery.private.say(before_switch)
    alex.wait_for(_exactly(f"Avery: {before_switch}"), timeout=WAIT)

    at_alex, at_peer = len(alex.inbox()), len(avery.private.inbox())
    alex.command("/language fr")
    switched = alex.wait_for(_exactly("Désormais, je vous écrirai en français."), timeout=WAIT,
                             after=at_alex)
    assert labels(switched) == []
    told = avery.private.wait_for(rf"\A{code} now reads", timeout=WAIT, after=at_peer)
    assert told["text"] == (f"{code} now reads the bot's messages in French. What you write is "
                            "passed on as you write it.")
    assert told["text"] == _say("en", "peer_responder_language", code=code, language="French")

    # Relayed words are still untouched, both ways. Only the bot's own label around them
    # follows French typography ("Avery\u00a0: ..."), as the fr catalog's relay_labelled says.
    after_switch = "Still here with you. Take all the time you need."
    avery.private.say(after_switch)
    relayed = alex.wait_for(_exactly(_say("fr", "relay_labelled", label="Avery",
                                          text=after_switch)), timeout=WAIT)
    assert relayed["text"].startswith("Avery") and relayed["text"].endswith(f": {after_switch}")
    from_alex = "Merci. Honestly, it helps."
    alex.say(from_alex)
    avery.private.wait_for(_exactly(f"{code}: {from_alex}"), timeout=WAIT)

    # The bot's own texts to Alex are French from now on, though the app still says en-US.
    at_alex = len(alex.inbox())
    alex.command("/help")
    help_text = alex.wait_for(_exactly(_say("fr", "help_responder")), timeout=WAIT,
                              after=at_alex)
    assert help_text["text"].startswith("Ce bot vous met en contact")
    assert "/language" in help_text["text"]

    closing = _peer_closes(avery, alex, code, "fr")
    assert closing["text"].startswith("Avery a fermé cette conversation.")
    assert labels(closing) == ["1", "2", "3", "4", "5", "Passer"]
    at = len(alex.inbox())
    alex.press(r"^5$")
    assert alex.wait_for(_exactly(_say("fr", "feedback_thanks")), timeout=WAIT,
                         after=at)["text"] == "Merci. Votre réponse est anonyme."


# --- 3. A timer's message after a restart ---------------------------------------------------


def test_an_escalation_update_after_a_restart_is_in_the_chosen_language(start_bot: StartBot,
                                                                        ) -> None:
    """The step-1 update is sent by a timer of a bot started after the request was opened: it
    can only know the language from the database."""
    bot = start_bot(ESCALATION_SCHEDULE="6s,60s,120s")
    emu = bot.emu
    avery = register(peer(emu, 2303, "Avery"))
    _on_call(avery)  # on call, but never claims
    marisol = _person(emu, MARISOL_ID, "Marisol", "es-CO")
    code, _ = _open_in_spanish(marisol, "Necesito hablar con alguien.")
    t0 = float(next(c for c in _sent_to(emu, GROUP_ID)
                    if (c.get("text") or "").startswith(f"Request {code}"))["time"])

    assert bot.stop() == 0
    still = _say("es", "responder_still_waiting", code=code)
    assert still not in texts(marisol), "step 1 ran before the restart: the test proves nothing"
    restarted_at = time.time() * 1000
    bot.start()  # same token, database and keys; nothing of the old process is left
    assert (time.time() * 1000 - t0) < 5_500, "the restart took too long to test the timer"

    update = marisol.wait_for(_exactly(still), timeout=WAIT)
    assert update["text"].startswith(f"Seguimos buscando un compañero de apoyo para ti ({code})")
    assert labels(update) == ["Directorio de profesionales", "Seguir esperando"]
    sent = [c for c in _sent_to(emu, MARISOL_ID) if c.get("text") == still]
    assert len(sent) == 1
    assert sent[0]["time"] > restarted_at  # by the new process
    assert 4_500 <= sent[0]["time"] - t0 <= 9_000, sent[0]["time"] - t0  # by its step-1 timer

    # The same step speaks English to the group and to the English peer.
    avery.group.wait_for(rf"\ARequest {code}\n.*\n\nStill waiting: re-posted below\.\Z",
                         timeout=WAIT)
    wait_until(lambda: sum(1 for t in texts(avery.private) if t.startswith(NOTICE_EN)) == 2,
               "the on-call peer's second notice")

    # Its button answers in Spanish too.
    at = len(marisol.inbox())
    marisol.press(r"^Seguir esperando$")
    marisol.wait_for(_exactly(_say("es", "keep_waiting_ack", code=code)), timeout=WAIT,
                     after=at)


# --- 4. Peers who speak the language hear first ---------------------------------------------


def test_peers_who_speak_the_language_hear_first(start_bot: StartBot) -> None:
    bot = start_bot(ESCALATION_SCHEDULE="5s,60s,120s")
    emu = bot.emu
    rosa = _peer_speaking(emu, 2304, "Rosa", "es-ES")
    at = len(rosa.private.inbox())
    rosa.private.command("/start")
    rosa.private.wait_for(_exactly(_say("es", "peer_welcome", alias="Rosa")), timeout=WAIT,
                          after=at)
    _on_call(rosa, r"^Estás de guardia hasta ")  # "las 18:03", or a date first past midnight
    at = len(rosa.private.inbox())
    rosa.private.command("/languages es")
    rosa.private.wait_for(_exactly("Anotado: hablas Español. Las solicitudes en esos idiomas "
                                   "te llegarán primero."), timeout=WAIT, after=at)
    kit = register(peer(emu, 2305, "Kit"))  # on call too, speaks nothing listed
    _on_call(kit)

    pilar = _person(emu, PILAR_ID, "Pilar", "es-AR")
    code, _ = _open_in_spanish(pilar, "Hola, quisiera hablar.")  # request_opened: someone reached
    opened_at = time.monotonic()

    # The group card at once, and Rosa's private notice, in Rosa's language.
    card = rosa.group.wait_for(rf"\ARequest {code}\n", timeout=2.0)
    assert "Language: Spanish" in card["text"]
    notice = rosa.private.wait_for(r"\AHay una solicitud nueva esperando, y estás de guardia\."
                                   rf"\n\nSolicitud {code}\n", timeout=2.0)
    assert "Idioma: Español" in notice["text"] and "Servicio: Bomberos" in notice["text"]
    assert labels(notice) == ["Tomar"]

    # Kit hears nothing for a few seconds (well before step 1, due at 5 s)...
    time.sleep(max(0.0, 3.0 - (time.monotonic() - opened_at)))
    assert not any(t.startswith(NOTICE_EN) for t in texts(kit.private)), texts(kit.private)
    assert sum(1 for t in texts(rosa.private) if t.startswith("Hay una solicitud nueva")) == 1
    # ...and is told at step 1, with everyone on call.
    kit_notice = kit.private.wait_for(rf"\A{re.escape(NOTICE_EN)}\n\nRequest {code}\n",
                                      timeout=WAIT)
    assert "Language: Spanish" in kit_notice["text"]

    # Rosa claims from the group: her answer and briefing are Spanish.
    answered, at = len(answers(emu)), len(rosa.private.inbox())
    rosa.group.press(r"^Claim$")
    wait_for_answer(emu, _exactly(_say("es", "claim_won", code=code)), after=answered)
    rosa.private.wait_for(rf"\ATomaste {code}\.\n", timeout=WAIT, after=at)
    pilar.wait_for(_exactly(_say("es", "peer_joined", alias="Rosa")), timeout=WAIT)


# --- 5. French from the app, English by button ----------------------------------------------


def test_a_french_app_gets_french_and_the_buttons_switch_to_english(start_bot: StartBot,
                                                                    ) -> None:
    bot = start_bot()
    claude = _person(bot.emu, CLAUDE_ID, "Claude", "fr-CA")
    claude.command("/start")
    welcome = claude.wait_for(_exactly(_say("fr", "welcome")), timeout=WAIT)
    assert welcome["text"].startswith("Bonjour, et merci d'avoir pris contact avec nous.")
    assert labels(welcome) == ["Parler à un pair aidant", "Ressources"]

    at = len(claude.inbox())
    claude.command("/language klingon")
    unknown = claude.wait_for(_exactly(_say("fr", "language_unknown", languages="en, es, fr")),
                              timeout=WAIT, after=at)
    assert labels(unknown) == ["English", "Español", "Français"]

    at = len(claude.inbox())
    claude.command("/language")
    choice = claude.wait_for(_exactly(_say("fr", "language_choose", current="Français")),
                             timeout=WAIT, after=at)
    assert choice["text"].startswith("Dans quelle langue voulez-vous que je vous écrive ?")
    assert labels(choice) == ["English", "Español", "Français"]
    claude.press(r"^English$")
    wait_until(lambda: message_by_id(claude, choice["message_id"])["text"]
               == "From now on I will write to you in English.", "the choice to be answered")
    assert labels(message_by_id(claude, choice["message_id"])) == []

    # Kept, though the app still says fr-CA.
    at = len(claude.inbox())
    claude.command("/start")
    again = claude.wait_for(_exactly(_say("en", "welcome")), timeout=WAIT, after=at)
    assert labels(again) == ["Talk to a peer", "Resources"]


# --- (and) A change while the request waits rewrites its card -------------------------------


def test_a_change_while_waiting_rewrites_the_card_and_notices(start_bot: StartBot) -> None:
    bot = start_bot()
    emu = bot.emu
    avery = register(peer(emu, 2306, "Avery"))
    _on_call(avery)
    ines = _person(emu, INES_ID, "Inés", "es-ES")
    code, _ = _open_in_spanish(ines, "Quisiera hablar con alguien.")
    card = avery.group.wait_for(rf"\ARequest {code}\n", timeout=WAIT)
    notice = avery.private.wait_for(rf"\A{re.escape(NOTICE_EN)}\n\nRequest {code}\n",
                                    timeout=WAIT)
    assert "Language: Spanish" in card["text"] and "Language: Spanish" in notice["text"]

    at = len(ines.inbox())
    ines.command("/language fr")
    ines.wait_for(_exactly(_say("fr", "language_set")), timeout=WAIT, after=at)
    for chat, message in ((avery.group, card), (avery.private, notice)):
        wait_until(lambda c=chat, m=message: "Language: French" in message_by_id(
            c, m["message_id"])["text"], "the card and the notice to name French")
        rewritten = message_by_id(chat, message["message_id"])
        assert "Language: Spanish" not in rewritten["text"]
        assert labels(rewritten) == ["Claim"]

    avery.group.press(r"^Claim$")
    ines.wait_for(_exactly(_say("fr", "peer_joined", alias="Avery")), timeout=WAIT)
