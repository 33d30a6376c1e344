"""One typed settings object, read once from the environment and a `.env` file.

The environment wins over `.env`. Every problem is collected and reported with the variable's
name and what is wrong, so an operator fixes a bad configuration in one pass.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.platform.durations import parse_duration
from bot.requests.snippets_file import Snippets, SnippetsError
from bot.requests.snippets_file import load as load_snippets
from bot.requests.snippets_file import shipped_file as shipped_snippets
from bot.safety.resources import Resources, ResourcesError, shipped_file
from bot.safety.resources import load as load_resources
from locales import LANGUAGES

KEY_BYTES = 32
TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
EXAMPLE_TOKEN = "123456789:replace-with-your-token"  # the placeholder in .env.example  # noqa: S105
# Every variable the bot reads (a test checks this against the code), for spotting typos.
KNOWN_SETTINGS = (
    "BOT_TOKEN", "PEER_GROUP_ID", "ENCRYPTION_KEYS", "INDEX_KEY", "COORDINATOR_IDS",
    "DATABASE_PATH", "DATABASE_URL", "TELEGRAM_API_BASE_URL", "POLL_INTERVAL", "LOG_LEVEL",
    "TIMEZONE", "DEFAULT_LANGUAGE", "RETENTION_DAYS", "RESOURCES_FILE", "SAFETY_QUESTION",
    "ESCALATION_SCHEDULE", "ONCALL_DEFAULT_HOURS", "BACKUP_CHAT_ID", "PEER_REPLY_MINUTES",
    "INACTIVITY_HOURS", "AGENCIES", "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT",
    "WEBHOOK_SECRET", "PEER_SUPPORT_FAULT", "PEER_COOLDOWN_MINUTES",
    "SNIPPETS_FILE", "FOLLOWUP_DELAYS", "LOG_FORMAT", "BACKUP_CONTACT", "BACKUP_DIR",
    "BACKUP_KEEP", "METRICS_PORT", "METRICS_LISTEN",
)
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_LOG_FORMATS = ("text", "json")


class ConfigError(Exception):
    """The configuration cannot be used; `problems` holds one line per bad variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def explained(self, headline: str) -> str:
        """What an operator reads: `headline`, a line per problem, and what to do."""
        return "\n".join([headline, *(f"  - {problem}" for problem in self.problems),
                          "Fix them in the environment or in .env, then run "
                          "`python -m bot check`."])


@dataclass(frozen=True)
class Settings:
    bot_token: str = field(repr=False)
    peer_group_id: int
    encryption_keys: tuple[bytes, ...] = field(repr=False)
    index_key: bytes = field(repr=False)
    coordinator_ids: frozenset[int] = frozenset()
    database_path: Path = Path("data/peer_support.db")
    database_url: str | None = field(default=None, repr=False)  # holds the password
    telegram_api_base_url: str | None = None
    poll_interval: float = 0.0
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one JSON object per line (bot/platform/logs.py)
    timezone: str = "UTC"
    escalation_schedule: tuple[float, float, float] = (300.0, 900.0, 1800.0)
    oncall_default_hours: float = 12.0
    backup_chat_id: int | None = None
    backup_contact: str | None = None  # whom the backup chat should call (free text)
    backup_dir: Path | None = None  # nightly backups go here; None: no nightly backup
    backup_keep: int = 14  # how many nightly backups are kept in backup_dir
    metrics_port: int | None = None  # /healthz and /metrics; None: not served
    metrics_listen: str = "127.0.0.1"
    peer_reply_minutes: float = 10.0
    inactivity_hours: float = 48.0
    peer_cooldown_minutes: float = 30.0  # after a high-risk conversation; 0: no pause
    # The follow-up check-ins a responder may choose when a conversation ends (seconds).
    followup_delays: tuple[float, ...] = (86400.0, 259200.0, 604800.0)
    agencies: tuple[str, ...] = ()
    retention_days: float = 30.0
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    default_language: str = "en"
    safety_question: bool = True
    resources_file: Path = field(default_factory=shipped_file)
    resources: Resources = field(default_factory=lambda: load_resources(shipped_file()),
                                 repr=False)
    snippets_file: Path = field(default_factory=shipped_snippets)
    snippets: Snippets = field(default_factory=lambda: load_snippets(shipped_snippets(), "en"),
                               repr=False)

    @property
    def webhook_path(self) -> str:
        """Where the webhook listens: the path of WEBHOOK_URL (a reverse proxy keeps it)."""
        return urlparse(self.webhook_url or "").path or "/"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_environment(env_file: Path = Path(".env")) -> dict[str, str]:
    """The `.env` file's values overlaid by the real environment."""
    merged: dict[str, str] = {}
    if env_file.is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(os.environ)
    return merged


