"""The learned layer of the crisis screen: a linear model over words and letter groups.

It reads a piece of text the way `features` below turns it into a set of short strings (words,
pairs of words, and runs of four and five letters, so that "sucide", "suicid" and "suicidio"
share most of them), and scores it with one weight per string, learned from labelled messages
in `corpus/` by `python -m bot.safety.screen.train` (which needs scikit-learn; the bot does not).
The weights ship as `model.json.gz` beside this file: nothing is downloaded, and scoring is a
few dictionary look-ups in plain Python, about as fast as scikit-learn's own prediction for one
short text and without its 100 MB of dependencies at run time.

Score = sigmoid(bias + sum of the weights of the known strings present / sqrt(how many)): the
L2-normalised binary features scikit-learn was trained on (it, too, ignores strings it never
saw in training). Weights under 0.0001 are not shipped, so a string that had one counts as
unknown here: a difference in the fourth decimal of a score.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise

MODEL_FILE = "model.json.gz"
_COMBINING = re.compile("[\u0300-\u036f]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_LEET = re.compile(r"(?<=[a-z])[013@$](?=[a-z])")
_LEET_MAP = {"0": "o", "1": "i", "3": "e", "@": "a", "$": "s"}
_STRETCHED = re.compile(r"([a-z])\1{2,}")  # "sooooo" -> "soo"
_TOKEN = re.compile(r"[a-z0-9]+")
CHAR_SIZES = (4, 5)  # 3 as well measured no better on validation, and costs a third more


def words(text: str) -> list[str]:
    """Lower-case words without accents, apostrophes or letters stretched for emphasis."""
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    folded = folded.translate(_APOSTROPHES).replace("'", " ")
    folded = _LEET.sub(lambda match: _LEET_MAP[match.group(0)], folded)
    folded = _STRETCHED.sub(r"\1\1", folded)
    return _TOKEN.findall(folded)


def features(text: str) -> set[str]:
    """The strings the model weighs: words, word pairs, and letter runs inside " words "."""
    tokens = words(text)
    found = {f"w:{token}" for token in tokens}
    found.update(f"b:{first}_{second}" for first, second in pairwise(tokens))
    padded = f" {' '.join(tokens)} "  # letter runs have no prefix: they never hold a ":"
    for size in CHAR_SIZES:
        found.update([padded[i:i + size] for i in range(len(padded) - size + 1)])
    return found


@dataclass(frozen=True, slots=True)
class Model:
    weights: dict[str, float]
    bias: float
    threshold: float  # a window scoring this much alarms on its own
    floor: float  # below this a window adds nothing to the responder's running level
    trained_on: str  # a digest of the training split, checked by the tests
    # A message of n sentences has many windows, so more chances of one scoring high by
    # chance: its best window's log-odds are lowered by length_penalty * ln(n).
    length_penalty: float = 0.0

    def known(self, found: set[str]) -> set[str]:
        """The features the model has a weight for."""
        return found & self.weights.keys()

    def score(self, found: set[str]) -> float:
        """The probability-like score (0..1) of a set of `features`."""
        known = self.known(found)
        return probability(self.logit_of(sum(map(self.weights.__getitem__, known)),
                                         len(known)))

    def logit_of(self, total: float, count: int) -> float | None:
        """The log-odds of `count` known features whose weights add up to `total` (None for
        no feature at all: nothing to score)."""
        return self.bias + total / math.sqrt(count) if count else None

    def for_length(self, logit: float | None, sentences: int) -> float:
        """A message's score from its best window's log-odds, lowered for a message of many
        sentences."""
        if logit is None:
            return 0.0
        if sentences > 1:
            logit -= self.length_penalty * math.log(sentences)
        return probability(logit)

    def signal(self, score: float) -> float:
        """How far a score goes towards an alarm: 0 below the floor, 1 at the threshold."""
        if score <= self.floor:
            return 0.0
        return min(1.0, (score - self.floor) / (self.threshold - self.floor))


def probability(logit: float | None) -> float:
    """The logistic function (0 for no logit, and for one so low it would underflow)."""
    if logit is None or logit < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-logit))


def from_json(data: dict[str, object]) -> Model:
    weights = data["weights"]
    assert isinstance(weights, dict)
    return Model(weights={str(k): float(v) for k, v in weights.items()},
                 bias=float(str(data["bias"])), threshold=float(str(data["threshold"])),
                 floor=float(str(data["floor"])), trained_on=str(data["trained_on"]),
                 length_penalty=float(str(data.get("length_penalty", 0.0))))


def load() -> Model:
    """Read the shipped weights (unzip, parse): what `shipped` does once, and the bench times."""
    path = resources.files("bot.safety.screen").joinpath(MODEL_FILE)
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return from_json(json.load(text))


@cache
def shipped() -> Model:
    """The model that ships with the bot (read once)."""
    return load()
