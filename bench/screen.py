"""The crisis screen's cost: a typical message, a 4,000-character one, and loading the model.

Typical messages are the validation split of `corpus/` (what responders write, one to a few
sentences); the long one is ordinary long messages of that split joined and cut at 4,000
characters (the most the bot passes on in one message). Each is timed in this process with
`time.perf_counter_ns`, after one warm-up pass; the median is quoted. Loading the model is
timed from the shipped file (read, unzip, parse), as start-up does it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import Result
from bot.safety.screen import layers, model
from bot.safety.screen.corpus import read_tsv

REPO = Path(__file__).resolve().parents[1]
LONG_CHARS = 4000


def _time_ns(text: str) -> int:
    started = time.perf_counter_ns()
    layers.read(text)
    return time.perf_counter_ns() - started


def _load_seconds() -> float:
    started = time.perf_counter()
    model.load()
    return time.perf_counter() - started


def _import_seconds() -> float:
    """A fresh interpreter importing the screen (rules built) and loading the model."""
    code = ("import time; t = time.perf_counter(); from bot.safety.screen import layers; "
            "layers.read(''); print(time.perf_counter() - t)")
    output = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,  # noqa: S603
                            text=True, check=True, timeout=60).stdout
    return float(output.strip())


def run(_: Path, runs: int = 3) -> Result:
    messages = [e.text for e in read_tsv(REPO / "corpus" / "split" / "validation.tsv")]
    long_parts = [text for text in messages if len(text) > 350]
    long_text = " ".join(long_parts * (1 + LONG_CHARS // max(1, sum(map(len, long_parts)))))
    long_text = long_text[:LONG_CHARS]
    for text in messages:  # warm-up: the rules and the model loaded, caches filled
        layers.read(text)
    typical = [_time_ns(text) for _ in range(runs) for text in messages]
    long = [_time_ns(long_text) for _ in range(20 * runs)]
    load = statistics.median(_load_seconds() for _ in range(runs))
    start = statistics.median(_import_seconds() for _ in range(runs))

    result = Result("screen")
    p50 = statistics.median(typical) / 1000
    p99 = statistics.quantiles(typical, n=100)[98] / 1000
    long_ms = statistics.median(long) / 1e6
    result.add("a typical message, median", f"{p50:.0f} µs (p99 {p99:.0f} µs)", "<= 1,000 µs",
               p50 <= 1000)
    result.add("a 4,000-character message, median", f"{long_ms:.1f} ms", "<= 10 ms",
               long_ms <= 10)
    result.add("loading the model", f"{load:.2f} s", "<= 0.5 s", load <= 0.5)
    result.add("importing the screen and loading the model (fresh process)", f"{start:.2f} s")
    result.figures.update({
        "screen_p50_us": round(p50), "screen_p99_us": round(p99),
        "screen_4000_chars_ms": round(long_ms, 2), "screen_model_load_seconds": round(load, 3),
        "screen_start_seconds": round(start, 2)})
    result.notes.append(f"screen: {len(messages)} validation messages x {runs}; the long one "
                        f"{len(long_text)} characters, {len(layers.sentences(long_text))} "
                        "sentences, x 20 per run")
    return result
