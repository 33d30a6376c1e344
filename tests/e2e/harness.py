"""The end-to-end harness: the Bot API emulator, the real bot as a subprocess, and the people
who talk to it (responders, peers, outsiders), played through the emulator's `client.py`.

The emulator lives outside this repository (TGEMU_DIR, by default `../shared/tgemu` beside the
repository root); its directory is put on `sys.path` here, and only here, to import `client`.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import psycopg

REPO_ROOT = Path(__file__).resolve().parents[2]
TGEMU_DIR = Path(os.environ.get("TGEMU_DIR") or REPO_ROOT / ".." / "shared" / "tgemu").resolve()
if str(TGEMU_DIR) not in sys.path:
    sys.path.insert(0, str(TGEMU_DIR))

from client import Emulator, User  # noqa: E402  (importable only once TGEMU_DIR is on the path)

__all__ = [
    "BOT_START_TIMEOUT",
    "CODE",
    "DATABASES",
    "EMULATOR_START_TIMEOUT",
    "GROUP_ID",
    "KEY_BYTES",
    "NONMEMBER_IDS",
    "OUTSIDER_IDS",
    "QUIET",
    "REPO_ROOT",
    "RESPONDER_IDS",
    "SAFETY_QUESTION",
    "TGEMU_DIR",
    "WAIT",
    "BotProcess",
    "Conversation",
    "Emulator",
    "EmulatorServer",
    "Peer",
    "StartBot",
    "StartTeam",
    "Team",
    "User",
    "answers",
    "ask",
    "assert_card_reposted",
    "buttons",
    "callback_data",
    "calls",
    "claim",
    "claim_card",
    "coordinator_user",
    "count_matching",
    "database_kind",
    "decode_key",
    "forge_press",
    "free_port",
    "generate_keys",
    "go_on_call",
    "in_group",
    "labels",
    "message_by_id",
    "minimal_env",
    "new_token",
    "open_request",
    "outsider",
    "peer",
    "quiet",
    "register",
    "responder",
    "running_emulator",
    "sent_to",
    "shown_text",
    "start_conversation",
    "stop_process",
    "texts",
    "wait_for_answer",
    "wait_until",
]

GROUP_ID = -1001
# getChatMember reports these as not in the peer group: responders and outsiders.
RESPONDER_IDS = tuple(range(918273601, 918273721))
OUTSIDER_IDS = tuple(range(3001, 3006))
NONMEMBER_IDS = (*RESPONDER_IDS, *OUTSIDER_IDS)
# Everyone else is a member of the peer group; peers use 2001..2010.

WAIT = 10.0  # seconds to wait for something that should happen
QUIET = 1.5  # seconds to wait before checking that something did NOT happen
EMULATOR_START_TIMEOUT = 120.0  # the first run may npm-install the emulator
BOT_START_TIMEOUT = 20.0
CODE = r"R-[2-9A-Z]{4}"
KEY_BYTES = 32

_token_numbers = itertools.count(700_000_001)

# What the bots' data is kept in: E2E_DATABASE=sqlite (the default: DATABASE_PATH, a file in
# each bot's folder) or postgres (DATABASE_URL, a database of its own on the session's server).
DATABASES = ("sqlite", "postgres")


def database_kind() -> str:
    """E2E_DATABASE, checked: "sqlite" or "postgres"."""
    kind = os.environ.get("E2E_DATABASE", "").strip().lower() or "sqlite"
    if kind not in DATABASES:
        raise ValueError(f"E2E_DATABASE={kind!r}: use one of {', '.join(DATABASES)}")
    return kind


# --- Processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def minimal_env(**settings: str) -> dict[str, str]:
    """A clean environment: PATH and HOME only, plus the given settings."""
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    env.update(settings)
    return env


def stop_process(process: subprocess.Popen[bytes], grace: float = 10.0) -> int:
    """SIGTERM, wait, then SIGKILL if it is still running; the exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(grace)
    return int(process.returncode)


