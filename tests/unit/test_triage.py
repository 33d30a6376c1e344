"""The crisis screen: recall and false alarms on a labelled set, and the cases that matter most."""

from __future__ import annotations

import dataclasses
import re
import timeit

import pytest
from triage_cases import CASES
from triage_holdout import HOLDOUT
from triage_holdout2 import HOLDOUT2
from triage_holdout3 import HOLDOUT3
from triage_holdout4 import HOLDOUT4

from bot.safety.screen import rules as triage
from bot.safety.screen.rules import CATEGORIES, Assessment, assess

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
    # the set is no longer a fair estimate. The one miss left then, "ive got it all planned
    # out, sunday after shift" (a plan and a day), is caught since the third round (18/18).
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
    # third round, made more sensitive, still measures 76/76 and 0/74. The bounds are a floor
    # against regressions, with a few cases of slack, not an estimate.
    result = score(HOLDOUT2)
    assert result.recall >= 0.95, result.missed
    assert result.false_alarms <= 0.05, result.alarmed
    for language in LANGUAGES:
        per_language = score(HOLDOUT2, language)
        assert per_language.recall >= 0.90, (language, per_language.missed)
        assert per_language.false_alarms <= 0.10, (language, per_language.alarmed)


def test_third_holdout_does_not_regress() -> None:
    # Written by a third person who saw neither the rules nor the other sets, and measured
    # once, after the second round of rules, without changing anything for it: recall 39/80 =
    # 0.49 (English 0.45, Spanish 0.54, French 0.48), false alarms 1/74 = 0.01. That was the
    # fair estimate of how the screen did on messages it was not written for. Its misses were
    # then used to write the third round of rules (rehearsal, a date chosen, things given
    # away, self-injury by other means, threats, entrapment, care of a pet asked for), so it is
    # no longer held out: it now measures 80/80 and 0/74, which flatters the screen. On seven
    # fresh batches the rule writer wrote during the third round, each measured once before any
    # rule was written for it, the rules then in place caught only 7 to 30 % of the risky
    # messages (see the module docstring of bot/safety/screen/rules.py). The bounds are a floor
    # against regressions, with a few cases of slack, not an estimate.
    result = score(HOLDOUT3)
    assert result.recall >= 0.95, result.missed
    assert result.false_alarms <= 0.05, result.alarmed
    for language in LANGUAGES:
        per_language = score(HOLDOUT3, language)
        assert per_language.recall >= 0.90, (language, per_language.missed)
        assert per_language.false_alarms <= 0.10, (language, per_language.alarmed)


def test_fourth_holdout_the_honest_estimate() -> None:
    # Written by a fourth person who saw neither the rules nor any other set, and measured
    # once, after the third round of rules, without changing anything for it: recall 35/80 =
    # 0.44 (English 0.38, Spanish 0.54, French 0.42), false alarms 1/80 = 0.01 (a Spanish
    # joke about "killing" whoever invented 24-hour shifts). Three rounds of rules reach 0.99
    # on every set they were tuned on and stay near 0.45 on fresh wording: the screen catches
    # stock phrasings of risk and misses most risk said in a person's own words. It adds
    # attention (a peer reads every message anyway); it is not a safety net. The bounds are a
    # floor against regressions. Do not tune on this set; write a new one to measure again.
    result = score(HOLDOUT4)
    assert result.recall >= 0.40, result.missed
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
    # third round: self-injury by other means, rehearsal, means gathered, a date, entrapment,
    # care asked for, threats, losing control at home, water and heights
    ("i bang my head on the wall until it bleeds", "en"),
    ("i put out my cigarette on my arm on purpose", "en"),
    ("last night i sat in my car in the closed garage with the motor on", "en"),
    ("i almost did it last night", "en"),
    ("been stashing oxy from the med box", "en"),
    ("i took every pill in the house", "en"),
    ("chose the date", "en"),
    ("no way out. nothing left for me", "en"),
    ("if something happens to me, please look after my dog", "en"),
    ("one more word from him and im putting a bullet in his head", "en"),
    ("i shoved my wife last night and im scared ill lose control", "en"),
    ("the urge to jump off the roof wont leave me", "en"),
    ("me quemo el brazo con el encendedor", "es"),
    ("me tomé todo el frasco de pastillas", "es"),
    ("ya elegí la fecha", "es"),
    ("si me pasa algo, cuiden a mis perros", "es"),
    ("le voy a meter un tiro a ese tipo", "es"),
    ("me da miedo perder el control con mis hijos, ayer casi les pego", "es"),
    ("je me brûle avec mon briquet", "fr"),
    ("j'ai avalé toutes mes pilules", "fr"),
    ("j'ai choisi le jour", "fr"),
    ("s'il m'arrive quelque chose, occupez-vous de mon chat", "fr"),
    ("je vais lui casser la gueule", "fr"),
    ("je pense à marcher dans le fleuve et à pas revenir", "fr"),
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
    # third round: the same words at work, by accident, about someone else, or ordinary
    ("we found him in the garage with the engine running, too late", "en"),
    ("rope rescue drill all morning, practicing knots", "en"),
    ("can you feed my dog this weekend", "en"),
    ("no way out of the basement, we breached the wall", "en"),
    ("lost control of the truck on the ice", "en"),
    ("banged my head on the cabinet again lol", "en"),
    ("picked a date for the wedding", "en"),
    ("giving my old gear to the rookie, retiring next month", "en"),
    ("the pt took all her pills before we got there", "en"),
    ("el paciente se golpeaba la cabeza contra la pared", "es"),
    ("si me pasa algo en servicio, mi esposa tiene los papeles", "es"),
    ("estoy acabado de este turno", "es"),
    ("on a choisi la date du mariage", "fr"),
    ("il me reste plus rien dans le frigo", "fr"),
    ("le suspect a dit qu'il allait me mettre une balle", "fr"),
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


