"""The container files (Containerfile, .containerignore, compose.yaml), where no container
engine can build them: the Containerfile is read instruction by instruction, its hardening
checked, and its install replayed outside a container.

The replay sends the build context as an engine would (the repository through
.containerignore), runs the builder stage's COPY and RUN steps with every container path moved
under a temporary root (`/opt/venv` becomes `<tmp>/root/opt/venv`), deletes the sources as the
runtime stage leaves them behind, and runs the ENTRYPOINT there with the runtime stage's ENV,
in its empty WORKDIR, with a HOME that does not exist: `--help`, `check`, and the bot itself
against the emulator, answering in Spanish from the packaged catalogs, healthy by the
HEALTHCHECK's own command, stopped by its STOPSIGNAL, having written only to /data and /tmp.
What it cannot show: the base image itself, the user switch (USER), a read-only root (the
tests run as whoever runs them), compose's own reading of compose.yaml, and Debian's packages:
a RUN that only installs them (`apt-get update && apt-get install -y --no-install-recommends
PACKAGES && rm -rf /var/lib/apt/lists/*`: root and Debian's archive) is never replayed, and
never silently: `not_replayed` names each RUN left out and where it is checked instead (the
runtime stage's postgresql-client: test_the_runtime_stage_has_postgresqls_client_tools).

One pass only (the container files do not change with the database): sqlite_only. It takes
about 20 s with pip's cache warm, a minute or two without (pip downloads the dependencies).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.platform.settings import encode_key, load_settings
from bot.safety.resources import load, shipped_file
from locales import Texts
from storage.postgres.tools import tool

from .harness import (
    BOT_START_TIMEOUT,
    GROUP_ID,
    REPO_ROOT,
    RESPONDER_IDS,
    WAIT,
    Emulator,
    EmulatorServer,
    free_port,
    minimal_env,
    new_token,
    stop_process,
    wait_until,
)

pytestmark = pytest.mark.sqlite_only("checked once, in the SQLite pass")

CONTAINERFILE = REPO_ROOT / "Containerfile"
IGNORE_FILE = REPO_ROOT / ".containerignore"
COMPOSE_FILE = REPO_ROOT / "compose.yaml"
UNIT_FILE = REPO_ROOT / "deploy" / "peer-support-bot.service"
PYTHON_IMAGE = "python:3.11-slim-bookworm"  # a Debian release named: see CLIENT_VERSION
# The major version of postgresql-client in each Debian release: pg_dump and pg_restore in the
# image. pg_dump refuses a server newer than itself, and tools of 17 or later write
# `SET transaction_timeout` into a restore, which a server before 17 refuses: the same major
# version as compose.yaml's server.
CLIENT_VERSION = {"bookworm": 15, "trixie": 17}
# python:3.11-slim's PATH (Debian's, with /usr/local/bin first), before the image's own ENV.
BASE_PATH = "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
INSTALL_TIMEOUT = 900  # seconds for pip, downloading everything on a cold cache
# The settings that hold secrets: never in an image.
SECRET_SETTINGS = ("BOT_TOKEN", "ENCRYPTION_KEYS", "INDEX_KEY", "WEBHOOK_SECRET", "DATABASE_URL")


# --- Reading a Containerfile ------------------------------------------------------------------


@dataclass
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY, ...
    flags: dict[str, str]  # --from=builder, --interval=30s
    args: str  # the rest, as written (continuations joined)
    line: int

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD, else None."""
        text = self.args
        if self.keyword == "HEALTHCHECK":
            keyword, _, text = text.partition(" ")
            if keyword.upper() != "CMD":
                return None
        text = text.strip()
        if not text.startswith("["):
            return None
        value = json.loads(text)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), self
        return value


@dataclass
class Stage:
    base: str  # the image, ARGs expanded
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction:
        found = self.all(keyword)
        assert found, f"the stage {self.name or self.base} has no {keyword}"
        return found[-1]

    def env(self, outside: Mapping[str, str]) -> dict[str, str]:
        """Its ENV, in order, each value expanded against what came before (and `outside`)."""
        env: dict[str, str] = {}
        for instruction in self.all("ENV"):
            before = {**outside, **env}
            for name, value in pairs(instruction.args):
                env[name] = expand(value, before)
        return env


