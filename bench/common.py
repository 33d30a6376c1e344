"""What every benchmark shares: results, statistics, settings, the database a run keeps its data
in (`Backend`: SQLite files, or PostgreSQL with `--backend`), and a fast way to seed sealed
requests the bot can read. The instant Bot API and the people who send updates are the unit
tests' (`tests.unit.offline`: `OfflineRequest(record=False)`, `Person`)."""

from __future__ import annotations

import json
import logging
import math
import os
import platform
import random
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.platform.settings import Settings, encode_key
from storage.backend import Database, open_database
from storage.crypto import Keyring
from storage.requests import CODE_ALPHABET, Intake
from storage.session import Session

if TYPE_CHECKING:
    from tests.postgres import PostgresServer

GROUP = -1001
BOT_TOKEN = "123456:BENCH"  # noqa: S105 (the offline Bot API accepts any token)
DEFAULT_SCHEDULE = (300.0, 900.0, 1800.0)


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the table: what was measured, its value, the target and whether it is met
    (None: no target)."""

    measure: str
    value: str
    target: str = ""
    met: bool | None = None


@dataclass
class Result:
    name: str
    rows: list[Row] = field(default_factory=list)
    figures: dict[str, float | int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, measure: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(measure, value, target, met))


# --- Statistics -----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linearly interpolated between the closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


# --- Where the data is kept -----------------------------------------------------------------


@dataclass(frozen=True)
class Backend:
    """The database a benchmark's bot keeps its data in: SQLite files in the benchmark's folder
    (`server` None, the default), or PostgreSQL: a fresh database on `server` for each
    `new_url()` (bench/pgserver.py). A run on PostgreSQL reports its figures under the same
    names with `suffix` (`relay_overhead_ratio_pg`)."""

    server: PostgresServer | None = None

    @property
    def postgres(self) -> bool:
        return self.server is not None

    @property
    def name(self) -> str:
        return "PostgreSQL" if self.postgres else "SQLite"

    @property
    def suffix(self) -> str:
        return "_pg" if self.postgres else ""

    def new_url(self) -> str | None:
        """A new empty database's DATABASE_URL on PostgreSQL; None on SQLite (the file at
        DATABASE_PATH is the database)."""
        return None if self.server is None else self.server.new_database("bench")


SQLITE = Backend()


async def open_db(path: Path, url: str | None) -> Database:
    """The database at DATABASE_URL `url` if given, else the SQLite file at `path`; open and
    migrated, as the bot opens it."""
    return await open_database(path, url=url, migrate=True)


# --- Settings and keys ----------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    encryption: bytes
    index: bytes

    @classmethod
    def fresh(cls) -> Keys:
        return cls(secrets.token_bytes(32), secrets.token_bytes(32))

    def keyring(self) -> Keyring:
        return Keyring((self.encryption,), self.index)

    def env(self) -> dict[str, str]:
        """ENCRYPTION_KEYS and INDEX_KEY as `python -m bot keys` prints them."""
        return {"ENCRYPTION_KEYS": encode_key(self.encryption),
                "INDEX_KEY": encode_key(self.index)}


def make_settings(workdir: Path, keys: Keys, backend: Backend = SQLITE,
                  **overrides: Any) -> Settings:
    """The bot's settings for a benchmark: its SQLite file in `workdir`, or on PostgreSQL a new
    database of its own (DATABASE_URL)."""
    values: dict[str, Any] = {
        "bot_token": BOT_TOKEN, "peer_group_id": GROUP,
        "encryption_keys": (keys.encryption,), "index_key": keys.index,
        "database_path": workdir / "data" / "peer_support.db",
        "database_url": backend.new_url(),
    }
    values.update(overrides)
    return Settings(**values)


# --- Seeding --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    """One open request on the ladder: `step` steps taken, the next one due at `due`."""

    responder_id: int
    step: int
    due: int
    queued_at: int


def unique_codes(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    """`count` distinct request codes (R-XXXX), none of them in `taken`."""
    size = len(CODE_ALPHABET)
    codes: list[str] = []
    for drawn in rng.sample(range(size ** 4), count + len(taken)):
        letters, rest = [], drawn
        for _ in range(4):
            rest, digit = divmod(rest, size)
            letters.append(CODE_ALPHABET[digit])
        code = "R-" + "".join(letters)
        if code not in taken:
            codes.append(code)
    return codes[:count]


async def seed_open_requests(db: Database, keyring: Keyring, seeds: Sequence[Seed],
                             rng: random.Random | None = None) -> list[str]:
    """Insert open requests in one transaction (on either backend), sealed exactly as
    storage/requests.py seals them (the bot reads them as its own); their ids, in order."""
    rng = rng or random.Random(8)  # noqa: S311 (not a secret)
    taken = {row[0] for row in await db.fetch_all("SELECT code FROM requests")}
    codes = unique_codes(len(seeds), rng, taken)
    intake = json.dumps(asdict(Intake(urgency="today", outside_agency=False,
                                      discipline="fire", language="en")))
    rows = []
    ids = []
    for seed, code in zip(seeds, codes, strict=True):
        request_id = secrets.token_hex(8)
        ids.append(request_id)
        rows.append((
            request_id, code, keyring.blind_index("responder", seed.responder_id),
            keyring.seal(str(seed.responder_id), f"requests.responder_chat:{request_id}"),
            keyring.seal(intake, f"requests.intake:{request_id}"),
            seed.queued_at, seed.queued_at, seed.queued_at, seed.queued_at, seed.step,
            seed.step, seed.due))

    def insert(session: Session) -> None:
        session.executemany(
            "INSERT INTO requests (id, code, responder_index, responder_chat, state, "
            "intake_step, intake, created_at, opened_at, queued_at, last_activity_at, "
            "escalation_step, max_escalation_step, next_step_at) "
            "VALUES (?, ?, ?, ?, 'open', 'done', ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    await db.run(insert)
    return ids


def mid_ladder(count: int, now: int, first_responder: int, *, soonest: int = 120,
               spread: int = 600,
               schedule: tuple[float, float, float] = DEFAULT_SCHEDULE) -> list[Seed]:
    """`count` requests part-way up the ladder (0, 1 or 2 steps taken), each next step due
    between `soonest` and `soonest + spread` seconds from `now`."""
    seeds = []
    for n in range(count):
        step = n % 3
        due = now + soonest + (n * 7919) % spread
        seeds.append(Seed(first_responder + n, step, due, due - round(schedule[step])))
    return seeds


# --- Processes and the machine --------------------------------------------------------------


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def machine() -> list[str]:
    """Cores, CPU model, memory, Python: what the numbers were measured on."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:  # noqa: PTH123 (read line by line)
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    return [f"{os.cpu_count()} cores, {model}, {memory} RAM",
            f"Python {platform.python_version()} on {platform.system()} {platform.release()}"]


class LogTally(logging.Handler):
    """Counts what the bot logged at WARNING or above during a benchmark (and keeps the first
    few lines), so that a silent failure does not pass for a fast run."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.first) < 3:
            self.first.append(f"{record.levelname} {record.name}: {record.getMessage()}")

    def reset(self) -> None:
        self.count, self.first = 0, []


def filesystem(path: Path) -> str:
    """The type of the file system holding `path` (ext4, tmpfs, ...), from /proc/mounts."""
    best, kind = "", "unknown"
    resolved = str(path.resolve())
    for line in Path("/proc/mounts").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind
