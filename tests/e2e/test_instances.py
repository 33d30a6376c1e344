"""Several instances at once on one PostgreSQL database, in webhook mode: both active, the
updates spread across them by a load balancer (balancer.py, as nginx would be), the work shared
through the database (bot/platform/instances.py). Both are the real process; the death is a
real SIGKILL in the middle of a burst.

- A burst of responders opening requests, peers claiming some and relaying both ways, while one
  instance is killed and started again: every responder acknowledged once, every message
  relayed exactly once and in order, every escalation step of the requests nobody claims taken
  once (on whichever instance) with its messages sent once, nothing left unhandled or stuck
  in the outbox.
- Two peers pressing Claim on one card at the same moment, each press reaching a different
  instance: one winner, the other told it is taken, the card naming the winner.

(Polling with a standby taking over is test_standby.py.)

How updates get in. The emulator posts each update to the webhook URL (the balancer) the
moment a person acts, but it numbers the update before the POST and counts on after it
answers: two people acting at once get the same update_id (and the bot rightly ignores the
second as a redelivery). It also stops (an unhandled rejection) if a webhook POST ever fails.
So people are set up through the emulator one step at a time (that path is covered too), and
the burst itself is posted by `_Telegram` below, as Telegram would post it: to the balancer's
URL, with the secret, each update under an id of its own. What the bot says still goes to
the emulator, whose journal is what is counted.

Only meaningful on PostgreSQL (E2E_DATABASE=postgres): on SQLite a second instance refuses to
start (test_faults.py).
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest

from .balancer import SECRET_HEADER, Balancer, Forwarded
from .conftest import BotFactory
from .harness import (
    CODE,
    GROUP_ID,
    RESPONDER_IDS,
    BotProcess,
    Emulator,
    Peer,
    StartBot,
    User,
    answers,
    callback_data,
    database_kind,
    free_port,
    labels,
    message_by_id,
    peer,
    quiet,
    register,
    responder,
    wait_until,
)

pytestmark = pytest.mark.skipif(
    database_kind() != "postgres",
    reason="several active instances share a PostgreSQL database in webhook mode "
           "(E2E_DATABASE=postgres); on SQLite a second instance refuses to start "
           "(test_faults.py)")

_log = logging.getLogger(__name__)

PATH = "/telegram"
SECRET = "instances-webhook-secret-1"
LONG_WAIT = 40.0  # a chat whose earlier update died with an instance waits ~10 s for it
COORDINATOR_ID = 7001
BACKUP_CHAT_ID = -1002
FIRST_UPDATE_ID = 10_000_000  # far above the emulator's own numbering


# --- Telegram's side of the webhook ---------------------------------------------------------


class _Telegram:
    """Posts updates as Telegram does: JSON to a webhook URL with the secret header, each
    under an update_id of its own (safe from several threads at once)."""

    def __init__(self, url: str, watch: BotProcess | None = None) -> None:
        self.url = url
        self.watch = watch  # whose outbox to look into while waiting (see `_wedged`)
        self._ids = itertools.count(FIRST_UPDATE_ID)
        self._message_ids = itertools.count(FIRST_UPDATE_ID)
        self._lock = threading.Lock()
        self.update_of: dict[str, int] = {}  # what was said: its update_id

    def _next(self, counter: Iterator[int]) -> int:
        with self._lock:
            return next(counter)

    def post(self, update: dict[str, Any], url: str | None = None) -> int:
        """POST one update (to the balancer, or `url`); the HTTP status it got."""
        request = urllib.request.Request(
            url or self.url, data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json", SECRET_HEADER: SECRET})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            error.close()
            return int(error.code)

    def delivered(self, update: dict[str, Any], url: str | None = None) -> None:
        status = self.post(update, url)
        assert status == 200, f"the webhook answered {status} to update {update['update_id']}"

    def message(self, person: User, text: str) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "message_id": self._next(self._message_ids), "date": int(time.time()),
            "chat": person.chat, "from": person.sender, "text": text}
        if text.startswith("/"):
            fields["entities"] = [{"type": "bot_command", "offset": 0,
                                   "length": len(text.split(maxsplit=1)[0])}]
        return {"update_id": self._next(self._ids), "message": fields}

    def press_update(self, person: User, message: Mapping[str, Any],
                     label: str) -> dict[str, Any]:
        """A press of the button `label` on one of the bot's messages in `person`'s chat."""
        return {"update_id": self._next(self._ids), "callback_query": {
            "id": str(self._next(self._ids)), "from": person.sender,
            "chat_instance": str(person.chat_id), "data": callback_data(message, label),
            "message": {"message_id": message["message_id"], "date": int(time.time()),
                        "chat": person.chat, "text": message["text"]}}}

    def say(self, person: User, text: str) -> None:
        update = self.message(person, text)
        self.update_of[text] = update["update_id"]
        self.delivered(update)

    def press(self, person: User, message: Mapping[str, Any], label: str) -> None:
        self.delivered(self.press_update(person, message, label))


OUTBOX_STATES = "SELECT state, COUNT(*) FROM outbox GROUP BY state"


def _wedged(bot: BotProcess) -> list[tuple[Any, ...]]:
    """Outbox rows waiting to be sent whose content is gone: a row already settled (sent,
    failed or uncertain: its payload emptied, its done_at and message_id set) and then put
    back to pending. Every later message into its chat fails to open it, and never goes."""
    return bot.db_rows(
        "SELECT id, method, state, attempts, owner, created_at, done_at, message_id, "
        "purpose_kind FROM outbox WHERE state = 'pending' AND length(payload) = 0")


def _wait_for(person: User, pattern: str, after: int = 0, timeout: float = LONG_WAIT,
              watch: BotProcess | None = None) -> dict[str, Any]:
    """The first bot message in this chat, past the first `after`, whose text matches
    (polled gently: several people wait at once). With `watch`, a wedged outbox (`_wedged`)
    fails at once instead of after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        for message in person.inbox()[after:]:
            if re.search(pattern, message["text"] or "", re.IGNORECASE | re.DOTALL):
                return dict(message)
        wedged = _wedged(watch) if watch is not None else []
        assert not wedged, (
            f"waiting for {pattern!r} in chat {person.chat_id}: outbox rows settled, then put "
            f"back to pending with their content gone (id, method, state, attempts, owner, "
            f"created_at, done_at, message_id, purpose): {wedged}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no message matching {pattern!r} in chat {person.chat_id}: "
                               f"{[m['text'] for m in person.inbox()][-8:]}")
        time.sleep(0.25)


