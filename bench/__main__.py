"""`python -m bench`: run the benchmarks, print a table, then one `name: value` line per figure.

    python -m bench                  # all of them (about 4 minutes on 2 cores)
    python -m bench --only relay     # one (or a comma-separated few) of them
    python -m bench --quick          # smaller sizes, for trying a change
    python -m bench --profile        # where the relay path spends its time

Progress goes to stderr; the table and the figures go to stdout. Lines starting with "#" say
how each figure was measured. The exit status is 1 if a benchmark could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import burst, claims, escalation, intake, relay, screen, startup, sweep, throughput
from bench.common import LogTally, Result, Row, filesystem, machine

NAMES = ("relay", "throughput", "intake", "startup", "sweep", "escalation", "claims",
         "burst", "screen")
REQUIRED = {
    "relay": ("relay_overhead_ratio",),
    "throughput": ("relay_throughput_rtt100",),
    "intake": ("intake40_rtt150_codes", "intake40_rtt150_p90_seconds"),
    "startup": ("startup_10k_seconds", "startup_10k_rss_mb", "startup_10k_claimed_seconds"),
    "sweep": ("sweep_10k_claimed_loop_share",),
    "escalation": ("escalation_lateness_p99_seconds",),
    "claims": ("claim_race_single_winner_runs",),
    "burst": ("burst_lost_messages", "burst_429s", "burst_ack_p99_seconds",
              "burst_claimable_seconds"),
    "screen": ("screen_p50_us", "screen_4000_chars_ms", "screen_model_load_seconds"),
}


def _runner(name: str, quick: bool) -> Callable[[Path], Result]:
    if name == "relay":
        sizes = {"updates": 1000, "warmup": 100} if quick else {}
        return lambda d: asyncio.run(relay.run(d, **sizes))
    if name == "throughput":
        return lambda d: throughput.run(d, **({"messages_each": 2} if quick else {}))
    if name == "intake":
        return lambda d: intake.run(d, **({"responders": 10} if quick else {}))
    if name == "startup":
        return lambda d: startup.run(d, runs=1 if quick else 3)
    if name == "sweep":
        return lambda d: asyncio.run(sweep.run(d, **({"runs": 5, "baseline_sample": 1000}
                                                     if quick else {})))
    if name == "escalation":
        return lambda d: asyncio.run(escalation.run(d, **({"pending": 2000} if quick else {})))
    if name == "claims":
        return lambda d: asyncio.run(claims.run(d, runs=20 if quick else 100))
    if name == "screen":
        return lambda d: screen.run(d, runs=1 if quick else 3)
    if quick:
        return lambda d: burst.run(d, requests=100, seconds=12.0)
    return burst.run


def _table(results: list[Result]) -> str:
    rows = [row for result in results for row in result.rows]
    header = Row("measure", "value", "target")
    widths = [max(len(r.measure) for r in [header, *rows]),
              max(len(r.value) for r in [header, *rows]),
              max(len(r.target) for r in [header, *rows])]

    def line(row: Row, met: str) -> str:
        return (f"  {row.measure:<{widths[0]}}  {row.value:<{widths[1]}}  "
                f"{row.target:<{widths[2]}}  {met}").rstrip()

    out = [line(header, "met")]
    for result in results:
        out.append(f"{result.name} ({result.seconds:.0f} s)")
        out += [line(row, {True: "yes", False: "NO", None: ""}[row.met])
                for row in result.rows]
    return "\n".join(out)


def _value(value: float) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(NAMES),
                        help=f"comma-separated benchmarks to run, of {', '.join(NAMES)}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (not comparable)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the relay path instead of benchmarking")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the temporary databases go (default: the system's temp "
                             "folder); the disk matters, SQLite syncs every commit")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(NAMES))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {NAMES}")

    tally = LogTally()
    logging.getLogger().addHandler(tally)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.workdir) as tmp:
        root = Path(tmp)
        if args.profile:
            from bench import profile  # noqa: PLC0415 (imports pyinstrument when asked)
            print(asyncio.run(profile.run(root)))  # noqa: T201
            return 0
        results: list[Result] = []
        failed = False
        for name in [n for n in NAMES if n in chosen]:
            print(f"running {name} ...", file=sys.stderr, flush=True)  # noqa: T201
            tally.reset()
            started = time.monotonic()
            workdir = root / name
            workdir.mkdir()
            try:
                result = _runner(name, args.quick)(workdir)
            except Exception as exc:
                failed = True
                result = Result(name, [Row("could not run", f"{type(exc).__name__}: {exc}"[:200])])
            result.seconds = time.monotonic() - started
            if tally.count:
                result.notes.append(f"{name}: the bot logged {tally.count} line(s) at WARNING "
                                    f"or above in this process; first: {tally.first}")
            results.append(result)
            print(f"  {name}: {result.seconds:.0f} s", file=sys.stderr, flush=True)  # noqa: T201
        where = f"{tmp} ({filesystem(root)})"
    total = time.monotonic() - began

    out = [f"# machine: {line}" for line in machine()]
    out.append(f"# databases in {where}; {'--quick sizes, ' if args.quick else ''}"
               f"total {total:.0f} s")
    out += [f"# {note}" for result in results for note in result.notes]
    out += ["", _table(results), ""]
    figures = {k: v for result in results for k, v in result.figures.items()}
    required = [key for name in NAMES if name in chosen for key in REQUIRED[name]]
    out += [f"{key}: {_value(figures.get(key, math.nan))}" for key in required]
    out += [f"{key}: {_value(value)}" for key, value in figures.items() if key not in required]
    out.append(f"bench_total_seconds: {total:.0f}")
    print("\n".join(out))  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