_VARIABLE = re.compile(r"\$(?:\{(?P<braced>\w+)(?::-(?P<default>[^}]*))?\}|(?P<bare>\w+))")


def expand(text: str, variables: Mapping[str, str]) -> str:
    """$NAME, ${NAME} and ${NAME:-default}, as the builder substitutes them."""
    def value(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        found = variables.get(name, "")
        return found if found or match["default"] is None else match["default"]
    return _VARIABLE.sub(value, text)


def pairs(args: str) -> list[tuple[str, str]]:
    """NAME=value pairs (ENV, LABEL, ARG), quoted as a shell reads them; or `ENV NAME value`."""
    words = shlex.split(args)
    if len(words) >= 2 and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    return [tuple(word.split("=", 1)) if "=" in word else (word, "")  # type: ignore[misc]
            for word in words]


def parse_containerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """The ARGs before the first FROM, and the stages with their instructions."""
    logical: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not pending):
            continue  # a comment (also inside a continuation) or a blank line
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        logical.append((start, " ".join(part for part in pending if part)))
        pending = []
    assert not pending, "the file ends in the middle of a continued line"

    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for number, line in logical:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        flags: dict[str, str] = {}
        rest = rest.strip()
        while rest.startswith("--"):
            flag, _, rest = rest.partition(" ")
            name, _, value = flag[2:].partition("=")
            flags[name] = value
            rest = rest.strip()
        instruction = Instruction(keyword, flags, rest, number)
        if keyword == "FROM":
            words = expand(rest, global_args).split()
            assert len(words) in (1, 3), f"line {number}: FROM image [AS name]"
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        elif not stages:
            assert keyword == "ARG", f"line {number}: only ARG may come before FROM"
            global_args.update(pairs(rest))
        else:
            stages[-1].instructions.append(instruction)
    return global_args, stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_containerfile(CONTAINERFILE.read_text(encoding="utf-8"))[1]


def test_the_reader_reads_instructions_as_a_builder_does() -> None:
    global_args, parsed = parse_containerfile(
        "# syntax=docker/dockerfile:1\n"
        "ARG BASE=python:3.11-slim\n"
        "FROM ${BASE} AS one\n"
        "ENV A=1 \\\n"
        "    # a comment inside a continuation\n"
        '    B="two words" C=$A/x\n'
        "FROM $BASE\n"
        "COPY --from=one --chmod=0644 /a /b\n"
        'HEALTHCHECK --interval=5s CMD ["python", "-c", "pass"]\n')
    assert global_args == {"BASE": "python:3.11-slim"}
    assert [(s.base, s.name) for s in parsed] == [("python:3.11-slim", "one"),
                                                   ("python:3.11-slim", None)]
    assert parsed[0].env({}) == {"A": "1", "B": "two words", "C": "/x"}  # one ENV: A not yet
    copy = parsed[1].last("COPY")
    assert copy.flags == {"from": "one", "chmod": "0644"} and copy.args == "/a /b"
    assert parsed[1].last("HEALTHCHECK").exec_form == ["python", "-c", "pass"]


# --- What the Containerfile says --------------------------------------------------------------


def test_two_stages_on_the_same_python_image(stages: list[Stage]) -> None:
    assert len(stages) == 2
    builder, runtime = stages
    assert builder.name == "builder"
    assert builder.base == runtime.base == PYTHON_IMAGE
    installs = [run.args for run in builder.all("RUN") if "pip install" in run.args]
    assert installs == ["/opt/venv/bin/pip install ."], "one regular (non-editable) install"
    # The runtime stage takes nothing from the build context: only the builder's venv.
    copies = runtime.all("COPY")
    assert [(c.flags, c.args) for c in copies] == [({"from": "builder"}, "/opt/venv /opt/venv")]


