"""psycopg's exceptions as storage's own (storage/errors.py), at this backend's edge, and
DATABASE_URL as it may be shown (the password masked).

While running: a unique or foreign-key rule (SQLSTATE class 23) is a `ConflictError`, a full
disk (53100) a `StorageFullError`, a missing table or column (42P01, 42703) a `SchemaError`,
anything else (a lost connection, a pool with no connection to give) a `StorageError`.
At `open()`: one line for the operator (`unusable`), never a traceback, never the password.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg_pool import PoolClosed

from storage.errors import (
    ConflictError,
    DatabaseClosedError,
    DatabaseUnusableError,
    SchemaError,
    StorageError,
    StorageFullError,
)

# Serialization failure and deadlock: the transaction lost a race and is run again.
RETRYABLE = frozenset({"40001", "40P01"})


def masked(url: str) -> str:
    """The URL with its password (in the user part or a `password=` parameter) as ***."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            user, host = netloc.rsplit("@", 1)
            if ":" in user:
                user = f"{user.split(':', 1)[0]}:***"
            netloc = f"{user}@{host}"
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, "***" if k == "password" else v) for k, v in pairs],
                              safe="*")
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:  # not even a URL: show none of it
        return "(not a URL)"


def _password(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        found = parts.password or dict(parse_qsl(parts.query)).get("password")
    except ValueError:
        return None
    return found or None


def _message(exc: BaseException) -> str:
    """The driver's first line, without the noise (libpq repeats where it connected)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def storage_error(exc: psycopg.Error) -> StorageError:
    """What a failed statement or commit raises instead of the driver's exception."""
    if isinstance(exc, PoolClosed):
        return DatabaseClosedError("the database is not open")
    state = exc.sqlstate or ""
    message = f"{type(exc).__name__}: {_message(exc)}"
    if state.startswith("23"):
        return ConflictError(message)
    if state == "53100":
        return StorageFullError(message)
    if state in ("42P01", "42703"):
        return SchemaError(message)
    return StorageError(message)


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """psycopg's exceptions raised inside, as storage's own."""
    try:
        yield
    except psycopg.Error as exc:
        raise storage_error(exc) from exc


def unusable(where: str, url: str, exc: BaseException) -> DatabaseUnusableError:
    """Why the database at `url` (named as `where`) cannot be used, in one line."""
    state = getattr(exc, "sqlstate", None) or ""
    reason = _message(exc)
    password = _password(url)
    if password:
        reason = reason.replace(password, "***")
    if isinstance(exc, psycopg.ProgrammingError) and not state:  # libpq could not parse it
        return DatabaseUnusableError(
            f"DATABASE_URL is not a PostgreSQL URL ({reason}): write it as "
            "postgresql://user:password@host:port/dbname")
    problem = _refusal(state, reason) or _unreachable(exc, state, reason)
    if problem is not None:
        return DatabaseUnusableError(f"{where}{problem}")
    return DatabaseUnusableError(
        f"{where} cannot be used ({type(exc).__name__}: {_fatal(reason)})")


def _refusal(state: str, reason: str) -> str | None:
    """The server answered, and said no. (At connect, libpq's words are all there is: no
    SQLSTATE.)"""
    lowered = reason.lower()
    if state == "28P01" or "password authentication failed" in lowered:
        return " refused the login: the user name or password is wrong"
    if state.startswith("28") or "pg_hba.conf" in lowered:
        return (f" refused the login ({_fatal(reason)}): does the server let this user "
                "connect from here (pg_hba.conf)?")
    if state == "3D000" or re.search(r'database ".*" does not exist', reason):
        return (": the database does not exist: create it (CREATE DATABASE ... OWNER the "
                "bot's user) or fix its name")
    if state == "42501" or "permission denied" in lowered:
        return (f": the user has no permission ({_fatal(reason)}): make it the database's "
                "owner, or grant it CONNECT on the database and CREATE on its schema")
    if state == "53100":
        return " cannot be written: the server's disk is full"
    if state == "53300" or "too many" in lowered:
        return (f" has no connection to spare ({_fatal(reason)}): raise max_connections or "
                "stop what else uses it")
    if "invalid" in lowered and "value" in lowered:  # a URL parameter libpq does not take
        return f" has a setting libpq refuses ({_fatal(reason)})"
    return None


def _unreachable(exc: BaseException, state: str, reason: str) -> str | None:
    """The server could not be reached at all."""
    if not isinstance(exc, psycopg.OperationalError) or state:
        return None
    lowered = reason.lower()
    if "could not translate host name" in lowered or "name or service" in lowered:
        what = "the host name is unknown"
    elif "refused" in lowered:
        what = "the connection was refused"
    elif "timeout" in lowered or "timed out" in lowered:
        what = "the connection timed out"
    else:
        what = _fatal(reason)
    return f" cannot be reached ({what}): is the server running, and are the host and port right?"


def _fatal(reason: str) -> str:
    """libpq's words without where it connected ("connection to server at ... failed:")."""
    return re.split(r"failed:\s*(?:FATAL:\s*)?", reason)[-1].strip() or reason
