"""The crisis screen: recall and false alarms on a labelled set, and the cases that matter most."""

from __future__ import annotations

import dataclasses
import timeit

import pytest
from triage_cases import CASES
from triage_holdout import HOLDOUT
from triage_holdout2 import HOLDOUT2
from triage_holdout3 import HOLDOUT3

from bot import triage
from bot.triage import CATEGORIES, Assessment, assess

LANGUAGES = ("en", "es", "fr")


@dataclasses.dataclass(frozen=True)
class Score:
    recall: float
    false_alarms: float
    missed: tuple[str, ...]
    alarmed: tuple[str, ...]


def score(cases: list[tuple[str, str, bool]], language: str | None = None) -> Score:
    chosen = [case for case in cases if language is None or case[1] == language]
    at_risk = [text for text, _, risky in chosen if risky]
    ordinary = [text for text, _, risky in chosen if not risky]
    missed = tuple(text for text in at_risk if not assess(text).at_risk)
    alarmed = tuple(text for text in ordinary if assess(text).at_risk)
    return Score(
        recall=1 - len(missed) / len(at_risk),
        false_alarms=len(alarmed) / len(ordinary),
        missed=missed,
        alarmed=alarmed,
    )


# ------------------------------------------------------------------ the labelled set itself


def test_the_labelled_set_is_large_balanced_and_in_three_languages() -> None:
    assert len(CASES) >= 150
    assert sum(risky for _, _, risky in CASES) >= 45
    assert sum(not risky for _, _, risky in CASES) >= 45
    assert sum(language == "es" for _, language, _ in CASES) >= 30
    assert sum(language == "fr" for _, language, _ in CASES) >= 30
    assert {language for _, language, _ in CASES} == set(LANGUAGES)
    assert len({text for text, _, _ in CASES}) == len(CASES), "a case is listed twice"


def test_the_holdout_is_separate_and_in_three_languages() -> None:
    assert len(HOLDOUT) >= 30
    assert not {text for text, _, _ in HOLDOUT} & {text for text, _, _ in CASES}
    for language in LANGUAGES:
        assert any(lang == language and risky for _, lang, risky in HOLDOUT)
        assert any(lang == language and not risky for _, lang, risky in HOLDOUT)


def test_the_second_holdout_is_in_three_languages() -> None:
    assert len(HOLDOUT2) >= 100
    for language in LANGUAGES:
        assert any(lang == language and risky for _, lang, risky in HOLDOUT2)
        assert any(lang == language and not risky for _, lang, risky in HOLDOUT2)


# ------------------------------------------------------------------ recall and false alarms


def test_recall_and_false_alarms_over_the_whole_set() -> None:
    result = score(CASES)
    assert result.recall >= 0.95, result.missed
    assert result.false_alarms <= 0.10, result.alarmed


@pytest.mark.parametrize("language", LANGUAGES)
def test_recall_and_false_alarms_per_language(language: str) -> None:
    result = score(CASES, language)
    assert result.recall >= 0.95, result.missed
    assert result.false_alarms <= 0.10, result.alarmed


def test_holdout_written_before_the_rules() -> None:
    # These cases were written before the first round of rules, which measured 13/18 = 0.72
    # recall and no false alarms on them. The misses were listed here ("ive got it all planned
    # out", "how many of my meds it would take", "dont think ill be around much longer", "if i
    # just disappeared for good", "tengo las pastillas en la mano"), so the second round of rules
    # was written by someone who had seen them: it measures 17/18 = 0.94, no false alarms, and
    # the set is no longer a fair estimate. The one miss left is "ive got it all planned out,
    # sunday after shift" (a plan and a day, but no phrase the screen alarms on by itself).
    # The assertions below are a floor against regressions (one case of slack), not a target.
    result = score(HOLDOUT)
    assert result.recall >= 0.88, result.missed
    assert result.false_alarms <= 0.10, result.alarmed


def test_second_holdout_does_not_regress() -> None:
    # Written by someone who never saw the rules. Before the second round of rules it measured
    # recall 40/76 = 0.53 (English 0.60, Spanish 0.52, French 0.43) and false alarms 2/74.
    # Its misses were then shown to the rule writer, who wrote general rules for the kinds of
    # risk they showed and looked at the last few; it now measures 76/76 and 0/74. It is
    # therefore no longer held out, and these numbers flatter the screen: on paraphrases the
    # rule writer wrote afterwards and had not tuned on, recall was about 0.5 before fixes. The
    # bounds are a floor against regressions, with a few cases of slack, not an estimate.
    result = score(HOLDOUT2)
    assert result.recall >= 0.95, result.missed
    assert result.false_alarms <= 0.05, result.alarmed
    for language in LANGUAGES:
        per_language = score(HOLDOUT2, language)
        assert per_language.recall >= 0.90, (language, per_language.missed)
        assert per_language.false_alarms <= 0.10, (language, per_language.alarmed)