KEY_SETTINGS = ("ENCRYPTION_KEYS", "INDEX_KEY")


def keys_defined_in(env_file: Path) -> list[str]:
    """Which of ENCRYPTION_KEYS and INDEX_KEY this file sets to something (the empty lines of
    .env.example do not count)."""
    values = dotenv_values(env_file)
    return [name for name in KEY_SETTINGS if (values.get(name) or "").strip()]


def exposed(env_file: Path = Path(".env")) -> str | None:
    """A warning when the file of secrets can be read or changed by other users, or None."""
    try:
        mode = stat.S_IMODE(env_file.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return (f"{env_file} holds the bot's secrets but other users can open it (mode {mode:o}): "
            f"run `chmod 600 {env_file}`")


def decode_key(value: str) -> bytes:
    """A 32-byte key from its URL-safe base64 text, as `python -m bot keys` prints it."""
    raw = base64.urlsafe_b64decode(value.strip() + "=" * (-len(value.strip()) % 4))
    if len(raw) != KEY_BYTES:
        raise ValueError(f"decodes to {len(raw)} bytes, not {KEY_BYTES}")
    return raw


def encode_key(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def new_key() -> str:
    """A fresh random key, as ENCRYPTION_KEYS and INDEX_KEY hold it."""
    return encode_key(secrets.token_bytes(KEY_BYTES))


class _Reader:
    """Reads variables one by one and keeps a list of what is wrong with them."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def raw(self, name: str) -> str:
        return self.env.get(name, "").strip()

    def required(self, name: str, hint: str) -> str | None:
        value = self.raw(name)
        if not value:
            self.problems.append(f"{name} is not set: {hint}")
            return None
        return value

    def fail(self, name: str, why: str) -> None:
        self.problems.append(f"{name} {why}")


def load_settings(env: Mapping[str, str]) -> Settings:
    """Validate every variable; raise ConfigError naming each bad one."""
    r = _Reader(env)

    token = r.required("BOT_TOKEN", "put the token BotFather gave you (123456:ABC...)")
    if token == EXAMPLE_TOKEN:
        r.fail("BOT_TOKEN", "is still the example from .env.example: put the token BotFather "
               "gave you")
    elif token is not None and not TOKEN_PATTERN.match(token):
        r.fail("BOT_TOKEN",
               "is malformed: expected digits, a colon, then the secret (123456:ABC-...)")

    group_id = _peer_group_id(r)
    keys = _encryption_keys(r)
    index_key = _index_key(r, keys)
    coordinators = _coordinator_ids(r)
    base_url = _base_url(r)
    poll_interval = _poll_interval(r)

    log_level, log_format = _logging(r)

    timezone = r.raw("TIMEZONE") or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("TIMEZONE", f"is not a known time zone name such as Europe/Paris: {timezone!r}")

    schedule = _escalation_schedule(r)
    oncall_hours = _positive_number(r, "ONCALL_DEFAULT_HOURS", 12.0, "hours", maximum=24 * 14)
    reply_minutes = _positive_number(r, "PEER_REPLY_MINUTES", 10.0, "minutes", maximum=24 * 60)
    inactivity = _positive_number(r, "INACTIVITY_HOURS", 48.0, "hours", maximum=24 * 90)
    cooldown, followup_delays = _cooldown_minutes(r), _followup_delays(r)
    backup = _backup_chat_id(r)
    backup_contact, (backup_dir, backup_keep) = _backup_contact(r), _backups(r)
    agencies = _agencies(r)
    retention = _retention_days(r, followup_delays)
    webhook_url, webhook_listen, webhook_port, webhook_secret = _webhook(r, base_url)
    metrics_port, metrics_listen = _metrics(r, webhook_port if webhook_url else None)

    resources_file, loaded_resources = _resources(r)

    default_language = (r.raw("DEFAULT_LANGUAGE") or "en").lower()
    if default_language not in LANGUAGES:
        r.fail("DEFAULT_LANGUAGE", f"must be one of {', '.join(LANGUAGES)}, "
                                   f"not {r.raw('DEFAULT_LANGUAGE')!r}")

    safety_question = _switch(r, "SAFETY_QUESTION", default=True)
    snippets_file, loaded_snippets = _snippets(
        r, default_language if default_language in LANGUAGES else "en")

    database_url = _database_url(r)
    database_path = Path(r.raw("DATABASE_PATH") or "data/peer_support.db")
    if database_url is not None:
        pass  # PostgreSQL: DATABASE_PATH is only read by `migrate-to-postgres`, never written
    elif database_path.is_dir():
        r.fail("DATABASE_PATH", f"points to a directory, not a database file: {database_path}")
    else:
        unwritable = _unwritable(database_path)
        if unwritable:
            r.fail("DATABASE_PATH", unwritable)

    if r.problems:
        raise ConfigError(r.problems)
    assert token is not None and group_id is not None and index_key is not None
    assert loaded_resources is not None and loaded_snippets is not None
    return Settings(
        bot_token=token,
        peer_group_id=group_id,
        encryption_keys=tuple(keys),
        index_key=index_key,
        coordinator_ids=coordinators,
        database_path=database_path,
        database_url=database_url,
        telegram_api_base_url=base_url,
        poll_interval=poll_interval,
        log_level=log_level,
        log_format=log_format,
        timezone=timezone,
        escalation_schedule=schedule,
        oncall_default_hours=oncall_hours,
        backup_chat_id=backup,
        backup_contact=backup_contact,
        backup_dir=backup_dir,
        backup_keep=backup_keep,
        metrics_port=metrics_port,
        metrics_listen=metrics_listen,
        peer_reply_minutes=reply_minutes,
        inactivity_hours=inactivity,
        peer_cooldown_minutes=cooldown,
        followup_delays=followup_delays,
        agencies=agencies,
        retention_days=retention,
        webhook_url=webhook_url,
        webhook_listen=webhook_listen,
        webhook_port=webhook_port,
        webhook_secret=webhook_secret,
        default_language=default_language,
        safety_question=safety_question,
        resources_file=resources_file,
        resources=loaded_resources,
        snippets_file=snippets_file,
        snippets=loaded_snippets,
    )


def _unwritable(path: Path) -> str | None:
    """Why the database cannot be created or written at `path`, or None. Tried for real
    (a file made and removed at once) in the nearest folder that exists, since permissions
    alone say nothing for root or a read-only file system; nothing is left behind."""
    if path.exists():
        return None if os.access(path, os.W_OK) else f"cannot be written: {path}"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"cannot be created: the folder {folder} is not writable ({exc.strerror})"
    return None


_POSTGRES_SCHEMES = ("postgresql", "postgres")
_URL_FORM = "postgresql://user:password@host:5432/dbname"
_PASSWORD_IN_QUERY = re.compile(r"(?i)\b(password=)[^&#\s]*")


def masked_url(url: str) -> str:
    """`url` as it may be shown: any password replaced by ***. Conservative on purpose, for
    values that do not parse too: whatever stands between the first `:` after the user and
    the last `@` is hidden, and so is a `password=` parameter."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    user_info, at, after = rest.rpartition("@")
    if at:
        user, colon, _ = user_info.partition(":")
        rest = f"{user}:***@{after}" if colon else f"{user}@{after}"
    masked = f"{scheme}{separator}{rest}"
    return _PASSWORD_IN_QUERY.sub(r"\1***", masked)


def url_passwords(url: str) -> list[str]:
    """The password of a DATABASE_URL as it may appear in text (as written, and decoded), for
    logs to redact; none if it has none."""
    try:
        parsed = urlparse(url)
        found = [parsed.password or "", *parse_qs(parsed.query).get("password", [])]
    except ValueError:
        return []
    return sorted({text for value in found if value for text in (value, unquote(value))},
                  key=len, reverse=True)


def _database_url(r: _Reader) -> str | None:
    """DATABASE_URL, a PostgreSQL connection URL (libpq's form), or None for SQLite. The
    password may be left out (a `.pgpass` file, or peer authentication on a local socket);
    user, host and database may also come as parameters (`?host=/var/run/postgresql`)."""
    value = r.raw("DATABASE_URL")
    if not value:
        return None
    shown = masked_url(value)
    parsed = urlparse(value)
    if parsed.scheme not in _POSTGRES_SCHEMES or not value.startswith(f"{parsed.scheme}://"):
        r.fail("DATABASE_URL", f"must be a PostgreSQL URL such as {_URL_FORM}, not {shown!r}")
        return None
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        r.fail("DATABASE_URL", f"has no valid port (1-65535) after the host, in {shown!r} (in "
               "a password, / ? # and @ must be percent-encoded: %2F %3F %23 %40)")
        return None
    query = parse_qs(parsed.query)
    missing = [what for what, found in (
        ("user", parsed.username or query.get("user")),
        ("host", parsed.hostname or query.get("host")),
        ("database name", unquote(parsed.path.lstrip("/")) or query.get("dbname")),
    ) if not found]
    if missing:
        r.fail("DATABASE_URL", f"names no {' and no '.join(missing)}: expected {_URL_FORM} "
               f"(the password may be left out), not {shown!r}")
        return None
    if "/" in parsed.path.strip("/"):
        r.fail("DATABASE_URL", f"must name one database after the host (/dbname), not {shown!r}")
        return None
    return value


def near_misses(names: Iterable[str]) -> list[tuple[str, str]]:
    """Variables that look like a setting misspelled (ESCALATION_SCHEDUEL), with the setting."""
    found = []
    for name in sorted(set(names) - set(KNOWN_SETTINGS)):
        close = difflib.get_close_matches(name, KNOWN_SETTINGS, n=1, cutoff=0.85)
        if close:
            found.append((name, close[0]))
    return found


_ON = ("on", "true", "yes", "1")
_OFF = ("off", "false", "no", "0")


def _switch(r: _Reader, name: str, *, default: bool) -> bool:
    """A setting that is `on` or `off` (true/false, yes/no and 1/0 are understood too)."""
    value = r.raw(name).lower()
    if not value:
        return default
    if value in _ON:
        return True
    if value not in _OFF:
        r.fail(name, f"must be on or off, not {r.raw(name)!r}")
    return False


def _whole_number(r: _Reader, name: str, value: str | None, what: str) -> int | None:
    """`value` as an int; None if it is unset, or not a whole number (then it says so)."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        r.fail(name, f"must be {what}, not {value!r}")
        return None


def _peer_group_id(r: _Reader) -> int | None:
    value = r.required("PEER_GROUP_ID", "the private peer group's chat id, e.g. -1001234567890")
    group_id = _whole_number(r, "PEER_GROUP_ID", value, "a whole number such as -1001234567890")
    if group_id is None:
        return None
    if group_id >= 0:
        r.fail("PEER_GROUP_ID",
               "must be a group's chat id, which is negative (e.g. -1001234567890)")
        return None
    return group_id


def _encryption_keys(r: _Reader) -> list[bytes]:
    value = r.required("ENCRYPTION_KEYS", "run `python -m bot keys` and add its lines to .env")
    keys: list[bytes] = []
    items = [item for item in (value or "").split(",") if item.strip()]
    for position, item in enumerate(items, start=1):
        try:
            keys.append(decode_key(item))
        except (ValueError, binascii.Error) as exc:
            r.fail("ENCRYPTION_KEYS", f"key {position} is not a valid 32-byte base64 key ({exc})")
    if value and not items:
        r.fail("ENCRYPTION_KEYS", "holds no key")
    if len(set(keys)) != len(keys):
        r.fail("ENCRYPTION_KEYS", "lists the same key twice")
    return keys


def _index_key(r: _Reader, keys: list[bytes]) -> bytes | None:
    value = r.required("INDEX_KEY", "run `python -m bot keys` and add its lines to .env")
    if value is None:
        return None
    try:
        key = decode_key(value)
    except (ValueError, binascii.Error) as exc:
        r.fail("INDEX_KEY", f"is not a valid 32-byte base64 key ({exc})")
        return None
    if key in keys:
        r.fail("INDEX_KEY", "must differ from every key in ENCRYPTION_KEYS")
        return None
    return key


def _coordinator_ids(r: _Reader) -> frozenset[int]:
    ids: set[int] = set()
    for item in r.raw("COORDINATOR_IDS").split(","):
        if not item.strip():
            continue
        try:
            user_id = int(item)
        except ValueError:
            r.fail("COORDINATOR_IDS", f"must be comma-separated user ids; {item.strip()!r} is not")
            continue
        if user_id <= 0:
            r.fail("COORDINATOR_IDS", f"holds {user_id}, but user ids are positive")
            continue
        ids.add(user_id)
    return frozenset(ids)


def _base_url(r: _Reader) -> str | None:
    value = r.raw("TELEGRAM_API_BASE_URL")
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        r.fail("TELEGRAM_API_BASE_URL", f"must be an http(s) URL such as "
               f"http://127.0.0.1:8081/bot, not {value!r}")
        return None
    return value


def _logging(r: _Reader) -> tuple[str, str]:
    """LOG_LEVEL and LOG_FORMAT."""
    level = (r.raw("LOG_LEVEL") or "INFO").upper()
    if level not in _LOG_LEVELS:
        r.fail("LOG_LEVEL", f"must be one of {', '.join(_LOG_LEVELS)}, not {r.raw('LOG_LEVEL')!r}")
    fmt = (r.raw("LOG_FORMAT") or "text").lower()
    if fmt not in _LOG_FORMATS:
        r.fail("LOG_FORMAT", f"must be text or json, not {r.raw('LOG_FORMAT')!r}")
    return level, fmt


def _poll_interval(r: _Reader) -> float:
    value = r.raw("POLL_INTERVAL")
    if not value:
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        r.fail("POLL_INTERVAL", f"must be a number of seconds, not {value!r}")
        return 0.0
    if not 0 <= seconds <= 60:
        r.fail("POLL_INTERVAL", f"must be between 0 and 60 seconds, not {value}")
        return 0.0
    return seconds


def _escalation_schedule(r: _Reader) -> tuple[float, float, float]:
    default = (300.0, 900.0, 1800.0)
    value = r.raw("ESCALATION_SCHEDULE")
    if not value:
        return default
    try:
        delays = [parse_duration(item) for item in value.split(",")]
    except ValueError as exc:
        r.fail("ESCALATION_SCHEDULE", f"must be three delays such as 5m,15m,30m: {exc}")
        return default
    if len(delays) != 3:
        r.fail("ESCALATION_SCHEDULE", f"must list exactly three delays (one per step), "
               f"not {len(delays)}: {value!r}")
        return default
    if not delays[0] < delays[1] < delays[2]:
        r.fail("ESCALATION_SCHEDULE", f"delays must grow from step to step: {value!r}")
        return default
    return delays[0], delays[1], delays[2]


def _positive_number(r: _Reader, name: str, default: float, unit: str, maximum: float, *,
                     zero: str | None = None) -> float:
    """A number of `unit` up to `maximum`, more than 0; or from 0, when `zero` says what 0
    means ("no pause")."""
    value = r.raw(name)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        zero_is = f" (0: {zero})" if zero else ""
        r.fail(name, f"must be a number of {unit}{zero_is}, not {value!r}")
        return default
    if not ((number >= 0 if zero else number > 0) and number <= maximum):
        least = f"from 0 ({zero}) to" if zero else "more than 0 and at most"
        r.fail(name, f"must be {least} {maximum:g} {unit}, not {value}")
        return default
    return number


MAX_COOLDOWN_MINUTES = 24 * 60


def _cooldown_minutes(r: _Reader) -> float:
    """PEER_COOLDOWN_MINUTES: fractions allowed (0.5 is 30 seconds), 0 turns the pause off."""
    return _positive_number(r, "PEER_COOLDOWN_MINUTES", 30.0, "minutes",
                            maximum=MAX_COOLDOWN_MINUTES, zero="no pause")


MAX_FOLLOWUP_CHOICES = 4  # buttons on one row, beside "No thanks"
MAX_FOLLOWUP_DAYS = 90


def _followup_delays(r: _Reader) -> tuple[float, ...]:
    """FOLLOWUP_DELAYS: the check-ins a responder may choose at the end of a conversation,
    e.g. 24h,72h,7d (units s, m, h, d); each different, at most MAX_FOLLOWUP_DAYS."""
    default = (86400.0, 259200.0, 604800.0)
    value = r.raw("FOLLOWUP_DELAYS")
    if not value:
        return default
    try:
        delays = [parse_duration(item, days=True) for item in value.split(",")]
    except ValueError as exc:
        r.fail("FOLLOWUP_DELAYS", f"must be delays such as 24h,72h,7d: {exc}")
        return default
    if len(delays) > MAX_FOLLOWUP_CHOICES:
        r.fail("FOLLOWUP_DELAYS", f"may list at most {MAX_FOLLOWUP_CHOICES} delays, not "
               f"{len(delays)}: {value!r}")
        return default
    if len({round(d) for d in delays}) != len(delays) or any(d < 1 for d in delays):
        r.fail("FOLLOWUP_DELAYS", f"must list different delays of a second or more: {value!r}")
        return default
    if max(delays) > MAX_FOLLOWUP_DAYS * 86400:
        r.fail("FOLLOWUP_DELAYS", f"delays must be at most {MAX_FOLLOWUP_DAYS}d: {value!r}")
        return default
    return tuple(float(round(d)) for d in sorted(delays))


def _retention_days(r: _Reader, delays: tuple[float, ...]) -> float:
    """RETENTION_DAYS; and since a check-in is sent before its conversation's retention end
    (bot/requests/checkins.py), the longest FOLLOWUP_DELAYS delay must be shorter (checked
    only when both are valid; RETENTION_DAYS is never 0 here, and one keeping nothing would
    leave no room for any check-in)."""
    retention_days = _positive_number(r, "RETENTION_DAYS", 30.0, "days", maximum=3650)
    if any(p.startswith(("FOLLOWUP_DELAYS ", "RETENTION_DAYS ")) for p in r.problems):
        return retention_days
    if delays and retention_days > 0 and max(delays) >= retention_days * 86400:
        r.fail("FOLLOWUP_DELAYS", f"must all be shorter than RETENTION_DAYS "
               f"({retention_days:g} days): its longest delay is {max(delays) / 86400:g} days, "
               f"and a check-in cannot outlive the conversation it follows (shorten "
               f"FOLLOWUP_DELAYS or raise RETENTION_DAYS)")
    elif delays and retention_days <= 0:
        r.fail("FOLLOWUP_DELAYS", "must be empty when RETENTION_DAYS keeps nothing")
    return retention_days


def _backup_chat_id(r: _Reader) -> int | None:
    chat_id = _whole_number(r, "BACKUP_CHAT_ID", r.raw("BACKUP_CHAT_ID") or None,
                            "a chat id (a whole number)")
    if chat_id is None:
        return None
    if chat_id == 0:
        r.fail("BACKUP_CHAT_ID", "must be a chat id, not 0")
        return None
    return chat_id


def _backup_contact(r: _Reader) -> str | None:
    """BACKUP_CONTACT: whom the backup chat should reach, e.g. "the duty supervisor, 555-0100"."""
    text = " ".join(r.raw("BACKUP_CONTACT").split())
    if len(text) > 300:
        r.fail("BACKUP_CONTACT", f"must be at most 300 characters, not {len(text)}")
        return None
    return text or None


def _backups(r: _Reader) -> tuple[Path | None, int]:
    """BACKUP_DIR turns the nightly backup on; BACKUP_KEEP says how many are kept there."""
    keep_text = r.raw("BACKUP_KEEP") or "14"
    keep = _whole_number(r, "BACKUP_KEEP", keep_text, "a whole number of backups (1-365)")
    if keep is not None and not 1 <= keep <= 365:
        r.fail("BACKUP_KEEP", f"must be between 1 and 365 backups, not {keep}")
    keep = keep if keep is not None and 1 <= keep <= 365 else 14
    if not r.raw("BACKUP_DIR"):
        return None, keep
    folder = Path(r.raw("BACKUP_DIR"))
    if folder.exists() and not folder.is_dir():
        r.fail("BACKUP_DIR", f"must be a folder, not a file: {folder}")
        return None, keep
    unwritable = _unwritable(folder / "probe")
    if unwritable:
        r.fail("BACKUP_DIR", unwritable.replace("cannot be created", "cannot hold backups", 1))
        return None, keep
    return folder, keep


def _port(r: _Reader, name: str, text: str) -> int | None:
    """A TCP port number, or None (and the problem said)."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        r.fail(name, f"must be a TCP port number (1-65535), not {text!r}")
        return None
    return port


def _metrics(r: _Reader, webhook_port: int | None) -> tuple[int | None, str]:
    """METRICS_PORT serves /healthz and /metrics on METRICS_LISTEN (off when unset)."""
    listen = r.raw("METRICS_LISTEN") or "127.0.0.1"
    if not r.raw("METRICS_PORT"):
        return None, listen
    port = _port(r, "METRICS_PORT", r.raw("METRICS_PORT"))
    if port is None:
        return None, listen
    if port == webhook_port:
        r.fail("METRICS_PORT", f"must differ from WEBHOOK_PORT ({webhook_port})")
        return None, listen
    return port, listen


def _agencies(r: _Reader) -> tuple[str, ...]:
    names = [" ".join(item.split()) for item in r.raw("AGENCIES").split(",") if item.strip()]
    too_long = [n for n in names if len(n) > 40]
    if too_long:
        r.fail("AGENCIES", f"names must be at most 40 characters: {too_long[0]!r}")
        return ()
    if len({n.casefold() for n in names}) != len(names):
        r.fail("AGENCIES", "lists the same agency twice")
        return ()
    return tuple(names)


_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,256}$")


def _webhook(r: _Reader, base_url: str | None) -> tuple[str | None, str, int, str | None]:
    """WEBHOOK_URL switches from polling to a webhook; then WEBHOOK_SECRET is required.
    Telegram posts only to https; plain http is for a self-hosted Bot API server."""
    listen = r.raw("WEBHOOK_LISTEN") or "127.0.0.1"
    port = _port(r, "WEBHOOK_PORT", r.raw("WEBHOOK_PORT") or "8443") or 8443
    url = r.raw("WEBHOOK_URL") or None
    if url is None:
        return None, listen, port, None
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        r.fail("WEBHOOK_URL", f"must be the public https URL Telegram posts to, not {url!r}")
    elif parsed.scheme == "http" and base_url is None:
        r.fail("WEBHOOK_URL", "must be https: Telegram posts updates only to https URLs (plain "
               "http works only with a self-hosted Bot API server in TELEGRAM_API_BASE_URL)")
    secret = r.raw("WEBHOOK_SECRET") or None
    if secret is None:
        r.fail("WEBHOOK_SECRET", "is not set: a webhook needs it to tell Telegram's requests "
               "from anyone else's (run `python -m bot keys`)")
    elif not _SECRET_TOKEN.match(secret):
        r.fail("WEBHOOK_SECRET", "must be 16 to 256 letters, digits, _ or -")
    return url, listen, port, secret


def _resources(r: _Reader) -> tuple[Path, Resources | None]:
    """RESOURCES_FILE, or the shipped resources.toml (US crisis lines, example clinicians)."""
    path = Path(r.raw("RESOURCES_FILE")) if r.raw("RESOURCES_FILE") else shipped_file()
    try:
        return path, load_resources(path)
    except ResourcesError as error:
        r.fail("RESOURCES_FILE", str(error))
        return path, None


def _snippets(r: _Reader, default_language: str) -> tuple[Path, Snippets | None]:
    """SNIPPETS_FILE, or the shipped snippets.toml (a few replies in English, Spanish and
    French); every snippet needs its name and text in DEFAULT_LANGUAGE."""
    path = Path(r.raw("SNIPPETS_FILE")) if r.raw("SNIPPETS_FILE") else shipped_snippets()
    try:
        return path, load_snippets(path, default_language)
    except SnippetsError as error:
        r.fail("SNIPPETS_FILE", str(error))
        return path, None