def _ask(telegram: _Telegram, person: User, pattern: str, *, say: str | None = None,
         press: tuple[Mapping[str, Any], str] | None = None,
         after: int | None = None) -> dict[str, Any]:
    """Say something or press a button, and wait for the bot's answer matching `pattern`
    (past the first `after` messages: the intake edits its question in place)."""
    at = len(person.inbox()) if after is None else after
    if say is not None:
        telegram.say(person, say)
    if press is not None:
        telegram.press(person, *press)
    return _wait_for(person, pattern, after=at, watch=telegram.watch)


def _open_request(telegram: _Telegram, person: User, first_message: str) -> str:
    """/start, Talk to a peer, Today, No matter, the first message (SAFETY_QUESTION=off, the
    field skipped): the request's code, from the acknowledgement."""
    welcome = _ask(telegram, person, r"thank you for reaching out", say="/start")
    at = len(person.inbox())
    question = _ask(telegram, person, r"How soon", press=(welcome, "Talk to a peer"))
    question = _ask(telegram, person, r"outside your own agency", press=(question, "Today"),
                    after=at)
    _ask(telegram, person, r"Write whatever", press=(question, "No matter"), after=at)
    opened = _ask(telegram, person, rf"Your request ({CODE}) is with the Peer Support Team",
                  say=first_message)
    found = re.search(CODE, opened["text"])
    assert found is not None
    return found.group(0)


