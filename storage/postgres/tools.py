"""PostgreSQL's own tools for backups (bot/backups/): `pg_dump --format=custom` writes one,
`pg_restore` reads one and loads it into an empty database; and what a backup asks of the
database itself (its size, its recorded id, the instances alive on it).

The tools are found on PATH, else in the newest /usr/lib/postgresql/<version>/bin (Debian's
layout). They connect with DATABASE_URL's parts as a libpq connection string without the
password, which reaches them in the PGPASSWORD variable of their own environment: it is never
on a command line (which `ps` shows to every user) nor in anything printed (what they say is
masked too). That environment holds only what they need (`tool_environment`: PATH, HOME, the
locale, TZ, libpq's PG* and TLS variables), never the bot's secrets. Every call blocks: the
bot runs them in a worker thread. A failure is a DatabaseUnusableError: one line, quoting the
tool. A dump can be stopped (the bot shutting down, Ctrl-C): pg_dump is terminated within a
moment and `dump` raises StoppedError, leaving the half-written file to the caller.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from storage.backend import Database
from storage.errors import DatabaseUnusableError, SchemaError, StorageError

TOOL_SECONDS = 6 * 3600  # a dump of a large database takes a while; a hung one does not
STOP_LOOK_SECONDS = 0.2  # how often a running tool is looked at for a stop
END_SECONDS = 5.0  # how long a tool asked to end (SIGTERM) has before it is killed
_COPY = re.compile(r"^COPY [\w.\"]*schema_version\b.* FROM stdin;$")
# What the tools may see of the bot's environment: PATH and HOME (~/.pgpass, ~/.postgresql),
# the locale and TZ (their messages), libpq's own PG* variables (PGSSLROOTCERT, PGPASSFILE,
# PGSERVICEFILE, ...), OpenSSL's and Kerberos's. Nothing else: never BOT_TOKEN, the keys or
# WEBHOOK_SECRET.
_PASSED = frozenset({"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
                     "SSL_CERT_FILE", "SSL_CERT_DIR", "KRB5CCNAME", "KRB5_CONFIG"})
_PASSED_PREFIXES = ("LC_", "PG")


class StoppedError(Exception):
    """A tool was stopped on request before it ended (its output is not to be used)."""


def tool(name: str) -> Path:
    """pg_dump or pg_restore: on PATH, else in the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return Path(found)
    folders = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                     key=lambda path: int(path.parent.parent.name)
                     if path.parent.parent.name.isdigit() else 0)
    if folders:
        return folders[-1]
    raise DatabaseUnusableError(
        f"{name} is not installed: install PostgreSQL's client tools of the server's major "
        "version or newer (e.g. apt-get install postgresql-client)")


def _parts(url: str) -> dict[str, str]:
    try:
        parts = conninfo_to_dict(url)
    except Exception as exc:  # psycopg's ProgrammingError; never quote the URL itself
        raise DatabaseUnusableError(f"DATABASE_URL cannot be read as a connection URL "
                                    f"({type(exc).__name__})") from None
    return {key: str(value) for key, value in parts.items() if value is not None}


def names(url: str) -> tuple[str, str]:
    """The database's name and its user, as DATABASE_URL gives them (for instructions)."""
    parts = _parts(url)
    return parts.get("dbname", "DATABASE"), parts.get("user", "OWNER")


def tool_environment() -> dict[str, str]:
    """The part of this process's environment the tools get (see _PASSED)."""
    return {name: value for name, value in os.environ.items()
            if name in _PASSED or name.startswith(_PASSED_PREFIXES)}


def _connection(url: str) -> tuple[str, dict[str, str], list[str]]:
    """A libpq connection string for `url` without its password, the environment that gives
    the password to the tool (DATABASE_URL's; without one, a PGPASSWORD set for the bot is
    left to libpq, as ~/.pgpass is), and the password's forms to mask in what the tool says."""
    parts = _parts(url)
    password = parts.pop("password", None)
    env = tool_environment()
    hidden = []
    if password:
        env["PGPASSWORD"] = password
        hidden = [password, quote(password, safe="")]
    elif env.get("PGPASSWORD"):
        hidden = [env["PGPASSWORD"], quote(env["PGPASSWORD"], safe="")]
    return make_conninfo(**parts), env, hidden


