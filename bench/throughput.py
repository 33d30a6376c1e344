"""Relay throughput over a real network: 50 claimed conversations, each responder writing six
messages in quick succession, against the Bot API emulator answering every call 100 ms late
(TGEMU_LATENCY_MS=100) with Telegram's flood limits on (TGEMU_FLOOD=1), and the real bot
process. The conversations are seeded in the database before the bot starts (sealed as the
bot seals them), so only the relay is timed.

Throughput is the relayed messages divided by the time from the first message sent to the
last one relayed, from the emulator's journal. Telegram allows about 30 messages a second in
all (the bot paces itself at 28), so 28 is the ceiling; a bot that awaits each call in turn
would reach about 1 / 0.1 s = 10.

`backend` PostgreSQL (`--backend postgres` or `both`): the bot keeps its data in a database of
the bench's PostgreSQL server (DATABASE_URL); figures named with `_pg`
(`relay_throughput_rtt100_pg`).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.claimed import FIRST_PEER, PEERS, seed_claimed
from bench.common import SQLITE, Backend, Keys, Result, open_db
from bench.processes import Bot, running_emulator
from tests.e2e import harness

CONVERSATIONS = PEERS  # one conversation per peer: no peer chat takes more than its share
MESSAGES_EACH = 6
FIRST_RESPONDER = 700_000_000
LATENCY_MS = 100
TARGET = 25.0


async def _seed(bot: Bot, keys: Keys) -> dict[int, str]:
    """The conversations, and each responder's request code."""
    db = await open_db(bot.db_path, bot.database_url)
    try:
        await seed_claimed(db, keys.keyring(), CONVERSATIONS, int(time.time()),
                           first_responder=FIRST_RESPONDER)
        rows = await db.fetch_all("SELECT code, peer_id FROM requests")
        by_peer = {int(r["peer_id"]): str(r["code"]) for r in rows}
    finally:
        await db.close()
    return {FIRST_RESPONDER + n: by_peer[FIRST_PEER + n % PEERS] for n in range(CONVERSATIONS)}


def run(workdir: Path, latency_ms: int = LATENCY_MS, messages_each: int = MESSAGES_EACH,
        backend: Backend = SQLITE) -> Result:
    keys = Keys.fresh()
    responders = [FIRST_RESPONDER + n for n in range(CONVERSATIONS)]
    nonmembers = ",".join(str(i) for i in (*harness.NONMEMBER_IDS, *responders))
    with running_emulator(workdir, TGEMU_FLOOD="1", TGEMU_LATENCY_MS=str(latency_ms),
                          TGEMU_NONMEMBERS=nonmembers) as server:
        bot = Bot(server, workdir / "bot", keys, database_url=backend.new_url())
        bot.db_path.parent.mkdir(parents=True, exist_ok=True)
        codes = asyncio.run(_seed(bot, keys))
        bot.start()
        try:
            bot.wait_for_log("polling for updates")
            people = [bot.emu.user(user_id, f"Writer{n}") for n, user_id in enumerate(responders)]
            first_sent = time.time()
            for round_ in range(messages_each):
                for n, person in enumerate(people):
                    person.say(f"Message {round_} of writer {n}.")
            sending = time.time() - first_sent
            expected = len(people) * messages_each
            relayed = _relayed(bot, codes)
            deadline = time.monotonic() + 120
            while len(relayed) < expected and time.monotonic() < deadline:
                time.sleep(0.5)
                relayed = _relayed(bot, codes)
        finally:
            exit_code = bot.stop()
        problems = bot.problems()
    result = Result(f"Relay throughput (emulator {latency_ms} ms late, flood limits on)")
    span = (max(relayed) - first_sent) if relayed else float("nan")
    rate = len(relayed) / span if relayed else 0.0
    result.add("conversations / messages sent", f"{CONVERSATIONS} / {expected} in "
               f"{sending:.1f} s")
    result.add("messages relayed", f"{len(relayed)} / {expected}", str(expected),
               len(relayed) == expected)
    result.add("first sent to last relayed", f"{span:.1f} s")
    result.add("relayed per second", f"{rate:.1f}", f">= {TARGET:.0f}", rate >= TARGET)
    result.figures[f"relay_throughput_rtt{latency_ms}"] = round(rate, 1)
    result.figures[f"relay_throughput_rtt{latency_ms}_relayed"] = len(relayed)
    if exit_code != 0 or problems:
        result.notes.append(f"throughput{backend.suffix}: the bot exited with {exit_code}; "
                            f"logged: {problems[:3]}")
    return result


def _relayed(bot: Bot, codes: dict[int, str]) -> list[float]:
    """Journal times (s) of the relayed messages that reached a peer."""
    labels = tuple(f"{code}: Message" for code in codes.values())
    peers = {str(FIRST_PEER + n) for n in range(PEERS)}
    return [entry["time"] / 1000 for entry in bot.emu.journal()
            if entry.get("status") == 200 and entry.get("method") == "sendMessage"
            and str(entry.get("chat_id")) in peers
            and str(entry.get("text") or "").startswith(labels)]