@dataclass(frozen=True)
class EmulatorServer:
    port: int
    log_path: Path
    pid: int = 0  # the emulator's process (node), for pausing it as a dead network would

    @property
    def base_url(self) -> str:
        """Where `client.Emulator` talks to the emulator."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The bot's TELEGRAM_API_BASE_URL."""
        return f"{self.base_url}/bot"


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextmanager
def running_emulator(workdir: Path, **extra_env: str) -> Iterator[EmulatorServer]:
    """Start tgemu on a free port with the fixed non-member list (and `extra_env`, e.g.
    TGEMU_FLOOD=1); stop it afterwards."""
    start = TGEMU_DIR / "start"
    if not start.is_file():
        raise FileNotFoundError(f"the Bot API emulator is not at {TGEMU_DIR} (set TGEMU_DIR)")
    port = free_port()
    env = {**os.environ, "TGEMU_PORT": str(port),
           "TGEMU_NONMEMBERS": ",".join(str(i) for i in NONMEMBER_IDS), **extra_env}
    log_path = workdir / "tgemu.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(start)], cwd=workdir, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    server = EmulatorServer(port, log_path, process.pid)
    try:
        deadline = time.monotonic() + EMULATOR_START_TIMEOUT
        while not _port_open(server.port):
            if process.poll() is not None or time.monotonic() > deadline:
                output = server.log_path.read_text(errors="replace")
                raise RuntimeError(f"the emulator did not start (exit {process.poll()}):\n"
                                   f"{output}")
            time.sleep(0.2)
        yield server
    finally:
        stop_process(process)


Answer: TypeAlias = tuple[int, Mapping[str, Any] | bytes]  # a status and its JSON (or bytes)


class JsonAnswers(http.server.BaseHTTPRequestHandler):
    """A stand-in Bot API for what the emulator cannot play (a refused token, a flood limit
    at start, a group that moved): each POST is answered with what `reply` gives for its
    method (the last part of the path) and body. It logs nothing."""

    def reply(self, method: str, body: bytes) -> Answer:
        raise NotImplementedError

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(*self.reply(self.path.rsplit("/", 1)[-1], body))

    def answer(self, status: int, body: Mapping[str, Any] | bytes) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: object) -> None:
        pass

    @classmethod
    @contextmanager
    def serving(cls) -> Iterator[int]:
        """This stand-in on a free local port (its number), until the block ends; a call
        still under way then (a long poll passed on) is not waited for."""
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), cls)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield server.server_port
        finally:
            server.shutdown()
            server.server_close()


def generate_keys(workdir: Path) -> dict[str, str]:
    """ENCRYPTION_KEYS and INDEX_KEY from `python -m bot keys`."""
    result = subprocess.run([sys.executable, "-m", "bot", "keys"], cwd=workdir,
                            env=minimal_env(), capture_output=True, text=True, timeout=30,
                            check=True)
    return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)


def new_token() -> str:
    """A token no other test uses: the emulator keeps its state per token."""
    return f"{next(_token_numbers)}:E2E{uuid.uuid4().hex}"