def test_the_runtime_stage_runs_as_a_user_of_its_own(stages: list[Stage]) -> None:
    runtime = stages[-1]
    user = runtime.last("USER").args
    assert user == "10001:10001"
    setup = next(run.args for run in runtime.all("RUN") if run.args.startswith("useradd "))
    assert "useradd --system --uid 10001" in setup
    assert "install -d -m 0700 -o 10001 -g 10001 /data" in setup
    # Nothing after USER needs root.
    after = [i.keyword for i in runtime.instructions
             if i.line > runtime.last("USER").line]
    assert set(after) <= {"HEALTHCHECK", "STOPSIGNAL", "ENTRYPOINT", "CMD", "LABEL", "EXPOSE"}


_APT = re.compile(r"apt-get update && apt-get install -y --no-install-recommends "
                  r"(?P<packages>[a-z0-9.+-]+(?: [a-z0-9.+-]+)*) && rm -rf /var/lib/apt/lists/\*")


def debian_packages(run: Instruction) -> list[str] | None:
    """The packages a RUN installs when that is all it does (the lists removed after), else
    None: only such a RUN is left out of the replay, so nothing chained to it goes unrun."""
    match = _APT.fullmatch(run.args)
    return match["packages"].split() if match else None


def not_replayed(stages: list[Stage]) -> dict[int, str]:
    """Line -> why, for each RUN the replay below leaves out; any RUN it neither replays nor
    names here fails the test."""
    left_out: dict[int, str] = {}
    builder, runtime = stages
    for run in builder.all("RUN"):
        if debian_packages(run) is not None:
            left_out[run.line] = "Debian packages (root, Debian's archive)"
    for run in runtime.all("RUN"):
        if debian_packages(run) is not None:
            left_out[run.line] = ("Debian packages (root, Debian's archive): "
                                  "test_the_runtime_stage_has_postgresqls_client_tools")
        elif run.args.startswith("useradd "):
            left_out[run.line] = "root: test_the_runtime_stage_runs_as_a_user_of_its_own"
        else:
            assert run.args.startswith("python "), f"line {run.line}: not replayed, not checked"
    return left_out


def test_the_runtime_stage_has_postgresqls_client_tools(stages: list[Stage],
                                                         compose: dict[str, Any]) -> None:
    """With DATABASE_URL the nightly backup (BACKUP_DIR) and `backup`/`restore` run pg_dump
    and pg_restore: Debian's postgresql-client, installed as root (before USER), its lists
    removed, of the major version of compose.yaml's server."""
    builder, runtime = stages
    installs = {run.line: debian_packages(run) for run in runtime.all("RUN")
                if debian_packages(run) is not None}
    assert list(installs.values()) == [["postgresql-client"]]
    assert next(iter(installs)) < runtime.last("USER").line
    assert not [run for run in builder.all("RUN") if debian_packages(run) is not None]
    assert set(not_replayed(stages)) == {*installs, next(
        run.line for run in runtime.all("RUN") if run.args.startswith("useradd "))}
    release = runtime.base.rsplit("-", 1)[-1]
    assert release in CLIENT_VERSION, f"{runtime.base}: name the Debian release"
    server = compose["services"]["postgres"]["image"]
    assert server == f"postgres:{CLIENT_VERSION[release]}", (
        f"{server} and the image's postgresql-client {CLIENT_VERSION[release]}: one version")