def test_weak_hits_add_up() -> None:
    # One weak hit does not alarm; two of different kinds do; a weak hit and a softer signal
    # (half a hit) do; two weak hits of the same kind do not; and a hand raised at home, a fear
    # of losing control or a threat (one and a half) alarm alone.
    assert not assess("no way out of this contract").at_risk
    assert assess("no way out. nothing left").at_risk
    assert assess("no way out. i hate myself").at_risk
    assert not assess("i'm done. i give up").at_risk
    assert assess("i shoved my wife last night").at_risk
    assert {rule.weight for rule in triage._RULES if not rule.strong} <= {0.5, 1.0, 1.5}


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
    # A rule is tried only at the words that can start a match: the words a match can start
    # with, up to as many words as a match can span before each place where the message holds
    # one of the strings its pattern requires. That must find exactly the matches that start
    # anywhere in the message, and every one of those starts at a word.
    labelled = [text for text, _, _ in [*CASES, *HOLDOUT, *HOLDOUT2, *HOLDOUT3]]
    # Twenty cases to a message (as clauses, which is how a rule sees them), and one long
    # message with no clause boundaries at all.
    texts = [". ".join(labelled[start:start + 20]) for start in range(0, len(labelled), 20)]
    texts.append(" ".join(labelled)[:8000])
    messages = [triage._Message.of(triage.normalize(text)) for text in texts]
    word_starts = [
        {message.offsets[index] for index, word in enumerate(message.words) if word not in "|/"}
        for message in messages
    ]
    for rule in triage._RULES:
        anywhere = re.compile(rf"(?=({rule.pattern.pattern}))")  # every match, overlapping
        for text, message, words in zip(texts, messages, word_starts, strict=True):
            everywhere = {found.span(1) for found in anywhere.finditer(message.text)}
            assert {start for start, _ in everywhere} <= words, (rule.pattern.pattern, text)
            tried = {
                found.span()
                for index in message.starts_for(rule)
                if (found := message.match_at(rule, index))
            }
            assert tried == everywhere, (rule.pattern.pattern, text)


def test_every_pattern_was_filled_in() -> None:
    # A pattern written as r"..." instead of rf"..." keeps "{_NAME}" literally.
    for rule in triage._RULES:
        for pattern in (rule.pattern, rule.not_before, rule.not_after, rule.unless):
            assert pattern is None or "{_" not in pattern.pattern, pattern


def test_a_long_message_is_screened_quickly() -> None:
    # About 3 ms on a laptop; the bound only catches a pattern that backtracks badly.
    text = ". ".join(text for text, _, _ in CASES)[:4000]
    assess(text)
    runs = 20
    seconds = timeit.timeit(lambda: assess(text), number=runs) / runs
    assert seconds < 0.025, seconds
