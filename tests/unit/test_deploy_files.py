"""The systemd unit (deploy/peer-support-bot.service) keeps its sandbox: a user of its own,
a read-only system with one state directory, no privileges, the restart policy that matches
the bot's exit statuses, and time to stop cleanly. The container files have their own test
(tests/e2e/test_container_files.py), which installs the package."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot import __main__ as cli
from bot import runner

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "peer-support-bot.service"
STATE = "/var/lib/peer-support-bot"

Unit = dict[str, dict[str, list[str]]]


def parse_unit(text: str) -> Unit:
    """Sections of a systemd unit, each directive with every value it is given, in order (a
    directive may repeat, as Environment= does; an empty value is kept: it resets a list).
    Comments, blank lines and backslash continuations as systemd reads them."""
    sections: Unit = {}
    current: dict[str, list[str]] | None = None
    logical: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not logical and (not line or line[0] in "#;"):
            continue
        if line.endswith("\\"):
            logical.append(line[:-1])
            continue
        line = " ".join([*logical, line]).strip()
        logical = []
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"a directive outside any section: {line!r}"
        name, equals, value = line.partition("=")
        assert equals, f"not a directive: {line!r}"
        current.setdefault(name.strip(), []).append(value.strip())
    return sections


@pytest.fixture(scope="module")
def unit() -> Unit:
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def one(unit: Unit, section: str, name: str) -> str:
    values = unit[section].get(name)
    assert values, f"[{section}] has no {name}="
    assert len(values) == 1, f"[{section}] {name}= is given {len(values)} times"
    return values[0]


def environment(unit: Unit) -> dict[str, str]:
    pairs = [item.split("=", 1) for value in unit["Service"].get("Environment", [])
             for item in value.split()]
    return dict(pairs)


def test_the_parser_reads_units_as_systemd_does() -> None:
    parsed = parse_unit(textwrap.dedent("""\
        # a comment
        [Service]
        ; another
        Environment=A=1
        Environment=B=2 \\
          C=3
        CapabilityBoundingSet=
        """))
    service = parsed["Service"]
    assert list(parsed) == ["Service"]
    assert [value.split() for value in service["Environment"]] == [["A=1"], ["B=2", "C=3"]]
    assert service["CapabilityBoundingSet"] == [""]


def test_it_runs_as_a_user_of_its_own_from_the_installed_venv(unit: Unit) -> None:
    service = unit["Service"]
    user = one(unit, "Service", "User")
    assert user and user not in ("root", "0")
    assert one(unit, "Service", "Group") == user
    assert "DynamicUser" not in service  # the checkout in /opt belongs to that user
    workdir = one(unit, "Service", "WorkingDirectory")
    assert one(unit, "Service", "ExecStart") == f"{workdir}/.venv/bin/python -m bot"
    assert one(unit, "Service", "Type") == "exec"  # a missing venv fails `systemctl start`


def test_it_may_write_only_its_state_and_cache_directories(unit: Unit) -> None:
    assert one(unit, "Service", "ProtectSystem") == "strict"
    assert one(unit, "Service", "StateDirectory") == "peer-support-bot"
    assert one(unit, "Service", "StateDirectoryMode") == "0700"
    assert one(unit, "Service", "CacheDirectory") == "peer-support-bot"
    assert one(unit, "Service", "CacheDirectoryMode") == "0700"
    assert one(unit, "Service", "UMask") == "0077"
    for name in ("ReadWritePaths", "BindPaths", "ReadWriteDirectories"):
        assert name not in unit["Service"], f"{name}= opens more than the state directory"
    env = environment(unit)
    assert env["DATABASE_PATH"] == f"{STATE}/peer_support.db"
    assert env["BACKUP_DIR"] == f"{STATE}/backups"
    assert env["MPLCONFIGDIR"].startswith("/var/cache/peer-support-bot/")
    # The settings and secrets: the .env of the checkout, read by systemd (it wins over the
    # Environment= lines above, so the unit's comment says what to keep in it).
    workdir = one(unit, "Service", "WorkingDirectory")
    assert one(unit, "Service", "EnvironmentFile") == f"{workdir}/.env"
    comment = "leave\n# DATABASE_PATH and BACKUP_DIR commented out"
    assert comment in UNIT.read_text(encoding="utf-8")


def test_the_example_env_leaves_the_data_paths_to_the_deployment() -> None:
    """`cp .env.example .env` works under the unit and in the container: the example sets
    neither DATABASE_PATH nor BACKUP_DIR, which would win over theirs (EnvironmentFile,
    env_file) and point at a read-only folder, or turn the nightly backup off."""
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ("DATABASE_PATH", "BACKUP_DIR"):
        assert re.search(rf"^# {name}=", example, re.MULTILINE), name
        assert not re.search(rf"^\s*{name}\s*=", example, re.MULTILINE), name


@pytest.mark.parametrize(("name", "value"), [
    ("NoNewPrivileges", "yes"),
    ("ProtectHome", "yes"),
    ("PrivateTmp", "yes"),
    ("PrivateDevices", "yes"),
    ("ProtectKernelTunables", "yes"),
    ("ProtectKernelModules", "yes"),
    ("ProtectKernelLogs", "yes"),
    ("ProtectControlGroups", "yes"),
    ("RestrictNamespaces", "yes"),
    ("LockPersonality", "yes"),
    ("MemoryDenyWriteExecute", "yes"),
    ("RestrictRealtime", "yes"),
    ("RestrictSUIDSGID", "yes"),
    ("SystemCallFilter", "@system-service"),
    ("SystemCallArchitectures", "native"),
    ("CapabilityBoundingSet", ""),
    ("AmbientCapabilities", ""),
])
def test_the_sandbox(unit: Unit, name: str, value: str) -> None:
    assert one(unit, "Service", name) == value


def test_only_internet_and_unix_sockets(unit: Unit) -> None:
    families = one(unit, "Service", "RestrictAddressFamilies").split()
    assert sorted(families) == ["AF_INET", "AF_INET6", "AF_UNIX"]


def test_it_restarts_on_failure_but_not_on_what_needs_a_person(unit: Unit) -> None:
    assert one(unit, "Service", "Restart") == "on-failure"
    assert float(one(unit, "Service", "RestartSec")) >= 1
    prevented = {int(status) for status in one(unit, "Service",
                                               "RestartPreventExitStatus").split()}
    assert prevented == {cli.EXIT_CONFIG, runner.EXIT_ANOTHER_INSTANCE}
    # ... and gives up on a crash loop instead of restarting for ever.
    assert int(one(unit, "Unit", "StartLimitBurst")) >= 3
    assert int(one(unit, "Unit", "StartLimitIntervalSec")) >= 60


def test_a_stop_has_time_to_finish_the_updates_in_hand(unit: Unit) -> None:
    assert one(unit, "Service", "KillSignal") == "SIGTERM"
    # Longer than a PostgreSQL connection may be waited for (30 s) plus a Telegram call.
    assert int(one(unit, "Service", "TimeoutStopSec")) >= 45
    assert "KillMode" not in unit["Service"]  # the whole group gets SIGTERM, then SIGKILL


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """Every directive is one systemd knows, with a value it takes (`systemd-analyze verify`;
    ExecStart pointed at this Python, since /opt/peer-support-bot is not installed here)."""
    text = UNIT.read_text(encoding="utf-8").replace(
        "/opt/peer-support-bot/.venv/bin/python", sys.executable)
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


# Linux 6.3+: prctl(PR_SET_MDWE) makes the kernel refuse memory that is writable and
# executable, as MemoryDenyWriteExecute=yes does with a seccomp filter; kept across execve.
MDWE_PROBE = r"""
import ctypes, mmap, sys
if ctypes.CDLL(None, use_errno=True).prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, REFUSE_EXEC_GAIN
    print("unsupported")
    sys.exit(0)
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
except OSError:
    pass