@dataclass
class BotProcess:
    """The real bot (`python -m bot`) in its own working directory, against the emulator."""

    server: EmulatorServer
    workdir: Path
    keys: Mapping[str, str]
    extra_env: Mapping[str, str] = field(default_factory=dict)
    # A PostgreSQL database of this bot's own (DATABASE_URL) instead of the SQLite file in its
    # folder (DATABASE_PATH); kept across `stop`/`kill` and `start`, as the file is.
    database_url: str | None = None
    token: str = field(default_factory=new_token)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.emu = Emulator(self.token, self.server.base_url)

    @property
    def log_path(self) -> Path:
        return self.workdir / "bot.log"

    @property
    def db_path(self) -> Path:
        return self.workdir / "data" / "peer_support.db"

    @property
    def on_postgres(self) -> bool:
        return self.database_url is not None

    @property
    def database_setting(self) -> str:
        """The setting that names this bot's database, as the bot's messages name it."""
        return "DATABASE_URL" if self.on_postgres else "DATABASE_PATH"

    @property
    def env(self) -> dict[str, str]:
        database = ({"DATABASE_URL": self.database_url} if self.database_url is not None
                    else {"DATABASE_PATH": str(self.db_path)})
        return minimal_env(
            BOT_TOKEN=self.token,
            PEER_GROUP_ID=str(GROUP_ID),
            TELEGRAM_API_BASE_URL=self.server.api_url,
            LOG_LEVEL="DEBUG",
            **database,
            **self.keys,
            **self.extra_env,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> None:
        """Start the bot (again, after `kill`: same token, database and keys) and wait until it
        polls; the log is appended to, so a restart waits for its own start-up line."""
        started_before = self.log_text().count("Application started")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=self.workdir,
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + BOT_START_TIMEOUT
        while self.log_text().count("Application started") <= started_before:
            if self.process.poll() is not None or time.monotonic() > deadline:
                code = self.process.poll()
                self.stop()
                raise RuntimeError(f"the bot did not start (exit {code}); its log:\n"
                                   f"{self.log_text()}")
            time.sleep(0.05)
        if self.on_postgres and not self._postgres_tables():
            self.stop()
            raise RuntimeError("the bot started, but its PostgreSQL database (DATABASE_URL) "
                               "has no tables: it keeps its data somewhere else")

    def stop(self) -> int | None:
        if self.process is None:
            return None
        return stop_process(self.process)

    def kill(self) -> None:
        """SIGKILL, as a crash or a power cut would: no shutdown, nothing flushed or confirmed.
        `start` brings the same bot back on the same data."""
        assert self.process is not None and self.process.poll() is None, "the bot is not running"
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(BOT_START_TIMEOUT)

    def db_bytes(self) -> dict[str, bytes]:
        """The database file and its -wal and -shm companions, as they are on disk now."""
        files = (self.db_path, Path(f"{self.db_path}-wal"), Path(f"{self.db_path}-shm"))
        return {path.name: path.read_bytes() for path in files if path.exists()}

    # The database from outside, as an operator would read it, whichever one the bot uses.
    # SQL is written once, with `?` placeholders and what SQLite and PostgreSQL both accept.

    def db_rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """The rows a query returns (read only)."""
        if self.database_url is not None:
            return self._postgres(sql, params)[0]
        uri = f"file:{self.db_path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=10)) as conn:
            return [tuple(row) for row in conn.execute(sql, params).fetchall()]

    def db_count(self, where: str, *params: Any) -> int:
        """SELECT COUNT(*) FROM `where` (a table and its condition)."""
        return int(self.db_rows(f"SELECT COUNT(*) FROM {where}", *params)[0][0])

    def db_execute(self, sql: str, *params: Any) -> int:
        """Run one statement that changes the database, committed; the rows it changed."""
        if self.database_url is not None:
            return self._postgres(sql, params)[1]
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=10)) as conn, conn:
            return conn.execute(sql, params).rowcount

    def db_contents(self) -> dict[str, bytes]:
        """Everything the database holds now, to search for what must not be there. SQLite:
        the database file (which must exist) and its -wal and -shm, byte for byte, so that
        what deleted rows left in free pages counts too. PostgreSQL: the server's files are not
        the bot's, so each table's rows, every value as stored (bytes as they are, anything
        else as text)."""
        if self.database_url is None:
            found = self.db_bytes()
            assert self.db_path.name in found, f"no database file at {self.db_path}"
            return found
        tables = self._postgres_tables()
        assert tables, "the bot's PostgreSQL database has no tables"
        contents = {}
        for schema, table in tables:
            rows = self.db_rows(f'SELECT * FROM "{schema}"."{table}"')
            contents[f"{schema}.{table}"] = b"\n".join(
                bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                for row in rows for value in row)
        return contents

    def _postgres_tables(self) -> list[tuple[Any, ...]]:
        """The bot's tables in its PostgreSQL database: (schema, table) pairs."""
        return self.db_rows("SELECT schemaname, tablename FROM pg_tables WHERE schemaname "
                            "NOT IN ('pg_catalog', 'information_schema') "
                            "ORDER BY schemaname, tablename")

    def _postgres(self, sql: str, params: tuple[Any, ...]) -> tuple[list[tuple[Any, ...]], int]:
        """One statement on the bot's PostgreSQL database, in a transaction of its own: the
        rows it returned and how many it changed. psycopg takes `%s` where SQLite takes `?`."""
        assert self.database_url is not None
        query = sql.replace("%", "%%").replace("?", "%s")
        with psycopg.connect(self.database_url, autocommit=True, connect_timeout=10) as conn:
            cursor = conn.execute(query, params)
            rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
            return rows, cursor.rowcount


# What the `start_bot` fixture gives: start_bot(**extra_env), e.g. start_bot(AGENCIES="A,B").
StartBot: TypeAlias = Callable[..., BotProcess]


# --- People ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Peer:
    """A peer: their private chat with the bot and the same person inside the peer group."""

    private: User
    group: User

    @property
    def id(self) -> int:
        return int(self.private.id)

    @property
    def alias(self) -> str:
        """The alias responders see until the peer sets one: their first name."""
        return str(self.private.first_name)


def responder(emu: Emulator, user_id: int = RESPONDER_IDS[0], first_name: str = "Marlowe",
              username: str | None = "marlowe_r") -> User:
    assert user_id in RESPONDER_IDS, "responders must not be peer-group members"
    return emu.user(user_id, first_name, username=username)


def peer(emu: Emulator, user_id: int, first_name: str) -> Peer:
    assert user_id not in NONMEMBER_IDS, "peers must be peer-group members"
    return Peer(emu.user(user_id, first_name),
                emu.user(user_id, first_name, chat_id=GROUP_ID, chat_type="supergroup"))


