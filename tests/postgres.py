"""A real PostgreSQL server for the tests, started here and stopped at the end.

Debian's PostgreSQL (`/usr/lib/postgresql/<version>/bin`) is run from a temporary folder on a
free loopback port, as the unprivileged `postgres` user when the tests run as root (initdb
refuses root). Passwords are checked (scram-sha-256), as a managed server would. Each test
gets a database of its own from `new_database()`.

`server_or_skip()` is for tests that cannot run without it: where the machine has no
PostgreSQL at all the caller decides; `.ci/run` installs it, so CI never skips.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

SUPERUSER_PASSWORD = "tests-superuser"  # a throwaway server on loopback


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int
    _as: list[str]
    _admin: psycopg.Connection[Any] | None = field(default=None, repr=False)

    def superuser_url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres:{SUPERUSER_PASSWORD}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        env = {**os.environ, "PGPASSWORD": SUPERUSER_PASSWORD}
        done = subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", database, "-v", "ON_ERROR_STOP=1", "-qAtc", statement],
            env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def new_database(self, prefix: str = "t") -> str:
        """A fresh empty database owned by a login role of its own; its URL. (Through a
        connection kept open for this: a psql process each time would cost more than the
        database.)"""
        name = f"{prefix}_{secrets.token_hex(6)}"
        password = secrets.token_hex(8)
        if self._admin is None:
            self._admin = psycopg.connect(self.superuser_url(), autocommit=True)
        self._admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        self._admin.execute(f"CREATE DATABASE {name} OWNER {name}")
        return f"postgresql://{name}:{password}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(bin_folder: Path) -> PostgresServer:
    folder = Path(tempfile.mkdtemp(prefix="pg-tests-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)
    pwfile = folder / "pw"
    pwfile.write_text(SUPERUSER_PASSWORD)
    if run_as:
        shutil.chown(pwfile, "postgres", "postgres")
    subprocess.run([*run_as, str(bin_folder / "initdb"), "-D", str(folder / "data"), "-U",
                    "postgres", "--pwfile", str(pwfile), "--auth-local=trust",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"],
                   capture_output=True, check=True)
    port = _free_port()
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    subprocess.run([*run_as, str(bin_folder / "pg_ctl"), "-D", str(folder / "data"), "-o",
                    options, "-l", str(folder / "log"), "-w", "-t", "60", "start"],
                   capture_output=True, check=True)
    server = PostgresServer(bin_folder, folder, port, run_as)
    deadline = time.monotonic() + 30
    while True:
        try:
            server.sql("SELECT 1")
            return server
        except RuntimeError:
            if time.monotonic() > deadline:
                server.stop()
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def running() -> Iterator[PostgresServer | None]:
    """A server for the duration, or None where this machine has no PostgreSQL."""
    bin_folder = binaries()
    if bin_folder is None:
        yield None
        return
    server = start(bin_folder)
    try:
        yield server
    finally:
        server.stop()