def _run(command: list[str], what: str, env: dict[str, str] | None = None,
         hidden: list[str] | None = None, stop: threading.Event | None = None) -> str:
    """Run a tool with `env` (default: `tool_environment()`); its standard output. A failure
    is a DatabaseUnusableError quoting the tool's last lines, any password masked; `stop` set
    meanwhile ends the tool and raises StoppedError. A stoppable tool runs in a session of its
    own, so that only `stop` ends it: systemd's SIGTERM to the whole unit, or a terminal's
    Ctrl-C, would otherwise make it fail before the bot could stop it, a failure the team
    would be told of."""
    try:
        with subprocess.Popen(command, env=tool_environment() if env is None else env,  # noqa: S603 (a tool, no shell)
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=stop is not None) as process:
            out, err = _until_done(process, stop or threading.Event())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DatabaseUnusableError(f"{what}: {Path(command[0]).name} could not run "
                                    f"({type(exc).__name__})") from None
    if process.returncode != 0:
        said = " ".join(err.strip().splitlines()[-3:]) or f"status {process.returncode}"
        for secret in hidden or []:
            said = said.replace(secret, "***")
        raise DatabaseUnusableError(f"{what}: {Path(command[0]).name} failed: {said[:500]}")
    return out


def _until_done(process: subprocess.Popen[str], stop: threading.Event) -> tuple[str, str]:
    """What the tool wrote (out, err) once it ended, looking every STOP_LOOK_SECONDS for a
    stop (then it is ended, SIGTERM, and SIGKILL after END_SECONDS; StoppedError is raised) and
    for TOOL_SECONDS gone (then it is killed, and TimeoutExpired raised)."""
    deadline = time.monotonic() + TOOL_SECONDS
    while not stop.is_set():
        try:
            return process.communicate(timeout=STOP_LOOK_SECONDS)
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise
    process.terminate()
    try:
        process.wait(END_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    raise StoppedError


def dump(url: str, target: Path, stop: threading.Event | None = None) -> None:
    """pg_dump the database at `url` into the existing empty private file `target`; `stop`
    set meanwhile ends pg_dump and raises StoppedError."""
    conninfo, env, hidden = _connection(url)
    _run([str(tool("pg_dump")), "--format=custom", f"--file={target}",
          f"--dbname={conninfo}"], "the backup could not be taken", env, hidden, stop)


def entries(backup: Path) -> int:
    """How many entries pg_restore reads in the backup's table of contents (it must parse)."""
    listing = _run([str(tool("pg_restore")), "--list", str(backup)],
                   f"{backup} is not a backup pg_restore can read")
    return sum(1 for line in listing.splitlines() if line and not line.startswith(";"))


def schema_version(backup: Path) -> int:
    """The newest migration applied in the database the backup was taken from (0: none)."""
    text = _run([str(tool("pg_restore")), "--data-only", "--table=schema_version", "--file=-",
                 str(backup)], f"{backup} is not a backup pg_restore can read")
    versions, inside = [], False
    for line in text.splitlines():
        if _COPY.match(line):
            inside = True
        elif inside and line == "\\.":
            inside = False
        elif inside and line.split("\t", 1)[0].isdigit():
            versions.append(int(line.split("\t", 1)[0]))
    return max(versions, default=0)


def load(url: str, backup: Path) -> None:
    """pg_restore the backup into the (empty) database at `url`, in one transaction: all of
    it or none. Owners and grants are left out: the tables become the bot user's."""
    conninfo, env, hidden = _connection(url)
    _run([str(tool("pg_restore")), "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={conninfo}", str(backup)],
         "the backup could not be restored (nothing of it was kept)", env, hidden)


async def database_size(db: Database) -> int | None:
    """The database's size on the server (pg_database_size: what a dump of it stays below),
    or None if the server would not say."""
    try:
        row = await db.fetch_one("SELECT pg_database_size(current_database())")
    except StorageError:  # e.g. no CONNECT right recorded for this user: not looked at
        return None
    return int(row[0]) if row is not None and row[0] is not None else None


async def recorded_id(db: Database) -> str | None:
    """The id the bot recorded in the database at its first start (storage/integrity.py), or
    None (none yet, or no identity table: a database before migration 15)."""
    try:
        row = await db.fetch_one("SELECT value FROM identity WHERE name = 'database_id'")
    except SchemaError:
        return None
    return str(row[0]) if row is not None else None


async def instances_alive(db: Database, since: int) -> int:
    """How many bot instances said they were alive at `since` or later (the `instances`
    table, written by instances in webhook mode; 0 where there is none)."""
    try:
        row = await db.fetch_one("SELECT count(*) FROM instances WHERE seen_at >= ?", (since,))
    except SchemaError:
        return 0
    return int(row[0]) if row is not None else 0