def test_third_holdout_the_honest_estimate() -> None:
    # Written by a third person who saw neither the rules nor the other sets, and measured
    # once, after the second round of rules, without changing anything for it: recall 39/80 =
    # 0.49 (English 0.45, Spanish 0.54, French 0.48), false alarms 1/74 = 0.01. This is the
    # fair estimate of how the screen does on messages it was not written for, and it is far
    # below the main set's numbers: what it misses most is risk said without a stock phrase
    # (rehearsal, a date chosen, things given away, self-injury by other means, threats). The
    # bounds are a floor against regressions.
    result = score(HOLDOUT3)
    assert result.recall >= 0.45, result.missed
    assert result.false_alarms <= 0.05, result.alarmed


# ------------------------------------------------------------------ cases that must hold

MUST_ALARM = [
    ("I want to end it", "en"),
    ("no reason to keep going", "en"),
    ("can't do this anymore", "en"),
    ("cant do this anymore", "en"),
    ("can\u2019t do this anymore", "en"),
    ("they'd all be better off without me", "en"),
    ("I'm not sure I want to live", "en"),
    ("I don't want to be here anymore", "en"),
    ("I don't see a point in living", "en"),
    ("im thinking of sucide", "en"),
    ("kms", "en"),
    ("gonna unalive myself", "en"),
    ("I'm going to hurt someone", "en"),
    ("I want to kill him", "en"),
    ("my gun is right here and i keep thinking about ending things", "en"),
    ("I'm not suicidal but I wish I was dead", "en"),
    ("no quiero morir pero ya no quiero vivir así", "es"),
    ("estarían mejor sin mí", "es"),
    ("me quiero quitar la vida", "es"),
    ("KIERO MORIRMEEE", "es"),
    ("no tengo razones para seguir", "es"),
    ("je ne veux plus vivre", "fr"),
    ("je veux en finir", "fr"),
    ("je vais me suicider", "fr"),
    ("j'ai plus la force", "fr"),
    ("jveux pas mourir mais jveux plus vivre", "fr"),
    # plans and timing, means at hand, sleep and not wake, self-harm, harm to others
    ("i have a plan and i set a date", "en"),
    ("held my pistol under my chin last night", "en"),
    ("been stockpiling my sleeping pills", "en"),
    ("if i dont wake up tomorrow, honestly thats fine", "en"),
    ("im scared im going to hurt my wife", "en"),
    ("tengo la pistola en la mano ahora mismo", "es"),
    ("me estoy cortando otra vez", "es"),
    ("tengo miedo de lastimar a mis hijos", "es"),
    ("si je me réveille pas demain, tant mieux", "fr"),
    ("je me scarifie depuis des mois", "fr"),
    ("chu pu capable, j'veux pu vivre", "fr"),
]

MUST_NOT_ALARM = [
    ("I'm not suicidal", "en"),
    ("I would never kill myself", "en"),
    ("i'm not going to kill myself, i just need to vent", "en"),
    ("the victim killed himself and I found him", "en"),
    ("the call where the kid died keeps replaying", "en"),
    ("I'm exhausted after a double shift", "en"),
    ("my gun jammed at the range", "en"),
    ("I could kill for a coffee", "en"),
    ("this paperwork is killing me", "en"),
    ("we did CPR for 40 minutes", "en"),
    ("pt was suicidal, transported to the ER", "en"),
    ("my captain is going to kill me", "en"),
    ("no quiero morir", "es"),
    ("no estoy suicida", "es"),
    ("el paciente murió", "es"),
    ("el señor se suicidó antes de que llegáramos", "es"),
    ("me muero de risa", "es"),
    ("je ne suis pas suicidaire", "fr"),
    ("je ne me suiciderais jamais", "fr"),
    ("j'ai trouvé le corps", "fr"),
    ("il s'est suicidé dans sa voiture", "fr"),
    ("ce boulot va me tuer", "fr"),
    # negated noun phrases, threats against the writer, duty weapons, injuries, work talk
    ("no thoughts of suicide, just wiped after four nights in a row", "en"),
    ("suspect pointed a gun at my head on that call", "en"),
    ("cleaning my duty weapon at the kitchen table after quals", "en"),
    ("cut my hand on the glass at the mvc", "en"),
    ("cant see a future in this department", "en"),
    ("no he tenido pensamientos suicidas, solo mucho estrés", "es"),
    ("me estoy quemando en este trabajo", "es"),
    ("el sospechoso me apuntó con la pistola a la cabeza", "es"),
    ("aucune pensée suicidaire, j'ai juste besoin de dormir", "fr"),
    ("il m'a mis le flingue sur la tempe", "fr"),
    ("je vois pas d'avenir dans ce service", "fr"),
]


