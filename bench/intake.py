"""Forty responders through the whole intake over a real network: arriving half a second
apart, each doing what a person does (/start, Talk to a peer, the questions, a first message),
against the Bot API emulator answering every call 150 ms late (TGEMU_LATENCY_MS=150, an
ordinary day for Telegram) with Telegram's flood limits on, and the real bot process.

Each responder is a thread driving the emulator's client (tests/e2e/harness.open_request, as
the end-to-end tests do). The time measured is from the bot's first reply (to /start) to the
message giving the request code: what a person waits through, taps included. The client looks
for new messages every 0.1 s, which adds up to 0.1 s per step to every figure.

`backend` PostgreSQL (`--backend postgres` or `both`): the bot keeps its data in a database of
the bench's PostgreSQL server (DATABASE_URL); figures named with `_pg`
(`intake40_rtt150_p90_seconds_pg`).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bench.common import SQLITE, Backend, Keys, Result, percentile
from bench.processes import Bot, running_emulator
from tests.e2e import harness

RESPONDERS = 40
APART_SECONDS = 0.5
LATENCY_MS = 150
TARGET_P90 = 8.0
FIRST_RESPONDER = 918_700_001


def _one(bot: Bot, user_id: int, n: int, times: dict[int, float]) -> None:
    person = bot.emu.user(user_id, f"Intake{n}")
    original = person.wait_for
    first: list[float] = []

    def wait_for(pattern: str, timeout: float = 10.0, after: int = 0) -> dict[str, object]:
        found: dict[str, object] = original(pattern, timeout=timeout, after=after)
        if not first:
            first.append(time.monotonic())  # the reply to /start
        return found

    person.wait_for = wait_for
    try:
        harness.open_request(person, f"Rough call last night, number {n}.")
    except (TimeoutError, AssertionError):
        return
    times[user_id] = time.monotonic() - first[0]


def run(workdir: Path, responders: int = RESPONDERS, latency_ms: int = LATENCY_MS,
        backend: Backend = SQLITE) -> Result:
    ids = [FIRST_RESPONDER + n for n in range(responders)]
    nonmembers = ",".join(str(i) for i in (*harness.NONMEMBER_IDS, *ids))
    times: dict[int, float] = {}
    with running_emulator(workdir, TGEMU_FLOOD="1", TGEMU_LATENCY_MS=str(latency_ms),
                          TGEMU_NONMEMBERS=nonmembers) as server:
        bot = Bot(server, workdir / "bot", Keys.fresh(), database_url=backend.new_url())
        bot.start()
        try:
            bot.wait_for_log("polling for updates")
            threads = []
            for n, user_id in enumerate(ids):
                thread = threading.Thread(target=_one, args=(bot, user_id, n, times))
                thread.start()
                threads.append(thread)
                time.sleep(APART_SECONDS)
            for thread in threads:
                thread.join()
        finally:
            exit_code = bot.stop()
        problems = bot.problems()
    waits = sorted(times.values())
    within = sum(1 for w in waits if w <= TARGET_P90)
    p90 = percentile(waits, 90) if waits else float("nan")
    result = Result(f"Intake, {responders} responders {APART_SECONDS} s apart "
                    f"(emulator {latency_ms} ms late, flood limits on)")
    result.add("holding a code at the end", f"{len(waits)} / {responders}", str(responders),
               len(waits) == responders)
    result.add("first reply to code: p50 / p90 / worst",
               f"{percentile(waits, 50):.1f} s / {p90:.1f} s / {waits[-1]:.1f} s"
               if waits else "none", f"p90 <= {TARGET_P90:.0f} s", p90 <= TARGET_P90)
    result.add(f"within {TARGET_P90:.0f} s", f"{within} / {responders}")
    result.figures.update({
        f"intake{responders}_rtt{latency_ms}_codes": len(waits),
        f"intake{responders}_rtt{latency_ms}_p50_seconds": round(percentile(waits, 50), 1)
        if waits else float("nan"),
        f"intake{responders}_rtt{latency_ms}_p90_seconds": round(p90, 1),
    })
    if exit_code != 0 or problems:
        result.notes.append(f"intake{backend.suffix}: the bot exited with {exit_code}; "
                            f"logged: {problems[:3]}")
    return result
