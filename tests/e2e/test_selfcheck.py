"""/selfcheck against the real bot: a whole check in English and in Spanish with its result,
nothing of it kept unless shared, and a shared result reaching the peer who holds the
conversation, kept sealed like a message."""

from __future__ import annotations

from functools import cache

from bot.safety.resources import load, shipped_file
from locales import Texts

from .harness import (
    WAIT,
    BotProcess,
    User,
    labels,
    start_conversation,
)

# Responders used by no other e2e file.
ROWAN_ID = 918273714  # English
ALBA_ID = 918273715  # es-ES
ENGLISH_HIGH = ["Nearly every day"] * 4 + ["Yes"] * 6
SPANISH_LOW = ["Ningún día", "Varios días", "Varios días", "Ningún día", "No"]


@cache
def _texts(language: str) -> Texts:
    return Texts(language, common=load(shipped_file()).common_texts(language))


def take(person: User, answers: list[str], language: str = "en") -> dict[str, object]:
    """/selfcheck, then one tap an answer, each once the question it answers is shown; the
    result message."""
    texts = _texts(language)
    start = len(person.inbox())
    person.command("/selfcheck")
    word = texts("selfcheck_question_alone", intro="", number=1, steps=10, question="").split()[0]
    for number, label in enumerate(answers, start=1):
        person.wait_for(rf"{word} {number} ", timeout=WAIT, after=start)
        person.press(rf"^{label}$")
        if number < len(answers):
            person.wait_for(rf"{word} {number + 1} ", timeout=WAIT, after=start)
    title = texts("selfcheck_result", mood="", anxiety="", stress="", plain="", next="")
    return dict(person.wait_for(title.split("\n")[0], timeout=WAIT, after=start))


def table_counts(bot: BotProcess) -> dict[str, int]:
    if bot.on_postgres:
        tables = [f'"{s}"."{t}"' for s, t in bot.db_rows(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN "
            "('pg_catalog', 'information_schema')")]
    else:
        tables = [name for (name,) in bot.db_rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'")]
    return {table: bot.db_count(table) for table in tables}


def test_a_self_check_in_english_and_in_spanish(bot: BotProcess) -> None:
    rowan = bot.emu.user(ROWAN_ID, "Rowan", username=None)
    result = take(rowan, ENGLISH_HIGH)
    text = str(result["text"])
    assert text.count("your answers suggest this has been weighing on you") == 3
    assert "Many responders feel this" in text and "not a diagnosis" in text
    assert "988" in text and "911" in text  # the crisis line, always
    assert labels(result) == ["Talk to a peer", "Clinician directory", "Resources"]

    alba = bot.emu.user(ALBA_ID, "Alba", username=None, language_code="es-ES")
    result = take(alba, SPANISH_LOW, "es")
    text = str(result["text"])
    es = _texts("es")
    assert text.startswith("Su autoevaluación")
    assert es("selfcheck_line_low", area=es("selfcheck_area_mood")) in text
    assert es("selfcheck_plain_low") in text and "no un diagnóstico" in text
    assert labels(result) == ["Hablar con un compañero de apoyo", "Directorio de profesionales",
                              "Recursos"]
    # The way on is the ordinary intake, in her language.
    at = len(alba.inbox())
    alba.press(r"^Hablar con un compañero de apoyo$")
    alba.wait_for(r"1 de 3", timeout=WAIT, after=at)


def test_nothing_is_kept_of_a_check_that_is_not_shared(bot: BotProcess) -> None:
    conversation = start_conversation(bot, "Long week, a lot of bad calls.")
    before, kept = table_counts(bot), bot.db_count("messages")
    result = take(conversation.responder, ENGLISH_HIGH)
    assert "You are talking with Avery" in str(result["text"])
    after = table_counts(bot)
    changed = {table for table in after if after[table] != before.get(table)}
    # The bot's own replies pass through the inbox and outbox (sealed, emptied once done);
    # the audit log gains "selfcheck_taken", with no score and nobody's id.
    assert {name.split(".")[-1].strip('"') for name in changed} <= {"inbox", "outbox", "audit"}
    assert bot.db_count("messages") == kept
    assert bot.db_rows("SELECT actor, actor_id, request_code, detail FROM audit "
                       "WHERE action = 'selfcheck_taken'") == [("responder", None, None, None)]
    contents = b"".join(bot.db_contents().values())
    for words in (b"weighing", b"PHQ", b"Nearly every day"):
        assert words not in contents
    assert not any("Self-check" in (m["text"] or "")
                   for m in conversation.peer.private.inbox())


def test_a_shared_result_reaches_the_peer_and_is_kept_sealed(bot: BotProcess) -> None:
    conversation = start_conversation(bot, "Long week, a lot of bad calls.")
    marlowe, avery = conversation.responder, conversation.peer
    kept = bot.db_count("messages")
    result = take(marlowe, ENGLISH_HIGH)
    assert labels(result)[0] == "Share the result with my peer"
    at = len(avery.private.inbox())
    marlowe.press(r"^Share the result with my peer$")
    summary = avery.private.wait_for(r"Self-check shared by the responder", timeout=WAIT,
                                     after=at)
    text = summary["text"]
    assert text.startswith(f"{conversation.code}: ")
    assert "Mood (PHQ-2): 6 of 6, at or above the screening cut-off of 3" in text
    assert "Post-traumatic stress (PC-PTSD-5): 5 of 5" in text
    assert "Nearly every day" not in text  # the scores, never an answer
    marlowe.wait_for(r"Shared with Avery: your scores", timeout=WAIT)
    assert bot.db_count("messages") == kept + 1
    assert bot.db_rows("SELECT request_code FROM audit WHERE action = 'selfcheck_shared'") == [
        (conversation.code,)]
    assert b"PHQ" not in b"".join(bot.db_contents().values())  # sealed
