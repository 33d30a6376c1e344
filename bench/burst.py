"""A burst: 500 responders each open a request within 60 s, against the Bot API emulator with
Telegram's flood limits on (TGEMU_FLOOD=1: 20 messages a minute into a group, 30 a second
overall) answering every call 100 ms late as a real network does (TGEMU_LATENCY_MS=100), and
the real bot process, one peer on call.

Each responder presses "Talk to a peer" and writes at once (the shortest way in, as
tests/e2e/test_flood.py does). Times come from the emulator's journal (every Bot API call with
its time) against the moment each message was sent:

- acknowledged: the first "Your request R-XXXX ..." message in the responder's chat;
- visible to peers: the first message with a Claim button naming the request, in the group (a
  card or the digest) or in the on-call peer's private chat;
- lost: a responder never acknowledged, a request nobody can claim at the end, or a first
  message missing from the database (read back with the keys after the bot stops).

`backend` PostgreSQL (`--backend postgres` or `both`): the bot keeps its data in a database of
the bench's PostgreSQL server (DATABASE_URL); figures named with `_pg`
(`burst_ack_p99_seconds_pg`).
"""

from __future__ import annotations

import asyncio
import collections
import json
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import GROUP, SQLITE, Backend, Keys, Result, median, open_db, percentile
from bench.processes import Bot, Emulator, running_emulator
from storage.messages import MessageRepository
from storage.requests import RequestRepository
from tests.e2e import harness

CODE = re.compile(r"R-[2-9A-Z]{4}")
ACK = re.compile(r"Your request (R-[2-9A-Z]{4})")
OPENED = re.compile(r"request (R-[2-9A-Z]{4}) opened")
FIRST_RESPONDER = 918_600_001
PEER_ID = 2001
LATENCY_MS = 100
SETTLE_TIMEOUT = 150.0  # each wait; keeps a failing run under 10 minutes


def _markup(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    markup = entry.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup) if markup else None
    return [b for row in (markup or {}).get("inline_keyboard", []) for b in row]


def _claimable(entry: Mapping[str, Any]) -> set[str]:
    """Codes this message offers to claim: its text's codes, if it has a Claim button."""
    if not any(str(b.get("callback_data", "")).startswith("claim:") for b in _markup(entry)):
        return set()
    return set(CODE.findall(entry.get("text") or ""))


def _first_times(journal: list[dict[str, Any]], chats: set[str],
                 pattern: re.Pattern[str] | None = None) -> dict[str, float]:
    """Per code, the journal time (s) of the first successful message in `chats` that names it
    (with `pattern`: whose text matches; without: that offers to claim it)."""
    first: dict[str, float] = {}
    for entry in journal:
        if entry.get("status") != 200 or str(entry.get("chat_id")) not in chats:
            continue
        if entry.get("method") not in ("sendMessage", "editMessageText"):
            continue
        if pattern is not None:
            found = pattern.search(entry.get("text") or "")
            codes = {found.group(1)} if found else set()
        else:
            codes = _claimable(entry)
        for code in codes:
            first.setdefault(code, entry["time"] / 1000)
    return first


def _acks(journal: list[dict[str, Any]], chat_id: int) -> str | None:
    for entry in journal:
        if (entry.get("status") == 200 and entry.get("method") == "sendMessage"
                and str(entry.get("chat_id")) == str(chat_id)):
            found = ACK.search(entry.get("text") or "")
            if found:
                return found.group(1)
    return None


def _claimable_now(emu: Emulator, chat_ids: tuple[int, ...]) -> set[str]:
    """Codes with a live Claim button in these chats, as the messages are now."""
    shown: set[str] = set()
    for chat_id in chat_ids:
        for message in emu.bot_messages(chat_id):
            shown |= _claimable(message)
    return shown


async def _stored(bot: Bot, keys: Keys, expected: Mapping[str, str]) -> int:
    """How many requests hold the first message their responder wrote."""
    db = await open_db(bot.db_path, bot.database_url)
    try:
        keyring = keys.keyring()
        requests, messages = RequestRepository(db, keyring), MessageRepository(db, keyring)
        found = 0
        for code, text in expected.items():
            request = await requests.get_by_code(code)
            if request is not None and any(m.text == text
                                           for m in await messages.conversation(request.id)):
                found += 1
        return found
    finally:
        await db.close()


