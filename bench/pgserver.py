"""The PostgreSQL server of `python -m bench --backend postgres` (or `both`): the tests' own
throwaway server (tests/postgres.py: the machine's newest Debian PostgreSQL, from
/usr/lib/postgresql/<version>/bin, in a temporary folder, on a free loopback port, passwords
checked), restarted here as a deployed server runs. The tests start it with fsync,
synchronous_commit and full_page_writes off, which would time a database that keeps nothing
against SQLite files the bot flushes to disk; here every commit is on disk before it is
answered, as the PostgreSQL backend's docstrings assume. Each benchmark then takes fresh
databases from it (`bench.common.Backend.new_url`).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator

from bench.common import filesystem
from tests import postgres

DURABLE = "fsync=on, full_page_writes=on, synchronous_commit=on"


class NoPostgresError(RuntimeError):
    """This machine has no PostgreSQL server binaries."""


@contextlib.contextmanager
def running() -> Iterator[postgres.PostgresServer]:
    """A durable throwaway server for the duration; stopped (and its folder removed) after."""
    with postgres.running() as server:
        if server is None:
            raise NoPostgresError(
                "--backend postgres needs PostgreSQL's server binaries (Debian's postgresql "
                "package: /usr/lib/postgresql/<version>/bin), as the tests do")
        _restart_durable(server)
        yield server


def _restart_durable(server: postgres.PostgresServer) -> None:
    """Restart `server` with tests/postgres.py's options less the three that make it
    forgetful (options given to pg_ctl outrank ALTER SYSTEM, so a restart it takes)."""
    options = (f"-p {server.port} -k {server.folder} -c listen_addresses=127.0.0.1 "
               "-c max_connections=200")
    # server._as: tests/postgres.py's prefix that runs pg_ctl as `postgres` when we are root.
    done = subprocess.run(  # noqa: S603 (our own argument list)
        [*server._as, str(server.bin / "pg_ctl"), "-D", str(server.folder / "data"),
         "-o", options, "-l", str(server.folder / "log"), "-m", "fast", "-w", "-t", "60",
         "restart"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"PostgreSQL did not restart: {done.stderr.strip() or done.stdout}")
    found = server.sql("SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) "
                       "FROM pg_settings WHERE name IN "
                       "('fsync', 'full_page_writes', 'synchronous_commit')")
    if found != DURABLE:
        raise RuntimeError(f"PostgreSQL runs with {found}, not {DURABLE}")


def describe(server: postgres.PostgresServer) -> str:
    """One line for the output: version, where its data is, how it commits."""
    version = server.sql("SHOW server_version")
    return (f"PostgreSQL {version} (tests/postgres.py's server, {DURABLE}) on 127.0.0.1, "
            f"data in {server.folder} ({filesystem(server.folder)}); each benchmark's "
            "databases are new ones on it")