def register(person: Peer, on_call: bool = False) -> Peer:
    """/start in private: the bot registers a member of the peer group as a peer (and with
    `on_call`, /oncall for the default period)."""
    person.private.command("/start")
    person.private.wait_for(r"registered", timeout=WAIT)
    if on_call:
        go_on_call(person)
    return person


def go_on_call(person: Peer, duration: str | None = None,
               told: str = r"You are on call until") -> dict[str, Any]:
    """/oncall (for `duration`, or the default period), and wait until the bot says so (in
    words matching `told`); what it said."""
    at = len(person.private.inbox())
    person.private.command(f"/oncall {duration}" if duration else "/oncall")
    return dict(person.private.wait_for(told, timeout=WAIT, after=at))


def coordinator_user(emu: Emulator, user_id: int, first_name: str = "Coord",
                     username: str | None = None) -> User:
    """A coordinator in their private chat with the bot (named in COORDINATOR_IDS)."""
    return emu.user(user_id, first_name, username=username)


def in_group(emu: Emulator, user_id: int, first_name: str) -> User:
    """Someone inside the peer group (what they see there is the group's chat)."""
    return emu.user(user_id, first_name, chat_id=GROUP_ID, chat_type="supergroup")


def outsider(emu: Emulator, user_id: int = OUTSIDER_IDS[0], first_name: str = "Oscar") -> User:
    """Someone Telegram does not count as a member of the peer group, pressing from inside it."""
    assert user_id in OUTSIDER_IDS
    return in_group(emu, user_id, first_name)


SAFETY_QUESTION = r"thoughts of killing yourself"  # part of the intake's safety question


def open_request(person: User, first_message: str, urgency: str = "Today",
                 agency: str = "No matter", discipline: str | None = "Fire",
                 safety: str | None = "No") -> str:
    """/start, Talk to a peer, the questions (the safety one answered `safety`, or not asked
    when None: SAFETY_QUESTION=off), the optional field, the first message: the request's
    code."""
    start = len(person.inbox())
    person.command("/start")
    person.wait_for(r"confidential|registered", timeout=WAIT, after=start)
    question = len(person.inbox())
    person.press(r"^Talk to a peer$")
    person.wait_for(r"How soon", timeout=WAIT, after=question)
    person.press(rf"^{re.escape(urgency)}$")
    if safety is not None:
        person.wait_for(SAFETY_QUESTION, timeout=WAIT, after=question)
        person.press(rf"^{re.escape(safety)}$")
    person.wait_for(r"outside your own agency", timeout=WAIT, after=question)
    person.press(rf"^{re.escape(agency)}$")
    person.wait_for(r"Write whatever", timeout=WAIT, after=question)
    if discipline is not None:
        person.press(rf"^{re.escape(discipline)}$")
        person.wait_for(rf"Noted: {re.escape(discipline)}", timeout=WAIT, after=question)
    before = len(person.inbox())
    person.say(first_message)
    opened = person.wait_for(rf"Your request ({CODE}) is with the Peer Support Team",
                             timeout=WAIT, after=before)
    found = re.search(CODE, opened["text"])
    assert found is not None
    return found.group(0)


def ask(person: User, command: str, pattern: str = "") -> dict[str, Any]:
    """Send a command and return the bot's next message in that chat (matching `pattern`)."""
    at = len(person.inbox())
    person.command(command)
    return dict(person.wait_for(pattern, timeout=WAIT, after=at))


def claim(person: Peer, code: str) -> None:
    """Press Claim on the newest card once the card of `code` is in the group, and wait until
    the peer is briefed."""
    at = len(person.private.inbox())
    person.group.wait_for(rf"Request {code}", timeout=WAIT)
    person.group.press(r"^Claim$")
    person.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT, after=at)


def claim_card(person: Peer, card: Mapping[str, Any], code: str) -> None:
    """Press Claim on this very card (not just the newest one) and wait for the briefing."""
    at = len(person.private.inbox())
    forge_press(person.group.emu, person.group, callback_data(card, "Claim"),
                message_id=card["message_id"], text=card["text"])
    person.private.wait_for(rf"goes to the responder of {code}", timeout=WAIT, after=at)


class Team(NamedTuple):
    """A running bot, its coordinator's private chat, and its first peers (registered)."""

    bot: BotProcess
    coordinator: User
    peers: list[Peer]


# What the `start_team` fixture gives: start_team(coordinator_id, (peer_id, name), ...,
# on_call=False, **extra_env).
StartTeam: TypeAlias = Callable[..., Team]


