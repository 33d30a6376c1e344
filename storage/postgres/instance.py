"""One active bot instance per PostgreSQL database (until several are supported): a
session-level advisory lock, taken at start and held on a connection of its own for the life of
the process. An instance that finds it held can stand by: `wait()` asks for it every second
until the holder lets go.

The lock goes when its session ends: when the process stops or dies (its socket closes), or
when the server stops hearing from it. Server-side TCP keepalives (about a minute) are asked
for, so that a machine that lost its power or its network does not keep the lock for the
hours of the operating system's default. `keep()`, called every few seconds, tells whether the
lock is still this process's: a lost connection is opened again and the lock taken again,
unless another instance took it meanwhile.

The lock needs the session to stay one server session: a pooler in transaction mode (PgBouncer)
between the bot and PostgreSQL does not keep it, and must not be used here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

import psycopg

from storage.errors import StorageError
from storage.postgres.errors import masked, unusable

_log = logging.getLogger(__name__)
# pg_try_advisory_lock's key: b"peerinst" (the migrations' lock is another key).
INSTANCE_LOCK = int.from_bytes(b"peerinst", "big")
CONNECT_SECONDS = 10
ANSWER_SECONDS = 10.0  # how long the lock's connection may take to answer before it is lost
POLL_SECONDS = 1.0  # how often a standby asks for the lock
_SERVER_KEEPALIVES = ("SET tcp_keepalives_idle = 30", "SET tcp_keepalives_interval = 10",
                      "SET tcp_keepalives_count = 3")
APPLICATION = "peer-support-bot"


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as far as PostgreSQL shows it to this user."""

    pid: int | None  # its server process
    name: str | None  # its application_name
    client: str | None  # the address it connected from (None: a local socket, or not shown)
    since: str | None  # when its session began, UTC, to the minute

    def describe(self) -> str:
        parts = [f"from {self.client}" if self.client else "",
                 f"since {self.since} UTC" if self.since else ""]
        said = " ".join(part for part in parts if part)
        return f" (connected {said})" if said else ""


class InstanceLock:
    """The advisory lock of one database; see the top of this module."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: psycopg.AsyncConnection[Any] | None = None
        # Names this process's sessions: a session of ours that the server still keeps after
        # the network came back is recognised as ours, not as another instance.
        self._name = f"{APPLICATION} {secrets.token_hex(4)}"

    @property
    def where(self) -> str:
        return f"DATABASE_URL={masked(self._url)}"

    async def take(self) -> Holder | None:
        """Take the lock: None once this process holds it, or who holds it instead. Raises
        DatabaseUnusableError (one line) if the server cannot be reached or refuses the
        login."""
        try:
            conn = await self._connect()
        except psycopg.Error as exc:
            raise unusable(self.where, self._url, exc) from None
        try:
            holder = await self._try(conn)
        except psycopg.Error as exc:
            await conn.close()
            raise unusable(self.where, self._url, exc) from None
        if holder is not None:
            await conn.close()
            return holder
        self._conn = conn
        return None

    async def keep(self) -> bool:
        """True while this process holds the lock, taken again on a new connection if the
        old one was lost; False if another instance holds it now. Raises StorageError while
        the server cannot be reached (ask again later)."""
        conn = self._conn
        if conn is not None:
            try:
                await asyncio.wait_for(conn.execute("SELECT 1"), ANSWER_SECONDS)
            except (psycopg.Error, TimeoutError):
                _log.warning("the instance lock's connection to %s was lost; taking the "
                             "lock again", self.where)
                self._conn = None
                with contextlib.suppress(psycopg.Error, TimeoutError):
                    await asyncio.wait_for(conn.close(), ANSWER_SECONDS)
            else:
                return True
        try:
            conn = await self._connect()
        except psycopg.Error as exc:
            raise StorageError(f"{type(exc).__name__}: the server cannot be reached") from None
        try:
            holder = await self._try(conn)
            # A session of this process that the server still keeps (the network failed,
            # then came back) is ended, and the lock taken again a moment later.
            for _ in range(20):
                if holder is None or holder.name != self._name or holder.pid is None:
                    break
                with contextlib.suppress(psycopg.Error):  # else the server's keepalives will
                    await conn.execute("SELECT pg_terminate_backend(%s)", (holder.pid,))
                await asyncio.sleep(0.1)
                holder = await self._try(conn)
        except psycopg.Error as exc:
            await conn.close()
            raise StorageError(f"{type(exc).__name__}: the lock cannot be taken") from None
        if holder is not None:
            await conn.close()
            if holder.name == self._name:
                raise StorageError("an old session of this process still holds the lock")
            return False
        self._conn = conn
        _log.info("the instance lock on %s is held again", self.where)
        return True

    async def wait(self, every: float = POLL_SECONDS) -> None:
        """Stand by until this process holds the lock: asked for every `every` seconds on a
        connection of its own (opened again if lost; a server that cannot be reached is said
        once, as a warning, and asked again). Cancel the task to stop waiting: the connection
        is closed, and a lock it may have just taken goes with it."""
        conn: psycopg.AsyncConnection[Any] | None = None
        unreachable = False
        try:
            while True:
                try:
                    if conn is None:
                        conn = await asyncio.wait_for(self._connect(), ANSWER_SECONDS)
                    cursor = await asyncio.wait_for(conn.execute(
                        "SELECT pg_try_advisory_lock(%s)", (INSTANCE_LOCK,)), ANSWER_SECONDS)
                    row = await cursor.fetchone()
                except (psycopg.Error, TimeoutError) as exc:
                    if not unreachable:
                        _log.warning("standing by: %s cannot be reached (%s); asking again",
                                     self.where, type(exc).__name__)
                    unreachable = True
                    if conn is not None:
                        closing, conn = conn, None
                        with contextlib.suppress(psycopg.Error, TimeoutError):
                            await asyncio.wait_for(closing.close(), ANSWER_SECONDS)
                else:
                    if unreachable:
                        _log.info("standing by: %s answers again", self.where)
                    unreachable = False
                    if row is not None and row[0]:
                        self._conn, conn = conn, None
                        return
                await asyncio.sleep(every)
        finally:
            if conn is not None:  # cancelled: whatever it took goes with the session
                with contextlib.suppress(psycopg.Error):
                    await conn.close()

    async def release(self) -> None:
        """Let go of the lock (closing its connection ends the session, and the lock)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                await conn.close()

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        conn = await psycopg.AsyncConnection.connect(
            self._url, autocommit=True, connect_timeout=CONNECT_SECONDS,
            application_name=self._name, keepalives=1, keepalives_idle=30,
            keepalives_interval=10, keepalives_count=3)
        for statement in _SERVER_KEEPALIVES:  # ignored on a local socket; harmless if refused
            with contextlib.suppress(psycopg.Error):
                await conn.execute(statement)
        return conn

    async def _try(self, conn: psycopg.AsyncConnection[Any]) -> Holder | None:
        cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", (INSTANCE_LOCK,))
        taken = await cursor.fetchone()
        if taken is not None and taken[0]:
            return None
        cursor = await conn.execute(
            "SELECT l.pid, a.application_name, host(a.client_addr), "
            "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') "
            "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND ((l.classid::bigint << 32) | l.objid::bigint) = %s LIMIT 1", (INSTANCE_LOCK,))
        row = await cursor.fetchone()
        if row is None:  # let go between the two statements
            return Holder(None, None, None, None)
        return Holder(row[0], row[1], row[2], row[3])
