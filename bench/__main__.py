"""`python -m bench`: run the benchmarks, print a table, then one `name: value` line per figure.

    python -m bench                  # all of them (about 4 minutes on 2 cores)
    python -m bench --only relay     # one (or a comma-separated few) of them
    python -m bench --quick          # smaller sizes, for trying a change
    python -m bench --profile        # where the relay path spends its time
    python -m bench --backend both   # each one on SQLite, then again on PostgreSQL
    python -m bench --only relay,claims,escalation,sweep --backend postgres

`--backend` says where the bot keeps its data: `sqlite` (the default: files under --workdir),
`postgres` (a database of each bot's own on a throwaway PostgreSQL server started for the run
from the machine's server binaries, as tests/postgres.py starts one for the tests, but durable:
bench/pgserver.py) or `both`, each benchmark on SQLite and then on PostgreSQL. A run on
PostgreSQL reports the same figures with `_pg` at the end of each name
(`relay_overhead_ratio_pg`, `claim_race_single_winner_runs_pg`, ...); ratios are against
baselines measured in that same run, as on SQLite. The crisis screen keeps nothing, so it runs
once, under its own names.

Progress goes to stderr; the table and the figures go to stdout. Lines starting with "#" say
how each figure was measured. The exit status is 1 if a benchmark could not run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    burst,
    claims,
    escalation,
    intake,
    pgserver,
    relay,
    screen,
    startup,
    sweep,
    throughput,
)
from bench.common import SQLITE, Backend, LogTally, Result, Row, filesystem, machine

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
NO_DATABASE = frozenset({"screen"})  # runs once whatever --backend says
BACKENDS = ("sqlite", "postgres", "both")


def _runner(name: str, quick: bool, backend: Backend) -> Callable[[Path], Result]:
    if name == "relay":
        sizes = {"updates": 1000, "warmup": 100} if quick else {}
        return lambda d: asyncio.run(relay.run(d, **sizes, backend=backend))
    if name == "throughput":
        return lambda d: throughput.run(d, **({"messages_each": 2} if quick else {}),
                                        backend=backend)
    if name == "intake":
        return lambda d: intake.run(d, **({"responders": 10} if quick else {}),
                                    backend=backend)
    if name == "startup":
        return lambda d: startup.run(d, runs=1 if quick else 3, backend=backend)
    if name == "sweep":
        return lambda d: asyncio.run(sweep.run(d, **({"runs": 5, "baseline_sample": 1000}
                                                     if quick else {}), backend=backend))
    if name == "escalation":
        return lambda d: asyncio.run(escalation.run(d, **({"pending": 2000} if quick else {}),
                                                    backend=backend))
    if name == "claims":
        return lambda d: asyncio.run(claims.run(d, runs=20 if quick else 100, backend=backend))
    if name == "screen":
        return lambda d: screen.run(d, runs=1 if quick else 3)
    if quick:
        return lambda d: burst.run(d, requests=100, seconds=12.0, backend=backend)
    return lambda d: burst.run(d, backend=backend)


def _passes(name: str, backends: list[Backend]) -> list[Backend]:
    """The backends `name` runs on: each asked for, or just once if it keeps nothing."""
    return [SQLITE] if name in NO_DATABASE else backends


def _on(result: Result, backend: Backend) -> Result:
    """`result` as measured on `backend`: on PostgreSQL its title says so and every figure's
    name ends in `_pg`."""
    if backend.postgres:
        result.name = f"{result.name} on {backend.name}"
        result.figures = {f"{key}{backend.suffix}": value
                          for key, value in result.figures.items()}
    return result


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


def _run_one(name: str, backend: Backend, quick: bool, root: Path, tally: LogTally,
             ) -> tuple[Result, bool]:
    """Benchmark `name` on `backend` in a folder of its own under `root`: its result, and
    whether it ran."""
    label = f"{name}{backend.suffix}"
    print(f"running {label} ...", file=sys.stderr, flush=True)  # noqa: T201
    tally.reset()
    started = time.monotonic()
    workdir = root / label
    workdir.mkdir()
    ran = True
    try:
        result = _on(_runner(name, quick, backend)(workdir), backend)
    except Exception as exc:
        ran = False
        result = Result(label, [Row("could not run", f"{type(exc).__name__}: {exc}"[:200])])
    result.seconds = time.monotonic() - started
    if tally.count:
        result.notes.append(f"{label}: the bot logged {tally.count} line(s) at WARNING or "
                            f"above in this process; first: {tally.first}")
    print(f"  {label}: {result.seconds:.0f} s", file=sys.stderr, flush=True)  # noqa: T201
    return result, ran


def _parser() -> argparse.ArgumentParser:
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
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite",
                        help="where the bot keeps its data: sqlite (default), postgres (a "
                             "throwaway server started for the run; figures named *_pg) or "
                             "both, one after the other")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(NAMES))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {NAMES}")
    if args.profile and args.backend != "sqlite":
        parser.error("--profile measures the relay on SQLite only")
    needs_server = args.backend != "sqlite" and not set(chosen) <= NO_DATABASE

    tally = LogTally()
    logging.getLogger().addHandler(tally)
    began = time.monotonic()
    with (tempfile.TemporaryDirectory(prefix="bench-", dir=args.workdir) as tmp,
          contextlib.ExitStack() as stack):
        root = Path(tmp)
        if args.profile:
            from bench import profile  # noqa: PLC0415 (imports pyinstrument when asked)
            print(asyncio.run(profile.run(root)))  # noqa: T201
            return 0
        backends = [SQLITE] if args.backend != "postgres" else []
        server_line = ""
        if needs_server:
            print("starting PostgreSQL ...", file=sys.stderr, flush=True)  # noqa: T201
            try:
                server = stack.enter_context(pgserver.running())
            except pgserver.NoPostgresError as exc:
                print(f"python -m bench: {exc}", file=sys.stderr)  # noqa: T201
                return 2
            backends.append(Backend(server))
            server_line = pgserver.describe(server)
        results: list[Result] = []
        failed = False
        for name in [n for n in NAMES if n in chosen]:
            for backend in _passes(name, backends):
                result, ran = _run_one(name, backend, args.quick, root, tally)
                results.append(result)
                failed = failed or not ran
        where = f"{tmp} ({filesystem(root)})"
    total = time.monotonic() - began

    out = [f"# machine: {line}" for line in machine()]
    out.append(f"# databases in {where}; {'--quick sizes, ' if args.quick else ''}"
               f"total {total:.0f} s")
    if server_line:
        out.append(f"# postgres: {server_line}")
    out += [f"# {note}" for result in results for note in result.notes]
    out += ["", _table(results), ""]
    figures = {k: v for result in results for k, v in result.figures.items()}
    required = [f"{key}{backend.suffix}" for name in NAMES if name in chosen
                for backend in _passes(name, backends) for key in REQUIRED[name]]
    out += [f"{key}: {_value(figures.get(key, math.nan))}" for key in required]
    out += [f"{key}: {_value(value)}" for key, value in figures.items() if key not in required]
    out.append(f"bench_total_seconds: {total:.0f}")
    print("\n".join(out))  # noqa: T201
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
