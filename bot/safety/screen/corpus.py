"""Labelled messages as tab-separated files: a header `label<TAB>lang<TAB>text`, then one
message a line, labelled `risk` or `calm`. The training data, its split and the held-out sets
in `corpus/` are all in this form, and so is what `python -m bot screen --evaluate` reads."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LABELS = ("risk", "calm")


@dataclass(frozen=True)
class Example:
    label: str  # risk | calm
    lang: str
    text: str

    @property
    def risky(self) -> bool:
        return self.label == "risk"


def read_tsv(path: Path) -> list[Example]:
    """Every labelled message of a file; ValueError naming the line that is not one."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, None)
        if header is None or [h.strip().lower() for h in header[:3]] != ["label", "lang", "text"]:
            raise ValueError("the first line must be the header: label, lang, text "
                             "(separated by tabs)")
        examples = []
        for number, row in enumerate(rows, start=2):
            if not row or not "".join(row).strip():
                continue
            label = row[0].strip().lower()
            if len(row) < 3 or label not in LABELS:
                raise ValueError(f"line {number}: expected risk or calm, a language and a text, "
                                 "separated by tabs")
            examples.append(Example(label, row[1].strip().lower(), "\t".join(row[2:]).strip()))
    return examples


def write_tsv(path: Path, examples: Iterable[Example]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("label\tlang\ttext\n")
        for example in examples:
            handle.write(f"{example.label}\t{example.lang}\t{example.text}\n")
