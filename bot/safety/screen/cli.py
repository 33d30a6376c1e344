"""`python -m bot screen`: the crisis screen on the command line, so an agency can check it on
its own words before trusting it.

    python -m bot screen < messages.txt           one message a line in; one verdict a line out:
                                                  `risk` or `calm`, a tab, then the reasons
    python -m bot screen --evaluate labelled.tsv  recall and false alarms per language, with
                                                  counts and 95 % confidence intervals

A labelled file has the header `label<TAB>lang<TAB>text` and one message a line, labelled
`risk` or `calm`. Nothing is stored or sent anywhere: the screen runs in this process.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bot.safety.screen import layers
from bot.safety.screen.corpus import Example, read_tsv

Z_95 = 1.959964


def wilson(hits: int, total: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion (sound for small counts and for 0 or 1)."""
    if total == 0:
        return (0.0, 1.0)
    share = hits / total
    denominator = 1 + Z_95**2 / total
    centre = (share + Z_95**2 / (2 * total)) / denominator
    margin = Z_95 * math.sqrt(share * (1 - share) / total + Z_95**2 / (4 * total**2))
    return (max(0.0, centre - margin / denominator), min(1.0, centre + margin / denominator))


def verdict(text: str) -> str:
    reading = layers.read(text)
    reasons = [layers.LEARNED + f" ({reading.score:.2f})" if reason == layers.LEARNED
               else reason for reason in reading.reasons]
    return f"{'risk' if reading.at_risk else 'calm'}\t{', '.join(reasons)}"


@dataclass
class Tally:
    risky: int = 0
    caught: int = 0
    calm: int = 0
    alarmed: int = 0
    missed_texts: list[str] = field(default_factory=list)
    alarmed_texts: list[str] = field(default_factory=list)

    def add(self, example: Example, at_risk: bool) -> None:
        if example.risky:
            self.risky += 1
            self.caught += at_risk
            if not at_risk:
                self.missed_texts.append(example.text)
        else:
            self.calm += 1
            self.alarmed += at_risk
            if at_risk:
                self.alarmed_texts.append(example.text)


def _share(hits: int, total: int) -> str:
    if total == 0:
        return "-"
    low, high = wilson(hits, total)
    return f"{hits / total:.2f} ({hits}/{total}; 95% CI {low:.2f}-{high:.2f})"


def evaluate(examples: Iterable[Example]) -> dict[str, Tally]:
    """Each example screened once, tallied by language and in all ("all")."""
    tallies: dict[str, Tally] = {}
    for example in examples:
        at_risk = layers.read(example.text).at_risk
        for key in (example.lang, "all"):
            tallies.setdefault(key, Tally()).add(example, at_risk)
    return tallies


def report(tallies: dict[str, Tally], out: TextIO, show_errors: bool = False) -> None:
    print("language\trecall\tfalse alarms", file=out)
    for language in sorted(tallies, key=lambda key: (key == "all", key)):
        tally = tallies[language]
        print(f"{language}\t{_share(tally.caught, tally.risky)}\t"
              f"{_share(tally.alarmed, tally.calm)}", file=out)
    if show_errors:
        everything = tallies.get("all", Tally())
        for text in everything.missed_texts:
            print(f"missed\t{text}", file=out)
        for text in everything.alarmed_texts:
            print(f"false alarm\t{text}", file=out)


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot screen", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluate", metavar="FILE.tsv", type=Path,
                        help="a labelled file: label (risk|calm), lang, text, with that header")
    parser.add_argument("--show-errors", action="store_true",
                        help="with --evaluate: also list every missed message and false alarm")
    args = parser.parse_args(argv)
    source, out = stdin or sys.stdin, stdout or sys.stdout
    if args.evaluate is None:
        for line in source:
            print(verdict(line.rstrip("\n")), file=out, flush=True)
        return 0
    try:
        examples = read_tsv(args.evaluate)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.evaluate}: {exc}", file=sys.stderr)
        return 2
    if not examples:
        print(f"{args.evaluate} holds no labelled message", file=sys.stderr)
        return 2
    report(evaluate(examples), out, args.show_errors)
    return 0
