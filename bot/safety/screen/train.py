"""Rebuild the crisis screen's learned layer from the labelled messages in `corpus/`.

    pip install -e '.[train]'                # scikit-learn: only this script needs it
    python -m bot.safety.screen.train split  # corpus/labelled/*.tsv -> corpus/split/*.tsv
    python -m bot.safety.screen.train        # fit on split/train.tsv, pick thresholds on
                                             # split/validation.tsv, write model.json.gz

The split is by a hash of each text, so it never changes for a message already in it and a
new file only adds lines. The held-out sets in `corpus/heldout*/` are never learned from (a
message also in one of them is left out of the split): each measures the screen once, with
`python -m bot screen --evaluate`.

The model learns from whole messages, and from every sentence of each ordinary message of more
than one sentence as an ordinary message of its own (a sentence of an ordinary message is
ordinary), because the bot reads messages in windows of sentences.

Choices, each made on the validation split only:
- the regularisation strength C of a logistic regression (class weights balanced) over the
  binary, L2-normalised `features` of `bot/safety/screen/model.py`;
- the length penalty: how much a message of many sentences (so many windows, so more chances
  of one scoring high by chance) must score more to alarm;
- the alarm threshold: the lowest score at which the whole screen (rules or model) alarms on
  at most TARGET_FALSE_ALARMS of the ordinary validation messages, and of the long ones among
  them, each read in sentence windows exactly as the bot reads them;
- the floor under which a message adds nothing to a responder's running level: the score
  that FLOOR_QUANTILE of ordinary validation messages stay under.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

from bot.safety.screen import layers, model, rules
from bot.safety.screen.corpus import Example, read_tsv, write_tsv

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
VALIDATION_SHARE = 15  # percent of each labelled file
TARGET_FALSE_ALARMS = 0.06
LONG = 350  # characters: a validation message this long is also counted among the long ones
FLOOR_QUANTILE = 0.90
C_VALUES = (2.0, 8.0, 32.0)
LENGTH_PENALTIES = (0.0, 0.25, 0.5, 0.75, 1.0)
MODEL_PATH = Path(__file__).resolve().parent / model.MODEL_FILE


def in_validation(text: str) -> bool:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < VALIDATION_SHARE


def _same(text: str) -> str:
    return " ".join(model.words(text))


def split(corpus: Path = CORPUS) -> tuple[int, int]:
    """Write split/train.tsv and split/validation.tsv from every labelled file, leaving out
    any message that is also in a held-out set (the same words), so none is trained on."""
    held_out = {_same(e.text) for path in corpus.glob("heldout*/*.tsv") for e in read_tsv(path)}
    seen: set[str] = set(held_out)
    train: list[Example] = []
    validation: list[Example] = []
    for path in sorted((corpus / "labelled").glob("*.tsv")):
        for example in read_tsv(path):
            if _same(example.text) in seen:
                continue
            seen.add(_same(example.text))
            (validation if in_validation(example.text) else train).append(example)
    key = lambda e: (e.lang, e.label, e.text)  # noqa: E731
    write_tsv(corpus / "split" / "train.tsv", sorted(train, key=key))
    write_tsv(corpus / "split" / "validation.tsv", sorted(validation, key=key))
    return len(train), len(validation)


def digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _threshold(calm: list[tuple[float, bool, bool]]) -> float:
    """The lowest threshold at which at most TARGET_FALSE_ALARMS of the ordinary messages,
    and of the long ones among them, alarm. `calm`: (model score, rules alarm, long)."""
    for threshold in sorted({score for score, _, _ in calm} | {0.99}):
        candidate = threshold + 1e-6
        alarms = [rule or score >= candidate for score, rule, _ in calm]
        long_alarms = [alarm for alarm, (_, _, long) in zip(alarms, calm, strict=True) if long]
        if (sum(alarms) <= TARGET_FALSE_ALARMS * len(alarms)
                and sum(long_alarms) <= TARGET_FALSE_ALARMS * len(long_alarms)):
            return min(candidate, 0.99)
    return 0.99


def training_examples(train: list[Example]) -> list[tuple[str, bool]]:
    """Each message, and each sentence of an ordinary message of several sentences."""
    examples = [(e.text, e.risky) for e in train]
    for example in train:
        pieces = layers.sentences(example.text)
        if not example.risky and len(pieces) > 1:
            examples.extend((piece, False) for piece in pieces)
    return examples


def fit(corpus: Path = CORPUS, out: Path = MODEL_PATH) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer  # noqa: PLC0415  (train extra)
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
    from sklearn.preprocessing import normalize  # noqa: PLC0415

    train_path = corpus / "split" / "train.tsv"
    examples = training_examples(read_tsv(train_path))
    validation = read_tsv(corpus / "split" / "validation.tsv")
    by_rules = [rules.weigh(e.text).at_risk for e in validation]
    vectorizer = DictVectorizer()
    matrix = normalize(vectorizer.fit_transform(
        [dict.fromkeys(model.features(text), 1) for text, _ in examples]))
    labels = [int(risky) for _, risky in examples]
    names = vectorizer.get_feature_names_out()
    best: tuple[float, float, model.Model] | None = None
    for c_value in C_VALUES:
        classifier = LogisticRegression(C=c_value, class_weight="balanced", max_iter=3000,
                                        solver="liblinear")
        classifier.fit(matrix, labels)
        weights = {str(name): round(float(w), 4)
                   for name, w in zip(names, classifier.coef_[0], strict=True)
                   if abs(w) >= 1e-4}
        for penalty in LENGTH_PENALTIES:
            candidate = model.Model(weights, float(classifier.intercept_[0]), 0.5, 0.25, "",
                                    penalty)
            scores = [layers.learned_score(e.text, candidate) for e in validation]
            calm = [(score, rule, len(e.text) >= LONG)
                    for score, rule, e in zip(scores, by_rules, validation, strict=True)
                    if not e.risky]
            threshold = _threshold(calm)
            caught = [rule or score >= threshold
                      for score, rule, e in zip(scores, by_rules, validation, strict=True)
                      if e.risky]
            recall = sum(caught) / len(caught)
            print(f"C={c_value}, length penalty {penalty}: validation recall {recall:.3f} "
                  f"(rules and model) at threshold {threshold:.3f}", file=sys.stderr)
            if best is None or recall > best[0]:
                floor = min(_quantile([score for score, _, _ in calm], FLOOR_QUANTILE),
                            threshold * 0.9)
                best = (recall, c_value, model.Model(weights, candidate.bias, threshold, floor,
                                                     "", penalty))
    assert best is not None
    recall, c_value, chosen = best
    data = {"bias": round(chosen.bias, 6), "threshold": round(chosen.threshold, 6),
            "floor": round(chosen.floor, 6), "trained_on": digest_of(train_path),
            "length_penalty": chosen.length_penalty,
            "c": c_value, "validation_recall": round(recall, 4),
            "weights": dict(sorted(chosen.weights.items()))}
    with gzip.GzipFile(out, "wb", mtime=0) as raw:  # mtime 0: the same data, the same bytes
        raw.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    return {"c": c_value, "length_penalty": chosen.length_penalty,
            "validation_recall": recall, "threshold": chosen.threshold,
            "floor": chosen.floor, "weights": len(chosen.weights)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety.screen.train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", nargs="?", choices=("split", "fit"), default="fit")
    args = parser.parse_args(argv)
    if args.step == "split":
        train, validation = split()
        print(f"train: {train} messages, validation: {validation}")
        return 0
    try:
        result = fit()
    except ImportError:
        print("training needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
        return 2
    print(", ".join(f"{name}: {value}" for name, value in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