def assert_card_reposted(person: Peer, code: str, old_card: Mapping[str, Any],
                         cards: int) -> dict[str, Any]:
    """The request `code` is back in the queue: once the group holds `cards` messages, the
    newest is its new card, with Claim, and the old card says it was handed back. The new
    card."""
    wait_until(lambda: len(person.group.inbox()) == cards, "a new card in the group")
    new_card = dict(person.group.inbox()[-1])
    assert new_card["text"].startswith(f"Request {code}")
    assert labels(new_card) == ["Claim"]
    old = message_by_id(person.group, old_card["message_id"])
    assert old["text"].endswith("Handed back to the queue: re-posted below."), old
    assert labels(old) == []
    return new_card


@dataclass(frozen=True)
class Conversation:
    """A responder and a peer talking: the request is claimed and both know it."""

    bot: BotProcess
    responder: User
    peer: Peer
    code: str


def start_conversation(bot: BotProcess, first_message: str) -> Conversation:
    """Avery (2001) registers and claims the request Marlowe (the default responder) opens
    with `first_message`; both are told."""
    avery = register(peer(bot.emu, 2001, "Avery"))
    marlowe = responder(bot.emu)
    code = open_request(marlowe, first_message)
    at = len(avery.private.inbox())
    avery.group.press(r"^Claim$")
    avery.private.wait_for(rf"anything you write here now goes to the responder of {code}",
                           timeout=WAIT, after=at)
    marlowe.wait_for(r"Avery from the Peer Support Team has joined", timeout=WAIT)
    return Conversation(bot, marlowe, avery, code)


# --- What the bot said and did --------------------------------------------------------------


def buttons(message: Mapping[str, Any]) -> list[dict[str, str]]:
    """A message's inline buttons, whatever form its reply_markup was recorded in."""
    markup = message.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def labels(message: Mapping[str, Any]) -> list[str]:
    return [button["text"] for button in buttons(message)]


def callback_data(message: Mapping[str, Any], label: str) -> str:
    matching = [b["callback_data"] for b in buttons(message) if b["text"] == label]
    assert len(matching) == 1, f"one button {label!r} expected in {message!r}"
    return matching[0]


def message_by_id(person: User, message_id: int) -> dict[str, Any]:
    """One bot message in this person's chat, as it is now (edits applied)."""
    found = [m for m in person.inbox() if m["message_id"] == message_id]
    assert found, f"no message {message_id} in chat {person.chat_id}"
    return dict(found[-1])


def texts(person: User) -> list[str]:
    return [m["text"] or "" for m in person.inbox()]


def count_matching(person: User, pattern: str) -> int:
    """How many of the bot's messages in this person's chat match `pattern`."""
    return sum(1 for t in texts(person) if re.search(pattern, t))


def forge_press(emu: Emulator, sender: User, data: str, message_id: int = 1,
                text: str = "x") -> None:
    """A button press with any callback data, as a modified client could send it."""
    now = int(time.time())
    emu.post("sendCallback", {
        "botToken": emu.token, "from": sender.sender, "data": data, "date": now,
        "message": {"message_id": message_id, "date": now, "chat": sender.chat, "text": text}})


def calls(emu: Emulator, method: str | None = None) -> list[dict[str, Any]]:
    """The bot's Bot API calls, oldest first (optionally one method only)."""
    return [c for c in emu.journal() if method is None or c["method"] == method]


def sent_to(emu: Emulator, chat_id: int, method: str | None = None) -> list[dict[str, Any]]:
    """The bot's calls into one chat, oldest first (optionally one method only)."""
    return [c for c in calls(emu, method) if str(c.get("chat_id")) == str(chat_id)]


def shown_text(entries: list[dict[str, Any]]) -> str:
    """Every text, caption and button of some journal entries, as one string."""
    return json.dumps([[c.get("text"), c.get("caption"), c.get("reply_markup")]
                       for c in entries], ensure_ascii=False)


def answers(emu: Emulator) -> list[str]:
    """The texts of every answerCallbackQuery so far ("" for a silent answer)."""
    return [c.get("text") or "" for c in calls(emu, "answerCallbackQuery")]


def wait_until(check: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.1)


def wait_for_answer(emu: Emulator, pattern: str, after: int = 0,
                    timeout: float = WAIT) -> str:
    """The first button answer, past the first `after` ones, whose text matches."""
    deadline = time.monotonic() + timeout
    while True:
        for text in answers(emu)[after:]:
            if re.search(pattern, text, re.IGNORECASE):
                return text
        if time.monotonic() > deadline:
            raise TimeoutError(f"no button answer matching {pattern!r}: {answers(emu)[after:]}")
        time.sleep(0.1)


def quiet() -> None:
    """Give the bot time to do something it should not do."""
    time.sleep(QUIET)


def decode_key(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