def _wait(check: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(1.0)
    return True


@dataclass
class Observed:
    """What the burst left: when each message went, the journal, and what is claimable."""

    ids: list[int]
    sent: list[float]
    started: float
    sending: float
    journal: list[dict[str, Any]] = field(default_factory=list)
    codes: dict[int, str | None] = field(default_factory=dict)
    claimable: set[str] = field(default_factory=set)
    in_group: set[str] = field(default_factory=set)
    sample_claim: bool = False
    opened_at: dict[str, float] = field(default_factory=dict)  # from the bot's log

    @property
    def known(self) -> set[str]:
        return {code for code in self.codes.values() if code}


def _drive(emu: Emulator, ids: list[int], seconds: float) -> Observed:
    """Every responder presses Talk and writes once, evenly spread over `seconds`."""
    people = [emu.user(user_id, f"Burst{n}") for n, user_id in enumerate(ids)]
    sent: list[float] = []
    started, clock = time.time(), time.monotonic()
    for n, person in enumerate(people):
        harness.forge_press(emu, person, "talk")  # "Talk to a peer", not waited on
        sent.append(time.time())
        person.say(f"Message number {n} from the burst.")
        time.sleep(max(0.0, clock + (n + 1) * seconds / len(ids) - time.monotonic()))
    return Observed(ids, sent, started, time.time() - started)


def _settle(emu: Emulator, avery: harness.Peer, seen: Observed) -> None:
    """Wait until everyone is acknowledged and every request claimable (or time is up)."""

    def acknowledged() -> bool:
        journal = emu.journal()
        return all(_acks(journal, user_id) for user_id in seen.ids)

    _wait(acknowledged, SETTLE_TIMEOUT)
    seen.journal = emu.journal()
    seen.codes = {user_id: _acks(seen.journal, user_id) for user_id in seen.ids}
    _wait(lambda: seen.known <= _claimable_now(emu, (GROUP, PEER_ID)), SETTLE_TIMEOUT)
    seen.journal = emu.journal()
    seen.claimable = _claimable_now(emu, (GROUP, PEER_ID))
    seen.in_group = _claimable_now(emu, (GROUP,))
    seen.sample_claim = _sample_claim(emu, avery, seen.codes, seen.ids)


def run(workdir: Path, requests: int = 500, seconds: float = 60.0,
        latency_ms: int = LATENCY_MS, backend: Backend = SQLITE) -> Result:
    ids = [FIRST_RESPONDER + n for n in range(requests)]
    nonmembers = ",".join(str(i) for i in (*harness.NONMEMBER_IDS, *ids))
    keys = Keys.fresh()
    with running_emulator(workdir, TGEMU_FLOOD="1", TGEMU_LATENCY_MS=str(latency_ms),
                          TGEMU_NONMEMBERS=nonmembers) as server:
        bot = Bot(server, workdir / "bot", keys, database_url=backend.new_url())
        bot.start()
        try:
            bot.wait_for_log("polling for updates")
            avery = harness.register(harness.peer(bot.emu, PEER_ID, "Avery"))
            avery.private.command("/oncall 1h")
            avery.private.wait_for(r"You are on call until", timeout=harness.WAIT)
            seen = _drive(bot.emu, ids, seconds)
            _settle(bot.emu, avery, seen)
        finally:
            exit_code = bot.stop()
        problems = bot.problems()
        seen.opened_at = bot.log_times(OPENED)
    expected = {code: f"Message number {n} from the burst."
                for n, code in enumerate(seen.codes[user_id] for user_id in ids) if code}
    stored = asyncio.run(_stored(bot, keys, expected))
    result = _report(seen, stored, seconds, latency_ms, backend)
    if exit_code != 0 or problems:
        result.notes.append(f"burst{backend.suffix}: the bot exited with {exit_code}; "
                            f"logged: {problems[:3]}")
    return result


def _report(seen: Observed, stored: int, seconds: float, latency_ms: int,
            backend: Backend) -> Result:
    journal, ids, known = seen.journal, seen.ids, seen.known
    in_order = [seen.codes[user_id] for user_id in ids]
    ack_at = _first_times(journal, {str(i) for i in ids}, ACK)
    visible_at = _first_times(journal, {str(GROUP), str(PEER_ID)})
    private_at = _first_times(journal, {str(PEER_ID)})
    group_at = _first_times(journal, {str(GROUP)})
    latencies = [ack_at[code] - at for code, at in zip(in_order, seen.sent, strict=True)
                 if code in ack_at]
    opened = [seen.opened_at[code] - at for code, at in zip(in_order, seen.sent, strict=True)
              if code in seen.opened_at]
    methods = collections.Counter(str(c.get("method")) for c in journal
                                  if c.get("status") == 200)
    to_group = [group_at[code] - at for code, at in zip(in_order, seen.sent, strict=True)
                if code in group_at]
    visible_all = (max(visible_at[c] for c in known) - seen.started
                   if known and known <= visible_at.keys() else math.nan)
    # Each request from its own first message to claimable from the on-call peer's chat: the
    # burst itself lasts `seconds`, so "every request, from the burst's first message" cannot
    # be less than that (burst_all_claimable_seconds keeps that older measure).
    private_each = [private_at[code] - at for code, at in zip(in_order, seen.sent, strict=True)
                    if code in private_at]
    private_all = (max(private_each) if known and known <= private_at.keys() else math.nan)
    lost = sum(1 for code in in_order if code is None or code not in seen.claimable)
    lost += len(known) - stored
    refused = sum(1 for c in journal if c.get("status") == 429)
    group_sends = sum(1 for c in journal if str(c.get("chat_id")) == str(GROUP)
                      and c.get("method") == "sendMessage" and c.get("status") == 200)

    result = Result(f"Burst (emulator {latency_ms} ms late, flood limits on)")
    result.add("requests sent", f"{len(ids)} in {seen.sending:.1f} s")
    result.add("acknowledged", f"{len(latencies)} / {len(ids)}")
    result.add("request opened by the bot (its log): p50 / p99",
               f"{median(opened):.2f} s / {percentile(opened, 99):.2f} s")
    result.add("acknowledgement p50 / p99",
               f"{median(latencies):.2f} s / {percentile(latencies, 99):.2f} s")
    result.add("every request claimable by a peer after",
               f"{visible_all:.1f} s from the burst's first message")
    result.add("  each from its own message, in the on-call peer's chat: p50 / worst",
               f"{median(private_each):.1f} s / {private_all:.1f} s", "worst <= 15 s",
               private_all <= 15)
    result.add("  claimable in the group itself at the end",
               f"{len(seen.in_group & known)} / {len(known)} (cards and digest)")
    result.add("  first listed in the group: p50 after sending",
               f"{median(to_group):.1f} s ({len(to_group)} ever listed)")
    result.add("messages into the group (sendMessage)", str(group_sends))
    result.add("Bot API calls (top 3)", ", ".join(
        f"{method} {count}" for method, count in methods.most_common(3)))
    result.add("429 Too Many Requests received", str(refused))
    result.add("first messages stored (read back)", f"{stored} / {len(known)}")
    result.add("sample claim: last request's message relayed",
               "yes" if seen.sample_claim else "NO")
    result.add("messages lost", str(lost), "0", lost == 0)
    result.figures.update({
        "burst_lost_messages": lost,
        "burst_429s": refused,
        "burst_ack_p50_seconds": round(median(latencies), 2),
        "burst_ack_p99_seconds": round(percentile(latencies, 99), 2),
        "burst_opened_p99_seconds": round(percentile(opened, 99), 2),
        "burst_all_claimable_seconds": round(visible_all, 1),
        "burst_claimable_seconds": round(private_all, 1),
        "burst_claimable_in_group": len(seen.in_group & known),
    })
    result.notes.append(
        f"burst{backend.suffix}: `python -m bot` at LOG_LEVEL=INFO on {backend.name}, "
        "emulator with TGEMU_FLOOD=1 and "
        f"TGEMU_LATENCY_MS={latency_ms}, {len(ids)} "
        f"responders each pressing Talk and writing once, evenly over {seconds:.0f} s; one "
        "peer on call (so every request also reaches a private chat with a Claim button)")
    return result


def _sample_claim(emu: Emulator, avery: harness.Peer, codes: Mapping[int, str | None],
                  ids: list[int]) -> bool:
    """The on-call peer claims the last request from their private notice and must be given
    that responder's message."""
    code = codes[ids[-1]]
    if code is None:
        return False
    for message in reversed(emu.bot_messages(PEER_ID)):
        if code in _claimable(message):
            claims = [b for b in _markup(message)
                      if str(b.get("callback_data", "")).startswith("claim:")]
            # A digest has a button per request ("Claim R-XXXX"); a notice, one ("Claim").
            data = next((b["callback_data"] for b in claims if code in str(b.get("text"))),
                        claims[0]["callback_data"])
            before = len(avery.private.inbox())
            harness.forge_press(emu, avery.private, data, message_id=message["message_id"])
            try:
                avery.private.wait_for(rf"{code}: Message number {len(ids) - 1} from the burst",
                                       timeout=30, after=before)
            except TimeoutError:
                return False
            return True
    return False