def test_the_bot_finds_debians_pg_dump_on_the_images_path(
        stages: list[Stage], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian's postgresql-client puts pg_dump and pg_restore in /usr/bin as links to its
    wrapper (which runs /usr/lib/postgresql/15/bin/pg_dump): storage/postgres/tools.py looks
    on PATH first, and the image's PATH keeps /usr/bin."""
    env = stages[-1].env({"PATH": BASE_PATH})
    assert "/usr/bin" in env["PATH"].split(":")
    root = tmp_path / "root"
    wrapper = root / "usr/share/postgresql-common/pg_wrapper"
    wrapper.parent.mkdir(parents=True)
    wrapper.write_text("#!/bin/sh\n")
    wrapper.chmod(0o755)
    (root / "usr/bin").mkdir(parents=True)
    for name in ("pg_dump", "pg_restore"):
        (root / "usr/bin" / name).symlink_to("../share/postgresql-common/pg_wrapper")
    monkeypatch.setenv("PATH", ":".join(str(root / folder.lstrip("/"))
                                        for folder in env["PATH"].split(":")))
    assert tool("pg_dump") == root / "usr/bin/pg_dump"
    assert tool("pg_restore") == root / "usr/bin/pg_restore"


def test_the_data_is_on_a_volume_and_the_rest_can_be_read_only(stages: list[Stage]) -> None:
    runtime = stages[-1]
    assert json.loads(runtime.last("VOLUME").args) == ["/data"]
    env = runtime.env({"PATH": "/usr/local/bin:/usr/bin:/bin"})
    assert env["DATABASE_PATH"] == "/data/peer_support.db"
    assert env["BACKUP_DIR"] == "/data/backups"
    assert env["MPLCONFIGDIR"].startswith("/tmp/")  # a tmpfs: compose's tmpfs, --tmpfs /tmp
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PATH"].startswith("/opt/venv/bin:")
    assert runtime.last("WORKDIR").args == "/app"  # empty: no .env read from the image
    assert runtime.last("ENTRYPOINT").exec_form == ["python", "-m", "bot"]
    assert runtime.last("STOPSIGNAL").args == "SIGTERM"


def test_the_healthcheck_asks_healthz_only_where_metrics_are_served(stages: list[Stage],
                                                                    ) -> None:
    check = stages[-1].last("HEALTHCHECK")
    command = check.exec_form
    assert command is not None and command[:2] == ["python", "-c"]
    assert "METRICS_PORT" in command[2] and "http://127.0.0.1:{p}/healthz" in command[2]
    assert not re.search(r"\b(curl|wget)\b", check.args)
    assert {"interval", "timeout", "start-period", "retries"} <= set(check.flags)


def test_no_secret_goes_into_the_image(stages: list[Stage]) -> None:
    text = CONTAINERFILE.read_text(encoding="utf-8")
    for stage in stages:
        for instruction in stage.instructions:
            if instruction.keyword in ("ENV", "ARG", "LABEL"):
                names = {name for name, _ in pairs(instruction.args)}
                assert not names & set(SECRET_SETTINGS), instruction
            if instruction.keyword == "COPY" and "from" not in instruction.flags:
                sources = instruction.args.split()[:-1]
                assert not [s for s in sources if ".env" in s or "data" in s], instruction
    key = r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{43}(?![\w-])"  # `python -m bot keys`
    assert not re.search(key, text), "something that looks like a key"
    assert not re.search(r"\d{5,}:[\w-]{30,}", text), "something that looks like a bot token"
    assert "--mount=type=secret" not in text  # nothing secret is needed to build


# --- The build context ------------------------------------------------------------------------


def ignore_patterns(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    """(excluded, regex) per line of a .containerignore/.dockerignore, in order; `!` re-includes.
    As the engines match: `*` and `?` within one path segment, `**` across them, and a pattern
    that matches a folder matches everything in it."""
    patterns = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        excluded = not line.startswith("!")
        line = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        regex = ""
        for part in re.split(r"(\*\*/?|\*|\?)", line):
            if part.startswith("**"):
                regex += "(?:.*/)?" if part.endswith("/") else ".*"
            elif part == "*":
                regex += "[^/]*"
            elif part == "?":
                regex += "[^/]"
            else:
                regex += re.escape(part)
        patterns.append((excluded, re.compile(regex + r"(?:/.*)?\Z")))
    return patterns


def ignored(path: str, patterns: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether the engine leaves `path` (relative, with /) out of the build context."""
    verdict = False
    for excluded, regex in patterns:
        if regex.match(path):
            verdict = excluded
    return verdict


def build_context() -> list[str]:
    """The files an engine would send from this repository (.git and .venv skipped unread:
    the test below shows both are left out)."""
    patterns = ignore_patterns(IGNORE_FILE.read_text(encoding="utf-8"))
    sent = []
    for folder, dirs, files in os.walk(REPO_ROOT):
        relative = Path(folder).relative_to(REPO_ROOT)
        dirs[:] = [d for d in dirs if not (relative == Path() and d in (".git", ".venv"))]
        for name in files:
            path = (relative / name).as_posix()
            if not ignored(path, patterns):
                sent.append(path)
    return sorted(sent)


def test_the_build_context_holds_the_package_and_nothing_secret(stages: list[Stage]) -> None:
    assert (REPO_ROOT / ".dockerignore").samefile(IGNORE_FILE)  # docker reads this one
    patterns = ignore_patterns(IGNORE_FILE.read_text(encoding="utf-8"))
    for path in (".env", ".env.example", ".venv/bin/python", "data/peer_support.db",
                 "data/peer_support.db-wal", "tests/unit/test_flow.py", ".git/config",
                 ".pytest_cache/README.md", "bot/__pycache__/app.cpython-311.pyc",
                 "corpus/train.tsv", "bench/__main__.py", "bot/.env", "handlers/x.db"):
        assert ignored(path, patterns), f"{path} would be sent to the builder"
    context = build_context()
    sources = [source.rstrip("/") for copy in stages[0].all("COPY")
               for source in copy.args.split()[:-1]]
    for source in sources:
        assert any(p == source or p.startswith(f"{source}/") for p in context), (
            f"COPY {source}: not in the build context")
    unused = [p for p in context
              if not any(p == s or p.startswith(f"{s}/") for s in sources)]
    assert not unused, f"sent to the builder, never copied: {unused}"
    assert {"bot/safety/screen/model.json.gz", "locales/es/LC_MESSAGES/messages.po",
            "storage/sqlite/migrations/0001_initial.sql", "bot/safety/resources.toml"} <= set(
        context)


# --- compose.yaml -----------------------------------------------------------------------------


def seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", duration)
    assert match, duration
    return int(match[1]) * (60 if match[2] == "m" else 1)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_the_bot_read_only_with_its_data_on_a_volume(
        compose: dict[str, Any]) -> None:
    services = compose["services"]
    bot = services["bot"]
    assert bot["build"] == {"context": ".", "dockerfile": "Containerfile"}
    assert bot["env_file"] == ".env"
    assert "environment" not in bot  # the settings are .env's; the paths are the image's
    assert bot["read_only"] is True
    assert [t for t in bot["tmpfs"] if t.split(":")[0] == "/tmp"]
    volume, _, target = bot["volumes"][0].partition(":")
    assert target == "/data" and volume in compose["volumes"]
    assert bot["restart"] == "unless-stopped"
    assert bot["security_opt"] == ["no-new-privileges:true"]
    assert bot["cap_drop"] == ["ALL"]
    assert bot["init"] is True  # SIGTERM reaches the bot even while it imports
    assert bot["stop_signal"] == "SIGTERM"
    unit = UNIT_FILE.read_text(encoding="utf-8")
    stop = re.search(r"^TimeoutStopSec=(\d+)$", unit, re.MULTILINE)
    assert stop and seconds(bot["stop_grace_period"]) >= int(stop[1])
    assert "ports" not in bot  # nothing published unless the operator adds it


def test_compose_offers_postgresql_under_a_profile(compose: dict[str, Any]) -> None:
    services = compose["services"]
    server = services["postgres"]
    assert server["profiles"] == ["postgres"]
    assert server["image"] == "postgres:15"
    assert server["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")
    assert "pg_isready" in " ".join(server["healthcheck"]["test"])
    volume, _, target = server["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data" and volume in compose["volumes"]
    assert "ports" not in server  # reachable from the bot's network only
    # The DATABASE_URL the file documents is one the bot accepts.
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    documented = re.search(r"DATABASE_URL=(postgresql://\S+)", text)
    assert documented, "compose.yaml documents the bot's DATABASE_URL"
    url = documented[1].replace("<password>", "s3cret-Example")
    env = server["environment"]
    assert url == (f"postgresql://{env['POSTGRES_USER']}:s3cret-Example@postgres:5432/"
                   f"{env['POSTGRES_DB']}")
    settings = load_settings({"BOT_TOKEN": "123:abcdef", "PEER_GROUP_ID": "-1001",
                              "ENCRYPTION_KEYS": encode_key(secrets.token_bytes(32)),
                              "INDEX_KEY": encode_key(secrets.token_bytes(32)),
                              "DATABASE_URL": url})
    assert settings.database_url == url


# --- The install, replayed --------------------------------------------------------------------


@dataclass
class Image:
    """The replayed image: its root folder, and how to run a command in it."""

    root: Path
    env: dict[str, str]  # the runtime stage's ENV, container paths moved under root
    workdir: Path
    entrypoint: list[str]
    healthcheck: list[str]

    def inside(self, container_path: str) -> Path:
        return self.root / container_path.lstrip("/")

    @property
    def venv(self) -> Path:
        return self.inside("/opt/venv")

    def environment(self, **settings: str) -> dict[str, str]:
        """What a container's process gets: the image's ENV, then the settings (--env-file);
        HOME as the image's user has it, a folder that does not exist."""
        return minimal_env(**{**self.env, "HOME": str(self.inside("/nonexistent")),
                              **settings})

    def command(self, argv: list[str], env: Mapping[str, str]) -> list[str]:
        found = shutil.which(argv[0], path=env["PATH"])
        assert found is not None and Path(found).is_relative_to(self.root), (
            f"{argv[0]} is not the image's")
        return [found, *argv[1:]]

    def run(self, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
        env = self.environment(**settings)
        return subprocess.run(self.command([*self.entrypoint, *args], env), cwd=self.workdir,
                              env=env, capture_output=True, text=True, timeout=120,
                              check=False)

    def files(self) -> set[str]:
        """Every file under the root but /data and /tmp (the volume and the tmpfs)."""
        skip = (self.inside("/data"), self.inside("/tmp"))
        return {str(path.relative_to(self.root)) for path in self.root.rglob("*")
                if not any(path.is_relative_to(s) for s in skip)}


class Replay:
    """Runs a stage's steps with every container path moved under `root`."""

    def __init__(self, root: Path, container_paths: set[str]) -> None:
        self.root = root
        # Longest first: /opt/venv before a shorter path it starts with.
        self.paths = sorted(container_paths, key=len, reverse=True)
        self.skipped: list[Instruction] = []  # RUNs that only install Debian packages

    def move(self, text: str) -> str:
        """Every container path in `text` (a command, an ENV value) moved under the root, in
        one pass (the root may itself be under /tmp, one of the paths moved)."""
        alternatives = "|".join(re.escape(path) for path in self.paths)
        return re.sub(rf"(?<![\w./-])(?:{alternatives})(?=$|[/\s:'\"])",
                      lambda match: str(self.root / match[0].lstrip("/")), text)

    def host_path(self, container_path: str, cwd: Path) -> Path:
        return (self.root / container_path.lstrip("/") if container_path.startswith("/")
                else cwd / container_path)

    def builder(self, stage: Stage, context: Path, env: dict[str, str]) -> None:
        """ENV, WORKDIR, COPY (from `context`) and RUN, in order, as the builder runs them."""
        cwd = self.root  # "/" until a WORKDIR
        cwd.mkdir(parents=True, exist_ok=True)
        for instruction in stage.instructions:
            if instruction.keyword == "ENV":
                before = dict(env)  # host paths in it (`$PATH`) are not moved
                for name, value in pairs(instruction.args):
                    env[name] = expand(self.move(value), before)
            elif instruction.keyword == "WORKDIR":
                cwd = self.host_path(instruction.args, cwd)
                cwd.mkdir(parents=True, exist_ok=True)
            elif instruction.keyword == "COPY":
                *sources, destination = instruction.args.split()
                self.copy([context / source for source in sources],
                          self.host_path(destination, cwd))
            elif instruction.keyword == "RUN" and debian_packages(instruction) is not None:
                self.skipped.append(instruction)  # root, Debian's archive: see not_replayed
            elif instruction.keyword == "RUN":
                result = subprocess.run(["/bin/sh", "-c", self.move(instruction.args)], cwd=cwd,
                                        env=env, capture_output=True, text=True,
                                        timeout=INSTALL_TIMEOUT, check=False)
                assert result.returncode == 0, (f"RUN {instruction.args} (line "
                                                f"{instruction.line}):\n{result.stderr[-4000:]}")
            else:
                assert instruction.keyword in ("ARG", "LABEL"), f"not replayed: {instruction}"

    @staticmethod
    def copy(sources: list[Path], target: Path) -> None:
        """COPY: a folder's contents into the target, a file into the target folder."""
        for source in sources:
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / source.name)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory, stages: list[Stage]) -> Iterator[Image]:
    """The builder stage replayed (the context sent, COPY, RUN), its sources then dropped; the
    runtime stage's ENV and WORKDIR applied to what the builder left."""
    tmp = tmp_path_factory.mktemp("image")
    context, root = tmp / "context", tmp / "root"
    for path in build_context():
        (context / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / path, context / path)
    builder, runtime = stages
    container_paths = {"/tmp", "/opt/venv"}
    for stage in stages:
        container_paths |= {i.args for i in stage.all("WORKDIR")}
        container_paths |= set(json.loads(stage.last("VOLUME").args) if stage.all("VOLUME")
                               else [])
    replay = Replay(root, container_paths)
    # `python` on the PATH, as the base image has it: this interpreter (3.11, like the image).
    shims = tmp / "shims"
    shims.mkdir()
    (shims / "python").symlink_to(sys.executable)
    host_path = f"{shims}:{os.environ['PATH']}"

    # pip's own configuration (index, cache) holds, as the image's pip has its own.
    replay.builder(builder, context, {**os.environ, "PATH": host_path})
    # The runtime stage starts from the base image again and takes only the venv.
    shutil.rmtree(context)
    shutil.rmtree(replay.host_path(builder.last("WORKDIR").args, root))

    image_env = {"PATH": host_path}  # the base image's PATH: python
    for instruction in runtime.all("ENV"):
        before = dict(image_env)
        for name, value in pairs(instruction.args):
            image_env[name] = expand(replay.move(value), before)
    for folder in ("/tmp", "/data"):
        replay.host_path(folder, root).mkdir(mode=0o700, parents=True, exist_ok=True)
    workdir = replay.host_path(runtime.last("WORKDIR").args, root)
    workdir.mkdir(parents=True, exist_ok=True)
    built = Image(root, image_env, workdir, runtime.last("ENTRYPOINT").exec_form or [],
                  runtime.last("HEALTHCHECK").exec_form or [])
    # The runtime stage's own check, as the build runs it; its other RUNs (the user, Debian's
    # packages) are left out, each named by not_replayed with where it is checked instead.
    left_out = not_replayed(stages)
    assert {run.line for run in replay.skipped} <= set(left_out)
    smoke = [run.args for run in runtime.all("RUN") if run.line not in left_out]
    assert smoke == ["python -m bot --help >/dev/null"]
    assert built.run("--help").returncode == 0
    yield built


def test_the_installed_package_carries_its_files(image: Image) -> None:
    """Non-editable, and whole: the catalogs, migrations, TOML files and the screen's model
    are in the venv; the sources it was built from are gone."""
    env = image.environment()
    where = subprocess.run(
        image.command(["python", "-c", "import bot, handlers, locales, storage; "
                       "print(bot.__file__); print(storage.__file__)"], env),
        cwd=image.workdir, env=env, capture_output=True, text=True, timeout=60, check=True)
    for line in where.stdout.split():
        assert Path(line).is_relative_to(image.venv), line
    site = next(image.venv.glob("lib/python3.*/site-packages"))
    for pattern in ("locales/*/LC_MESSAGES/messages.po", "storage/sqlite/migrations/*.sql",
                    "storage/postgres/migrations/*.sql", "bot/safety/screen/phrases/*.toml",
                    "bot/**/*.toml", "bot/safety/screen/model.json.gz"):
        shipped = {p.relative_to(REPO_ROOT) for p in REPO_ROOT.glob(pattern)}
        installed = {p.relative_to(site) for p in site.glob(pattern)}
        assert shipped and installed == shipped, pattern
    assert not list(site.glob("__editable__*")) and not list(site.glob("*.egg-link"))
    assert not image.inside("/src").exists()


def test_the_entrypoint_checks_a_minimal_configuration(image: Image,
                                                       bot_keys: dict[str, str]) -> None:
    """`check` in the image: settings from the environment alone (no .env in WORKDIR), the
    database on the volume, the crisis screen loaded from the installed files."""
    result = image.run("check", BOT_TOKEN=new_token(), PEER_GROUP_ID=str(GROUP_ID),
                       TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot", **bot_keys)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Configuration OK" in result.stdout
    assert str(image.inside("/data/peer_support.db")) in result.stdout
    assert "Warning: .env" not in result.stdout
    bad = image.run("check", BOT_TOKEN=new_token(), PEER_GROUP_ID="1001", **bot_keys)
    assert bad.returncode == 2 and "PEER_GROUP_ID" in bad.stderr


def run_healthcheck(image: Image, env: Mapping[str, str]) -> int:
    return subprocess.run(image.command(image.healthcheck, env), cwd=image.workdir, env=env,
                          capture_output=True, timeout=30, check=False).returncode


def test_the_image_runs_the_bot(image: Image, stages: list[Stage], tgemu: EmulatorServer,
                                bot_keys: dict[str, str]) -> None:
    """The ENTRYPOINT against the emulator: a Spanish responder's /start is answered from the
    packaged catalogs, a coordinator's /stats chart is drawn (matplotlib, its cache in /tmp),
    the HEALTHCHECK's command finds /healthz healthy, the STOPSIGNAL stops it cleanly, and
    nothing was written but on the volume and in /tmp."""
    assert stages[-1].last("STOPSIGNAL").args == signal.SIGTERM.name  # what stop_process sends
    token, coordinator_id = new_token(), 7001
    env = image.environment(BOT_TOKEN=token, PEER_GROUP_ID=str(GROUP_ID),
                            TELEGRAM_API_BASE_URL=tgemu.api_url, METRICS_PORT=str(free_port()),
                            COORDINATOR_IDS=str(coordinator_id), **bot_keys)
    before = image.files()
    log = image.root.parent / "bot.log"  # the container log, outside the image
    with log.open("ab") as out:
        process = subprocess.Popen(image.command(image.entrypoint, env), cwd=image.workdir,
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "Application started" in log.read_text(errors="replace")
                   or process.poll() is not None, "the bot to start", BOT_START_TIMEOUT)
        assert process.poll() is None, log.read_text(errors="replace")
        emu = Emulator(token, tgemu.base_url)
        lucia = emu.user(RESPONDER_IDS[-1], "Lucía", language_code="es")
        lucia.command("/start")
        welcome = Texts("es", common=load(shipped_file()).common_texts("es"))("welcome")
        lucia.wait_for(rf"\A{re.escape(welcome)}\Z", timeout=WAIT)
        coordinator = emu.user(coordinator_id, "Coord")
        coordinator.command("/stats chart 7d")
        photo = coordinator.wait_for(r"^\[photo\]", timeout=60)  # matplotlib's first import
        assert photo["file"]["name"].endswith(".png"), photo
        wait_until(lambda: run_healthcheck(image, env) == 0, "the HEALTHCHECK to pass", 30)
    finally:
        code = stop_process(process, grace=60.0)  # SIGTERM, then SIGKILL after 60 s
    text = log.read_text(errors="replace")
    assert code == 0, text
    assert "Traceback" not in text and " ERROR " not in text, text
    assert run_healthcheck(image, env) != 0, "nothing answers on METRICS_PORT now"
    assert run_healthcheck(image, {**env, "METRICS_PORT": ""}) == 0, "healthy without it"
    assert image.files() == before, "written outside /data and /tmp"
    assert image.inside("/tmp/matplotlib").is_dir()  # MPLCONFIGDIR, not HOME
    assert not image.inside("/nonexistent").exists()
    database = image.inside("/data/peer_support.db")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