# --- Two instances on one database ----------------------------------------------------------


def _webhook(port: int, balancer: Balancer) -> dict[str, str]:
    return {"WEBHOOK_URL": balancer.url(PATH), "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port), "WEBHOOK_SECRET": SECRET}


def _listening(bot: BotProcess, times: int = 1) -> None:
    wait_until(lambda: bot.log_text().count("receiving updates by webhook") >= times,
               "the webhook server", 20)


def _two_instances(start_bot: StartBot, balancer: Balancer, **settings: str,
                   ) -> tuple[BotProcess, BotProcess]:
    """Two bots with the same token, keys, settings and DATABASE_URL, each listening on its
    own port behind `balancer` (started, and stopped and checked by `start_bot` at the end)."""
    assert isinstance(start_bot, BotFactory)
    first = start_bot(**_webhook(balancer.ports[0], balancer), **settings)
    assert first.on_postgres
    second = BotProcess(first.server, first.workdir.with_name(f"{first.workdir.name}-second"),
                        first.keys, {**_webhook(balancer.ports[1], balancer), **settings},
                        database_url=first.database_url, token=first.token)
    start_bot.bots.append(second)
    second.start()
    for bot in (first, second):
        _listening(bot)
    return first, second


def _instance_url(port: int) -> str:
    """One instance's own webhook address, past the balancer."""
    return f"http://127.0.0.1:{port}{PATH}"


# --- What the bot sent ----------------------------------------------------------------------


def _sent(journal: list[dict[str, Any]], chat_id: int,
          method: str = "sendMessage") -> list[str]:
    """The texts of the calls (that Telegram accepted) into one chat, oldest first."""
    return [c.get("text") or "" for c in journal if c["method"] == method
            and str(c.get("chat_id")) == str(chat_id) and c.get("status") == 200]


def _matching(texts: list[str], pattern: str) -> int:
    return sum(1 for text in texts if re.search(pattern, text, re.DOTALL))


_STEP = re.compile(rf"request ({CODE}): escalation (?:step (\d)|steps (\d)-(\d) caught up)")


def _ladder(logs: str) -> dict[str, list[tuple[int, int]]]:
    """Each request's escalation steps as the instances took them, from their logs: (first,
    last) of each step or catch-up taken."""
    taken: dict[str, list[tuple[int, int]]] = {}
    for found in _STEP.finditer(logs):
        code, single, first, last = found.groups()
        span = (int(single), int(single)) if single else (int(first), int(last))
        taken.setdefault(code, []).append(span)
    return taken


def _steps(spans: list[tuple[int, int]]) -> list[int]:
    return sorted(step for first, last in spans for step in range(first, last + 1))


# --- A burst, and a SIGKILL in the middle of it ---------------------------------------------


@dataclass
class _Pair:
    """A responder and the peer who claims their request, and what each wrote."""

    responder: User
    peer: Peer
    code: str = ""
    from_responder: tuple[str, ...] = ()
    from_peer: tuple[str, ...] = ()


MIN_ROUNDS = 3  # each side of each conversation writes at least this many lines...
ROUNDS_AFTER_RESTART = 2  # ...and goes on until this many more after the restart
MAX_ROUNDS = 30
ROUND_PAUSE = 0.4


def _claim_button(person: User, code: str) -> tuple[dict[str, Any], str]:
    """The Claim button of request `code` in a peer's private chat: on its on-call notice
    ("Claim"), or in their digest ("Claim CODE") when requests came too fast for a notice
    each."""
    deadline = time.monotonic() + LONG_WAIT
    while True:
        for message in reversed(person.inbox()):
            shown = labels(message)
            if f"Claim {code}" in shown:
                return dict(message), f"Claim {code}"
            if "Claim" in shown and code in (message["text"] or ""):
                return dict(message), "Claim"
        if time.monotonic() > deadline:
            raise TimeoutError(f"no Claim button for {code} in chat {person.chat_id}")
        time.sleep(0.25)


def _converse(telegram: _Telegram, pair: _Pair, number: int, relaying: threading.Event,
              restarted: threading.Event) -> _Pair:
    """Open a request, the peer claims it from their private chat (the on-call notice or
    digest), then both write, a line each per round, without waiting for the other (a
    burst), through the kill and restart."""
    code = _open_request(telegram, pair.responder, f"Opening words of {number}.")
    at = len(pair.peer.private.inbox())
    telegram.press(pair.peer.private, *_claim_button(pair.peer.private, code))
    _wait_for(pair.peer.private, rf"goes to the responder of {code}", after=at,
              watch=telegram.watch)
    _wait_for(pair.responder, rf"{pair.peer.alias} from the Peer Support Team has joined",
              watch=telegram.watch)
    from_responder: list[str] = []
    from_peer: list[str] = []
    after_restart = 0
    for line in range(MAX_ROUNDS):
        if line >= MIN_ROUNDS and after_restart >= ROUNDS_AFTER_RESTART:
            break
        was_restarted = restarted.is_set()
        from_responder.append(f"Responder {number} says line {line}.")
        telegram.say(pair.responder, from_responder[-1])
        from_peer.append(f"Peer {number} says line {line}.")
        telegram.say(pair.peer.private, from_peer[-1])
        relaying.set()
        after_restart += was_restarted
        time.sleep(ROUND_PAUSE)
    pair.code, pair.from_responder, pair.from_peer = code, tuple(from_responder), tuple(from_peer)
    return pair


def _wait_alone(telegram: _Telegram, person: User, number: int) -> str:
    """Open a request that nobody will claim."""
    return _open_request(telegram, person, f"Opening words of {number}.")


def test_a_burst_survives_one_instance_killed_and_restarted(start_bot: StartBot) -> None:
    began = time.monotonic()
    ports = (free_port(), free_port())
    with Balancer(ports) as balancer:
        a, b = _two_instances(start_bot, balancer, COORDINATOR_IDS=str(COORDINATOR_ID),
                              BACKUP_CHAT_ID=str(BACKUP_CHAT_ID), SAFETY_QUESTION="off",
                              ESCALATION_SCHEDULE="5s,10s,15s")
        emu = a.emu
        # Through the emulator, one at a time: four peers who will talk, one who only
        # watches, all on call (so every request reaches someone).
        talkers = [register(peer(emu, 2001 + i, name), on_call=True)
                   for i, name in enumerate(("Avery", "Blake", "Casey", "Devon"))]
        watcher = register(peer(emu, 2005, "Emery"), on_call=True)
        through_emulator = balancer.answered
        assert all(through_emulator), f"the emulator's POSTs all went to one instance: " \
                                      f"{through_emulator}"

        telegram = _Telegram(balancer.url(PATH), watch=a)
        pairs = [_Pair(responder(emu, RESPONDER_IDS[i], f"Resp{i}", None), talkers[i])
                 for i in range(len(talkers))]
        alone = [responder(emu, RESPONDER_IDS[i], f"Resp{i}", None)
                 for i in range(len(talkers), 8)]
        relaying, restarted = threading.Event(), threading.Event()
        burst_began = time.monotonic()
        with ThreadPoolExecutor(max_workers=len(pairs) + len(alone)) as pool:
            talking = [pool.submit(_converse, telegram, pair, n, relaying, restarted)
                       for n, pair in enumerate(pairs)]
            waiting = [pool.submit(_wait_alone, telegram, person, n)
                       for n, person in enumerate(alone, start=len(pairs))]
            assert relaying.wait(LONG_WAIT), "no conversation got going"
            before_kill = balancer.answered
            b.kill()  # mid-burst: some requests still in intake, conversations under way
            killed_at, killed_wall = time.monotonic() - burst_began, time.time()
            time.sleep(1.0)  # the burst goes on, all of it on the survivor
            b.start()
            _listening(b, times=2)
            restarted.set()
            at_restart = balancer.answered
            done_pairs = [future.result() for future in talking]
            waiting_codes = [future.result() for future in waiting]
        burst = time.monotonic() - burst_began

        # Every line arrives (a chat whose update died with B is taken over ~10 s later).
        for pair in done_pairs:
            _wait_for(pair.peer.private, re.escape(f"{pair.code}: {pair.from_responder[-1]}"),
                      watch=a)
            _wait_for(pair.responder, re.escape(f"{pair.peer.alias}: {pair.from_peer[-1]}"),
                      watch=a)

        # The requests nobody claims climb the whole ladder (15 s after opening).
        def ladders_done() -> bool:
            steps = [a.db_rows("SELECT escalation_step FROM requests WHERE code = ?", code)
                     for code in waiting_codes]
            return all(rows and rows[0][0] == 3 for rows in steps)

        wait_until(ladders_done, "every unclaimed request's last escalation step", LONG_WAIT)
        quiet()  # anything sent twice would come now
        answered = balancer.answered
        forwarded = balancer.snapshot()
        failed_over, unanswered = balancer.failed_over, balancer.unanswered

    journal = emu.journal()
    logs = a.log_text() + b.log_text()
    # A message of the bot's own that the kill caught mid-call is sent again by the survivor
    # (it may arrive twice; never lost): counted once below, and only as many as the
    # instances' logs say they sent again.
    again = _sent_again_across_the_kill(journal, killed_wall)
    sent_again = sum(int(n) for n in re.findall(r"caught mid-call: (\d+) sent again", logs))
    assert len(again) <= sent_again, (
        f"{len(again)} message(s) sent before and after the kill, {sent_again} taken over: "
        f"{[(e.get('chat_id'), e.get('text')) for e in again]}")
    if again:
        _log.info("sent again after the kill (caught mid-call): %s",
                  [(e.get("chat_id"), (e.get("text") or "")[:40]) for e in again])
    journal = [entry for entry in journal if not any(entry is copy for copy in again)]
    _log.info("POSTs answered: A %d, B %d (B: %d before the kill, %d after the restart); "
              "%d failed over to the other instance, %d unanswered; B killed %.1f s into the "
              "burst, which took %.1f s; the test %.1f s", answered[0], answered[1],
              before_kill[1], answered[1] - at_restart[1], failed_over, unanswered, killed_at,
              burst, time.monotonic() - began)

    # Both instances served: before the kill, and B again after its restart.
    assert before_kill[0] > 0 and before_kill[1] > 0, before_kill
    assert answered[1] > at_restart[1], f"B got nothing after its restart: {answered}"
    assert all(f.status == 200 for f in forwarded), \
        [f for f in forwarded if f.status != 200]

    # Every responder was acknowledged once, and has one request.
    everyone = [(pair.responder, pair.code) for pair in done_pairs] + list(
        zip(alone, waiting_codes, strict=True))
    codes = [code for _, code in everyone]
    assert len(set(codes)) == len(codes) == 8, codes
    for person, code in everyone:
        acks = _matching(_sent(journal, person.chat_id), r"^Your request R-\w+ is with")
        assert acks == 1, f"{person.first_name} ({code}) acknowledged {acks} times"
        assert _matching(_sent(journal, person.chat_id),
                         rf"^Your request {code} is with the Peer Support Team\. A peer") == 1
    assert a.db_count("requests") == 8

    # Every line relayed exactly once, or its writer told it may not have arrived.
    out_of_order = []
    missed: list[str] = []
    for pair in done_pairs:
        for receiver, signed, lines in (
                (pair.peer.private, f"{pair.code}: ", pair.from_responder),
                (pair.responder, f"{pair.peer.alias}: ", pair.from_peer)):
            writer = pair.responder if receiver is pair.peer.private else pair.peer.private
            # A relay the kill caught mid-call may not have arrived: then (and only then) its
            # writer is told, naming it, with Send again (test_stall.py presses it).
            told = _told_may_not_have_arrived(journal, writer, lines)
            expected = [signed + line for line in lines if line not in told]
            got = [t for t in _sent(journal, receiver.chat_id) if t in expected]
            assert Counter(got) == Counter(expected), (
                _relay_problem(journal, receiver, got) + "\n" + _timeline(
                    a, telegram, forwarded, journal, receiver, lines, signed, killed_wall)
                + f"\noutbox by state: {a.db_rows(OUTBOX_STATES)}")
            missed.extend(told)
            if got != expected:
                out_of_order.append(_timeline(a, telegram, forwarded, journal, receiver, lines,
                                              signed, killed_wall))
        claimed_by = a.db_rows("SELECT state, peer_id FROM requests WHERE code = ?", pair.code)
        assert claimed_by == [("claimed", pair.peer.id)], claimed_by

    # Every escalation step once, whichever instance took it, and its messages once each.
    ladder = _ladder(logs)
    coordinator = _sent(journal, COORDINATOR_ID)
    backup = _sent(journal, BACKUP_CHAT_ID)
    for person, code in zip(alone, waiting_codes, strict=True):
        spans = ladder.get(code, [])
        assert _steps(spans) == [1, 2, 3], f"{code}: steps taken {spans}"
        stills = _matching(_sent(journal, person.chat_id), rf"still finding a peer for you "
                                                           rf"\({code}\)")
        assert stills == len(spans), f"{code}: {stills} updates to the responder for {spans}"
        alerts = _matching(coordinator, rf"^Request {code} has been waiting")
        assert alerts == sum(1 for _, last in spans if last >= 2), f"{code}: {alerts} alerts"
        assert _matching(backup, rf"^Request {code} has been waiting") == 1, backup
        for someone in (*talkers, watcher):  # told when it opened, again at step 1 (a notice
            # each time, or a line in their digest, edited in place, while requests pour in)
            notices = _matching(_sent(journal, someone.id), rf"^A new request is waiting.*{code}")
            assert notices <= 2, f"{someone.alias} got {notices} notices of {code}"
        cards = _matching(_sent(journal, GROUP_ID), rf"^Request {code}\b")
        assert cards <= 2, f"{code}: {cards} cards in the group"
    for pair in done_pairs:  # claimed early: any step taken before the claim, once
        steps = _steps(ladder.get(pair.code, []))
        assert steps == sorted(set(steps)), f"{pair.code}: steps {steps}"

    # Nothing left behind: every update handled (none set aside), nothing waiting to be sent.
    assert a.db_count("inbox WHERE done_at IS NULL") == 0
    assert a.db_count("inbox WHERE set_aside_at IS NOT NULL") == 0
    assert not _wedged(a), _wedged(a)
    assert a.db_count("outbox WHERE state IN ('pending', 'sending')") == 0
    uncertain = a.db_count("outbox WHERE state = 'uncertain'")
    assert uncertain == len(missed), \
        f"{uncertain} relayed message(s) caught mid-call by the kill; told of {missed}"
    if missed:
        _log.info("caught mid-call by the kill, their writers told: %s", missed)

    # And in the order written: one chat's updates are handled in the order they came, across
    # instances (bot/platform/inbox.py), a kill notwithstanding.
    assert not out_of_order, "relayed out of order:\n" + "\n".join(out_of_order)


def _sent_again_across_the_kill(journal: list[dict[str, Any]],
                                killed: float) -> list[dict[str, Any]]:
    """The second copies of calls the kill caught mid-call. The killed instance's call was
    answered around the kill; its row stays "sending", so nothing else goes into that chat
    until a survivor sees the instance dead (its heartbeat 8-10 s old, storage/instances.py)
    and sends that row again first (bot/platform/outbox/sender.py). So: a call answered
    within a second and a half of the kill, followed in its chat, no sooner than 5 s after the
    kill, by the same call. Relayed messages are never sent again."""
    by_chat: dict[str, list[dict[str, Any]]] = {}
    for entry in journal:
        if entry.get("status") == 200:
            by_chat.setdefault(str(entry.get("chat_id")), []).append(entry)
    again = []
    for calls in by_chat.values():
        for first, then in itertools.pairwise(calls):
            if (abs(first["time"] / 1000 - killed) <= 1.5 and then["time"] / 1000 >= killed + 5
                    and (first["method"], first.get("text")) == (then["method"],
                                                                  then.get("text"))):
                again.append(then)
    return again


def _told_may_not_have_arrived(journal: list[dict[str, Any]], writer: User,
                               lines: tuple[str, ...] | list[str]) -> list[str]:
    """The lines a Send-again notice to their writer names (quoted) as possibly not arrived."""
    notices = [t for t in _sent(journal, writer.chat_id) if "faltered" in t]
    return [line for line in lines if any(f"“{line}”" in notice for notice in notices)]


def _relay_problem(journal: list[dict[str, Any]], person: User, got: list[str]) -> str:
    """What the chat holds, for a failed relay check (and any "may not have arrived")."""
    faltered = [(entry.get("chat_id"), entry.get("text")) for entry in journal
                if "faltered" in str(entry.get("text", ""))]
    return (f"relayed into {person.first_name}'s chat: {got}; Send-again notices (any chat): "
            f"{faltered}")


def _timeline(bot: BotProcess, telegram: _Telegram, forwarded: list[Forwarded],
              journal: list[dict[str, Any]], receiver: User, lines: tuple[str, ...],
              signed: str, killed: float) -> str:
    """How each line of one chat went, times in seconds from the SIGKILL: the instance the
    balancer gave it to, the instance whose inbox row it is in (who stored it, or took it
    over) and when it was stored and done (the bot's clock: whole seconds), and when its relay
    reached the emulator."""
    now = time.time()
    names: dict[str, str] = {}
    for instance_id, started_at, seen_at in bot.db_rows(
            "SELECT id, started_at, seen_at FROM instances ORDER BY started_at"):
        if seen_at < now - 5:
            names[instance_id] = f"B (killed) {instance_id}"
        elif started_at > killed:
            names[instance_id] = f"B (restarted) {instance_id}"
        else:
            names[instance_id] = f"A {instance_id}"
    by_update = {f.update_id: f for f in forwarded}

    def since(moment: float | None) -> str:
        return "-" if moment is None else f"{moment - killed:+.2f}"

    rows = []
    for line in lines:
        update_id = telegram.update_of[line]
        way = by_update.get(update_id)
        went = "?" if way is None or way.backend is None else "AB"[way.backend]
        if way is not None and way.failed_on:
            went += f" (after failing on {'AB'[way.failed_on[0]]})"
        stored = bot.db_rows("SELECT owner, received_at, done_at FROM inbox WHERE update_id = ?",
                             update_id)
        owner, received_at, done_at = stored[0] if stored else (None, None, None)
        relayed = [since(c["time"] / 1000) for c in journal
                   if c.get("text") == signed + line and c["method"] == "sendMessage"]
        rows.append(f"  {line!r} (update {update_id}): posted to {went}; inbox row held by "
                    f"{names.get(owner, owner)}, stored {since(received_at)} s, done "
                    f"{since(done_at)} s; relayed {relayed} s")
    return f"into {receiver.first_name}'s chat (times from the SIGKILL):\n" + "\n".join(rows)


# --- Two peers, one card, two instances -----------------------------------------------------


RACES = 4


def _answered(emu: Emulator, count: int) -> bool:
    return len(answers(emu)) >= count


def _race(telegram: _Telegram, presses: list[tuple[dict[str, Any], str]]) -> list[int]:
    """Post each update to its instance at the same moment; the statuses."""
    start = threading.Barrier(len(presses))

    def post(update: dict[str, Any], url: str) -> int:
        start.wait(10)
        return telegram.post(update, url)

    with ThreadPoolExecutor(max_workers=len(presses)) as pool:
        return [future.result() for future in
                [pool.submit(post, update, url) for update, url in presses]]


def test_two_peers_claiming_one_card_on_two_instances_one_wins(start_bot: StartBot) -> None:
    began = time.monotonic()
    ports = (free_port(), free_port())
    with Balancer(ports) as balancer:
        a, _ = _two_instances(start_bot, balancer, SAFETY_QUESTION="off")
        emu = a.emu
        avery = register(peer(emu, 2001, "Avery"))  # through the emulator and the balancer
        blake = register(peer(emu, 2002, "Blake"))
        telegram = _Telegram(balancer.url(PATH), watch=a)
        outcomes = []
        for race in range(RACES):
            person = responder(emu, RESPONDER_IDS[race], f"Resp{race}", None)
            code = _open_request(telegram, person, f"Opening words of {race}.")
            card = _wait_for(avery.group, rf"^Request {code}\b", timeout=10)
            assert labels(card) == ["Claim"]
            # Avery's press to one instance, Blake's to the other, at once (alternating).
            first, second = (ports[race % 2], ports[1 - race % 2])
            told_before = len(answers(emu))
            presses = [telegram.press_update(avery.group, card, "Claim"),
                       telegram.press_update(blake.group, card, "Claim")]
            statuses = _race(telegram, [(presses[0], _instance_url(first)),
                                        (presses[1], _instance_url(second))])
            assert statuses == [200, 200], statuses

            wait_until(partial(_answered, emu, told_before + 2), "both presses answered", 10)
            quiet()
            told = answers(emu)[told_before:]
            won = [p for p in (avery, blake)
                   if _matching([m["text"] for m in p.private.inbox()],
                                rf"^You have claimed {code}") > 0]
            assert len(won) == 1, f"{code}: claimed by {[p.alias for p in won]}; told {told}"
            winner = won[0]
            loser = blake if winner is avery else avery
            won_text = f"{code} is yours. Continue in your private chat with the bot."
            assert sorted(told) == sorted([won_text, "Already claimed by another peer."]), told
            assert _matching([m["text"] for m in winner.private.inbox()],
                             rf"^You have claimed {code}") == 1
            assert not [m for m in loser.private.inbox() if code in (m["text"] or "")]
            now = message_by_id(avery.group, card["message_id"])
            assert now["text"].endswith(f"Claimed by {winner.alias}."), now["text"]
            assert labels(now) == []
            claimed_edits = [t for t in _sent(emu.journal(), GROUP_ID, "editMessageText")
                             if t.startswith(f"Request {code}") and "Claimed by" in t]
            assert len(claimed_edits) == 1, claimed_edits
            # Each press was handled where it was posted: by two different instances.
            owners = {row[0] for update in presses for row in a.db_rows(
                "SELECT owner FROM inbox WHERE update_id = ? AND done_at IS NOT NULL",
                update["update_id"])}
            assert len(owners) == 2, owners
            assert _matching([m["text"] for m in person.inbox()],
                             r"from the Peer Support Team has joined") == 1
            assert a.db_rows("SELECT state, peer_id FROM requests WHERE code = ?", code) == [
                ("claimed", winner.id)]
            port = first if winner is avery else second
            outcomes.append(f"{code}: {winner.alias} on {'AB'[ports.index(port)]}")
        answered = balancer.answered
    _log.info("claim races: %s; POSTs through the balancer: A %d, B %d; the test %.1f s",
              "; ".join(outcomes), answered[0], answered[1], time.monotonic() - began)