else:
    sys.exit("writable and executable memory was allowed: the probe proves nothing")

import asyncio, datetime, secrets, tempfile
from pathlib import Path

import aiohttp.web, psycopg
import bot.__main__  # the command line and all it imports
from bot.oversight.chart import render_png
from bot.oversight.stats import Day
from bot.safety.screen import layers, model
from storage.backend import open_database
from storage.crypto import Keyring

days = [Day(datetime.date(2026, 1, n), 3, 2, 1, 0, 0, 4.5, 1, 5) for n in range(1, 8)]
assert render_png(days, "title", "requests", "minutes").startswith(b"\x89PNG")
assert layers.read("I want to end it all tonight, I have the pills", model.shipped()).at_risk
keyring = Keyring([secrets.token_bytes(32)], secrets.token_bytes(32))
assert keyring.open_sealed(keyring.seal("words", "row"), "row") == "words"
psycopg.pq.version()  # libpq loaded

async def database(folder: str) -> None:
    db = await open_database(Path(folder) / "data" / "peer_support.db")
    await db.close()

with tempfile.TemporaryDirectory() as folder:
    asyncio.run(database(folder))
print("ok")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_the_bot_needs_no_writable_executable_memory(tmp_path: Path) -> None:
    """MemoryDenyWriteExecute=yes is safe: the chart (matplotlib, numpy), the crisis screen,
    encryption (cryptography, OpenSSL), SQLite and libpq all run with the kernel refusing
    writable and executable memory. (Node.js, a JIT, dies under the same probe.)"""
    result = subprocess.run([sys.executable, "-c", MDWE_PROBE], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False,
                            env={"PATH": "/usr/bin:/bin", "MPLCONFIGDIR": str(tmp_path)})
    if result.stdout.strip() == "unsupported":
        pytest.skip("this kernel has no PR_SET_MDWE (Linux 6.3+)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