@pytest.mark.parametrize(("text", "language"), MUST_ALARM)
def test_must_alarm(text: str, language: str) -> None:
    result = assess(text)
    assert result.at_risk, (language, text)
    assert result.reasons


@pytest.mark.parametrize(("text", "language"), MUST_NOT_ALARM)
def test_must_not_alarm(text: str, language: str) -> None:
    assert assess(text) == Assessment(at_risk=False, reasons=()), (language, text)


def test_each_kind_of_risk_is_named() -> None:
    assert "suicide_intent" in assess("been thinking about killing myself").reasons
    assert "hopelessness" in assess("no reason to keep going").reasons
    assert "burden" in assess("nobody would miss me").reasons
    assert "harm_to_others" in assess("i want to kill him").reasons
    assert "farewell" in assess("this is goodbye").reasons
    assert {"suicide_intent", "means"} <= set(
        assess("my gun is on the table and i want to end it all").reasons
    )


def test_apostrophes_accents_and_case_do_not_change_the_result() -> None:
    variants = [
        "I can't take it anymore",
        "i cant take it anymore",
        "I CAN\u2019T TAKE IT ANYMORE",
    ]
    assert {assess(text) for text in variants} == {assess(variants[0])}
    assert assess("estarian mejor sin mi") == assess("Estarían mejor sin mí")


def test_assessment_is_frozen() -> None:
    result = assess("i want to die")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.at_risk = False  # type: ignore[misc]


# ------------------------------------------------------------------ reasons carry no text


def test_reasons_are_only_category_names() -> None:
    for text, _, _ in [*CASES, *HOLDOUT, *HOLDOUT2]:
        result = assess(text)
        assert isinstance(result.reasons, tuple)
        assert set(result.reasons) <= set(CATEGORIES), text
        assert result.at_risk == bool(result.reasons), text


@pytest.mark.parametrize(
    "text",
    [
        "i want to kill Zebulon Hargreave",
        "tell my kids Quillon and Marisabel i love them",
        "quiero matar a Ferdinando Quispe",
        "je vais le tuer ce Bartholomieu",
    ],
)
def test_reasons_never_contain_words_of_the_message(text: str) -> None:
    result = assess(text)
    assert result.at_risk
    spoken = {word.strip(".,!?").casefold() for word in text.split()}
    named = {part for reason in result.reasons for part in reason.split("_")}
    assert not any(
        word in reason for word in spoken if len(word) > 3 for reason in result.reasons
    ), result.reasons
    assert named <= {part for category in CATEGORIES for part in category.split("_")}


# ------------------------------------------------------------------ the prefilter and speed


def test_the_prefilter_never_hides_a_match() -> None:
    # A rule is tried only on the clauses that hold one of the strings its pattern requires.
    # That must find exactly what trying it on the whole message finds.
    texts = [text for text, _, _ in [*CASES, *HOLDOUT, *HOLDOUT2]]
    texts.append(". ".join(texts))
    for text in texts:
        message = triage._Message.of(triage.normalize(text))
        for rule in triage._RULES:
            everywhere = {match.span() for match in rule.pattern.finditer(message.text)}
            tried = {
                match.span()
                for clause in message.clauses_for(rule)
                for match in rule.pattern.finditer(
                    message.text, message.starts[clause], message.ends[clause]
                )
            }
            assert tried == everywhere, (rule.pattern.pattern, text)


def test_every_pattern_was_filled_in() -> None:
    # A pattern written as r"..." instead of rf"..." keeps "{_NAME}" literally.
    for rule in triage._RULES:
        for pattern in (rule.pattern, rule.not_before, rule.not_after, rule.unless):
            assert pattern is None or "{_" not in pattern.pattern, pattern


def test_a_long_message_is_screened_quickly() -> None:
    # About 2 to 3 ms on a laptop; the bound only catches a pattern that backtracks badly.
    text = ". ".join(text for text, _, _ in CASES)[:4000]
    assess(text)
    runs = 20
    seconds = timeit.timeit(lambda: assess(text), number=runs) / runs
    assert seconds < 0.025, seconds
