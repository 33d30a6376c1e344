"""The crisis screen as the bot uses it: windows, the learned model and its files, the command
line, and weak signals added up across a responder's messages."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import GROUP, Harness, responder

from bot.safety import risk
from bot.safety.screen import cli, layers, model, rules, train
from bot.safety.screen.corpus import read_tsv

REPO = Path(__file__).resolve().parents[2]
ORDINARY = ("The call at the school went long. We got everyone out. My partner drove back. "
            "Dinner was cold. ")


# --- windows --------------------------------------------------------------------------------


def test_weak_rule_hits_add_up_inside_a_window_but_not_across_a_long_message() -> None:
    assert rules.weigh("i give up. nothing left.").at_risk
    spread = rules.weigh(f"i give up. {ORDINARY * 3}nothing left.")
    assert not spread.at_risk
    assert spread.weak == 1.0  # each weak hit still counts in its own window


def test_a_risky_sentence_inside_a_long_ordinary_message_still_alarms() -> None:
    assert layers.read(f"{ORDINARY * 10}I want to kill myself. {ORDINARY * 10}").at_risk


def test_sentences_split_on_sentence_ends_and_lines() -> None:
    assert layers.sentences("one. two!  three?\nfour\n\nfive") == [
        "one.", "two!", "three?", "four", "five"]


# --- the learned model ----------------------------------------------------------------------


def test_the_shipped_model_was_trained_on_the_split_in_the_repository() -> None:
    shipped = model.shipped()
    assert shipped.trained_on == train.digest_of(REPO / "corpus" / "split" / "train.tsv")
    assert 0 < shipped.floor < shipped.threshold < 1
    assert len(shipped.weights) > 1000


def test_the_split_is_what_the_labelled_files_make(tmp_path: Path) -> None:
    """A labelled message added without running `split` (and retraining) fails here."""
    for folder in ("labelled", "heldout", "heldout2"):
        shutil.copytree(REPO / "corpus" / folder, tmp_path / folder)
    train.split(tmp_path)
    for name in ("train.tsv", "validation.tsv"):
        assert (tmp_path / "split" / name).read_bytes() == (
            REPO / "corpus" / "split" / name).read_bytes(), name


def test_no_held_out_message_is_trained_on() -> None:
    held_out = {" ".join(model.words(e.text))
                for path in (REPO / "corpus").glob("heldout*/*.tsv") for e in read_tsv(path)}
    for name in ("train.tsv", "validation.tsv"):
        for example in read_tsv(REPO / "corpus" / "split" / name):
            assert " ".join(model.words(example.text)) not in held_out, example.text


def test_features_survive_accents_case_stretching_and_leetspeak() -> None:
    assert model.words("J'ai PLUS envie... sooooo tired, su1c1de") == [
        "j", "ai", "plus", "envie", "soo", "tired", "suicide"]
    assert "suic" in model.features("suicidio") & model.features("suicide")


def test_a_model_scores_by_its_weights() -> None:
    toy = model.Model({"w:rope": 4.0, "w:coffee": -4.0}, 0.0, 0.8, 0.5, "")
    assert toy.score(model.features("rope")) > toy.score(model.features("coffee"))
    assert toy.signal(0.4) == 0.0 and toy.signal(0.8) == 1.0
    assert toy.signal(0.65) == pytest.approx(0.5)


# --- the command line -----------------------------------------------------------------------


def test_screen_prints_one_verdict_per_line() -> None:
    out = io.StringIO()
    lines = "I want to kill myself\nWhat time is the shift change tomorrow?\n\n"
    assert cli.main([], stdin=io.StringIO(lines), stdout=out) == 0
    verdicts = out.getvalue().splitlines()
    assert len(verdicts) == 3
    assert verdicts[0].startswith("risk\t") and "suicide_intent" in verdicts[0]
    assert verdicts[1] == "calm\t" and verdicts[2] == "calm\t"


def test_evaluate_reports_recall_and_false_alarms_per_language(tmp_path: Path) -> None:
    labelled = tmp_path / "mine.tsv"
    labelled.write_text(
        "label\tlang\ttext\n"
        "risk\ten\tI want to kill myself\n"
        "risk\tes\tquiero quitarme la vida\n"
        "calm\ten\tWhat time is the shift change tomorrow?\n"
        "calm\ten\tThanks, that helped.\n", encoding="utf-8")
    out = io.StringIO()
    assert cli.main(["--evaluate", str(labelled)], stdout=out) == 0
    rows = {line.split("\t")[0]: line for line in out.getvalue().splitlines()}
    assert rows["en"] == ("en\t1.00 (1/1; 95% CI 0.21-1.00)\t0.00 (0/2; 95% CI 0.00-0.66)")
    assert rows["es"].startswith("es\t1.00 (1/1;") and rows["es"].endswith("\t-")
    assert rows["all"].startswith("all\t1.00 (2/2; 95% CI 0.34-1.00)")


def test_evaluate_names_what_is_wrong_with_a_file(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("text\tlabel\nhello\tcalm\n", encoding="utf-8")
    assert cli.main(["--evaluate", str(bad)]) == 2
    assert "header" in capsys.readouterr().err
    bad.write_text("label\tlang\ttext\nmaybe\ten\thello\n", encoding="utf-8")
    assert cli.main(["--evaluate", str(bad)]) == 2
    assert "line 2" in capsys.readouterr().err
    assert cli.main(["--evaluate", str(tmp_path / "missing.tsv")]) == 2


def test_wilson_interval() -> None:
    assert cli.wilson(0, 10) == (0.0, pytest.approx(0.2775, abs=1e-4))
    low, high = cli.wilson(90, 100)
    assert low == pytest.approx(0.8256, abs=1e-4) and high == pytest.approx(0.9448, abs=1e-4)


# --- weak signals across messages -----------------------------------------------------------


def _fixed_signal(monkeypatch: pytest.MonkeyPatch, signal: float) -> None:
    """Every message reads as a weak signal of this size (the screen itself is tested above)."""
    monkeypatch.setattr(risk, "read", lambda content: signal if content.text else None)


async def test_weak_signals_add_up_across_messages(harness: Harness,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    alex = responder()
    code = await harness.open_request(alex, "Hi.")
    _fixed_signal(monkeypatch, 0.4)
    now = harness.services.clock()
    for minute in (1, 2):
        harness.services.clock = lambda minute=minute: now + 60 * minute
        await harness.send(alex.text("a weak signal"))
        assert not any("Thank you for telling us" in t for t in harness.texts_to(alex.user_id))
    harness.services.clock = lambda: now + 180
    await harness.send(alex.text("a third weak signal"))
    assert any("Thank you for telling us" in t for t in harness.texts_to(alex.user_id))
    assert harness.texts_to(GROUP)[-1].startswith("URGENT") and code in harness.texts_to(GROUP)[-1]


async def test_weak_signals_fade_with_time(harness: Harness,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    alex = responder()
    await harness.open_request(alex, "Hi.")
    _fixed_signal(monkeypatch, 0.4)
    now = harness.services.clock()
    for hours in (1, 4, 7):  # three half-lives apart: each one mostly gone by the next
        harness.services.clock = lambda hours=hours: now + 3600 * hours
        await harness.send(alex.text("a weak signal"))
    assert not any("Thank you for telling us" in t for t in harness.texts_to(alex.user_id))
    request = await harness.services.requests.live_for_responder(alex.user_id)
    assert request is not None and not request.high_risk
