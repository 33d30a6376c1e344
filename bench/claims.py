"""The claim race: 50 peers press Claim on one request at the same moment, 100 times over.

In this process: the real application on an instant Bot API (getChatMember answers "member"
at once), 50 peers registered through /start, and each run's request seeded open with one
message waiting. Each run gathers 50 calls of `bot.requests.claims.claim`, the whole path a Claim
button takes (membership check, the conditional UPDATE, the winner's briefing, the card).
A run counts when exactly one peer is told "yours", the other 49 "already claimed", and the
database names that one peer.

`backend` PostgreSQL (`--backend postgres` or `both`): the same on a database of the bench's
PostgreSQL server, where the conditional UPDATEs race in SERIALIZABLE transactions and a loser
runs again; figures named with `_pg` (`claim_race_single_winner_runs_pg`).
"""

from __future__ import annotations

import asyncio
import collections
import time
from pathlib import Path

from telegram import Update

from bench.common import (
    SQLITE,
    Backend,
    Keys,
    Result,
    make_settings,
    median,
    mid_ladder,
    seed_open_requests,
)
from bot.app import BotApplication, build_application
from bot.platform.outbox import send_scope
from bot.platform.services import Services
from bot.requests import claims
from storage.requests import State
from tests.unit.offline import OfflineRequest, Person

PEER_BASE = 2001


async def _register(app: BotApplication, peers: list[int]) -> None:
    for user_id in peers:
        update = Update.de_json(Person(user_id, f"Peer{user_id}").command("/start"), app.bot)
        assert update is not None
        with send_scope(f"u{update.update_id}"):
            await app.process_update(update)


async def _race(services: Services, request_id: str, peers: list[int]) -> tuple[list[str],
                                                                                int | None]:
    """Every peer presses Claim at once: the answer each is given, and who holds the
    request in the database afterwards."""
    outcome = await asyncio.gather(*(claims.claim(services, request_id, peer_id)
                                     for peer_id in peers))
    claimed = await services.requests.get(request_id)
    holder = claimed.peer_id if claimed and claimed.state is State.CLAIMED else None
    return [answer.key or "" for answer in outcome], holder


async def run(workdir: Path, runs: int = 100, claimers: int = 50,
              backend: Backend = SQLITE) -> Result:
    keys = Keys.fresh()
    peers = [PEER_BASE + n for n in range(claimers)]
    request = OfflineRequest(members=set(peers), record=False)
    app = build_application(make_settings(workdir, keys, backend), request)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    services = app.bot_data.services
    assert services is not None
    outbox = services.outbox
    outbox.overall_per_second = outbox.group_per_minute = outbox.busy_per_minute = 10 ** 9
    single = wrong_holder = 0
    answers: collections.Counter[str] = collections.Counter()
    seconds: list[float] = []
    try:
        await _register(app, peers)
        registered = len(await services.peers.all())
        if registered != claimers:
            raise RuntimeError(f"only {registered} of {claimers} peers registered")
        seeds = mid_ladder(runs, int(time.time()), 900_000_000, soonest=3600)
        ids = await seed_open_requests(services.db, keys.keyring(), seeds)
        for request_id in ids:
            await services.messages.add_text(request_id, "responder", "Rough night shift.",
                                             services.clock())
        for request_id in ids:
            started = time.perf_counter()
            given, holder = await _race(services, request_id, peers)
            seconds.append(time.perf_counter() - started)
            answers.update(given)
            winners = [peer for peer, key in zip(peers, given, strict=True)
                       if key == "claim_won"]
            if len(winners) == 1 and given.count("claim_already") == claimers - 1:
                single += holder == winners[0]
                wrong_holder += holder != winners[0]
    finally:
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()

    result = Result("Claim race")
    result.add("runs with exactly one winner", f"{single} / {runs}", f"{runs} / {runs}",
               single == runs)
    result.add("answers given", ", ".join(f"{k} {v}" for k, v in sorted(answers.items())))
    result.add(f"one race ({claimers} claims), median", f"{median(seconds) * 1000:.0f} ms")
    if wrong_holder:
        result.add("runs whose database holder differs from the winner", str(wrong_holder))
    result.figures.update({
        "claim_race_single_winner_runs": single,
        "claim_race_median_ms": round(median(seconds) * 1000),
    })
    return result
