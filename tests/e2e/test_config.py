"""Configuration, as an operator meets it: `python -m bot`, `check` and `keys` in a fresh
directory with a minimal environment."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .harness import (
    KEY_BYTES,
    Answer,
    JsonAnswers,
    decode_key,
    free_port,
    generate_keys,
    minimal_env,
    new_token,
)

# Never contacted: if the bot got past its configuration it would fail here, not reach Telegram.
UNUSED_API = "http://127.0.0.1:9/bot"


def _run(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd,
                          env=minimal_env(**settings), capture_output=True, text=True,
                          timeout=30, check=False)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return generate_keys(tmp_path_factory.mktemp("config-keys"))


@pytest.fixture
def good(keys: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A complete, valid configuration."""
    return {"BOT_TOKEN": new_token(), "PEER_GROUP_ID": "-1001", **keys,
            "TELEGRAM_API_BASE_URL": UNUSED_API,
            "DATABASE_PATH": str(tmp_path / "data" / "peer_support.db")}


def _assert_no_secrets(result: subprocess.CompletedProcess[str], settings: dict[str, str]) -> None:
    output = result.stdout + result.stderr
    token = settings.get("BOT_TOKEN", "")
    secrets = [token, token.partition(":")[2], settings.get("INDEX_KEY", "")]
    secrets += settings.get("ENCRYPTION_KEYS", "").split(",")
    for secret in secrets:
        if len(secret) >= 6:
            assert secret not in output, "a secret was printed"


@pytest.mark.parametrize(("name", "value"), [
    ("BOT_TOKEN", None),
    ("BOT_TOKEN", "not-a-token-SECRETVALUE42"),
    ("PEER_GROUP_ID", "abc"),
    ("PEER_GROUP_ID", "1001"),
    ("ENCRYPTION_KEYS", "short"),
    ("INDEX_KEY", None),
])
def test_a_bad_setting_stops_the_bot_and_is_named(tmp_path: Path, good: dict[str, str],
                                                  name: str, value: str | None) -> None:
    settings = dict(good)
    if value is None:
        del settings[name]
    else:
        settings[name] = value
    for command in ((), ("check",)):
        result = _run(tmp_path, *command, **settings)
        assert result.returncode != 0, result
        assert name in result.stderr
        others = [n for n in ("BOT_TOKEN", "PEER_GROUP_ID", "ENCRYPTION_KEYS", "INDEX_KEY")
                  if n != name]
        assert not [n for n in others if n in result.stderr], "only the bad setting is named"
        assert "Configuration OK" not in result.stdout
        assert "Traceback" not in result.stderr
        _assert_no_secrets(result, {**good, **settings})
    assert not (tmp_path / "data").exists(), "nothing is created before the settings are valid"


def test_check_accepts_a_good_configuration(tmp_path: Path, good: dict[str, str]) -> None:
    result = _run(tmp_path, "check", **good)
    assert result.returncode == 0, result.stderr
    assert "Configuration OK" in result.stdout
    assert good["DATABASE_PATH"] in result.stdout
    _assert_no_secrets(result, good)


def test_keys_prints_two_fresh_keys(tmp_path: Path, good: dict[str, str]) -> None:
    runs = []
    for _ in range(2):
        result = _run(tmp_path, "keys")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == 2, lines
        assert all(re.fullmatch(r"[A-Z_]+=[A-Za-z0-9_-]+", line) for line in lines), lines
        pairs = dict(line.split("=", 1) for line in lines)
        assert set(pairs) == {"ENCRYPTION_KEYS", "INDEX_KEY"}
        assert all(len(decode_key(v)) == KEY_BYTES for v in pairs.values())
        runs.append(pairs)
    assert runs[0]["ENCRYPTION_KEYS"] != runs[1]["ENCRYPTION_KEYS"]
    assert runs[0]["INDEX_KEY"] != runs[1]["INDEX_KEY"]
    assert runs[0]["ENCRYPTION_KEYS"] != runs[0]["INDEX_KEY"]
    assert not list(tmp_path.iterdir()), "keys are printed, not stored"

    # What it prints is a working configuration.
    result = _run(tmp_path, "check", **{**good, **runs[1]})
    assert result.returncode == 0, result.stderr


def _write_env_file(directory: Path, settings: dict[str, str]) -> None:
    lines = [f"{name}={value}" for name, value in settings.items()]
    (directory / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path, good: dict[str, str]) -> None:
    from_file = {**good, "DATABASE_PATH": "from-dotenv/peer_support.db"}
    _write_env_file(tmp_path, from_file)

    result = _run(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "from-dotenv/peer_support.db" in result.stdout

    result = _run(tmp_path, "check", DATABASE_PATH="from-environment/peer_support.db")
    assert result.returncode == 0, result.stderr
    assert "from-environment/peer_support.db" in result.stdout
    assert "from-dotenv" not in result.stdout

    # A bad value in the environment overrides a good one in .env ...
    result = _run(tmp_path, "check", PEER_GROUP_ID="abc")
    assert result.returncode != 0
    assert "PEER_GROUP_ID" in result.stderr

    # ... and a good one in the environment overrides a bad one in .env.
    _write_env_file(tmp_path, {**from_file, "PEER_GROUP_ID": "abc"})
    assert _run(tmp_path, "check").returncode != 0
    result = _run(tmp_path, "check", PEER_GROUP_ID="-1001")
    assert result.returncode == 0, result.stderr
    _assert_no_secrets(result, good)


def _start(tmp_path: Path, **settings: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path,
                            env=minimal_env(LOG_LEVEL="DEBUG", **settings),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _run_against(api: type[JsonAnswers], tmp_path: Path, good: dict[str, str],
                 **settings: str) -> tuple[subprocess.Popen[str], str, dict[str, str]]:
    """The bot run to its end against the stand-in Bot API `api`: the process, what it
    printed, and the settings it had."""
    with api.serving() as port:
        settings = {**good, **settings, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot"}
        process = _start(tmp_path, **settings)
        output, _ = process.communicate(timeout=30)
    return process, output, settings


class _RefusesEveryToken(JsonAnswers):
    """Answers every Bot API call as Telegram answers a revoked token (the emulator accepts
    any token, so it cannot play this part)."""

    def reply(self, method: str, body: bytes) -> Answer:
        return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}


def test_a_token_telegram_refuses_at_start_is_one_line_and_never_printed(
        tmp_path: Path, good: dict[str, str]) -> None:
    """Exit 2, one line naming BOT_TOKEN, no traceback and no token, even at DEBUG."""
    process, output, settings = _run_against(_RefusesEveryToken, tmp_path, good)
    assert process.returncode == 2, output
    assert "Telegram does not accept BOT_TOKEN" in output
    assert "Traceback" not in output
    result = subprocess.CompletedProcess(process.args, process.returncode, output, "")
    _assert_no_secrets(result, settings)


class _RefusesTheWebhook(JsonAnswers):
    """Telegram refusing the webhook URL it is given (the emulator takes any URL); every
    other call answered as Telegram would at start."""

    def reply(self, method: str, body: bytes) -> Answer:
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 666, "is_bot": True,
                                                "first_name": "Peer Support",
                                                "username": "PeerTestBot"}}
        if method == "setWebhook":
            return 400, {"ok": False, "error_code": 400, "description":
                         "Bad Request: bad webhook: Webhook can be set up only on ports "
                         "80, 88, 443 or 8443"}
        return 200, {"ok": True, "result": True}


def test_a_webhook_telegram_refuses_is_one_line_and_no_restart_loop(
        tmp_path: Path, good: dict[str, str]) -> None:
    """Exit 2 (the unit does not restart it: a setting to fix), one line with Telegram's
    reason naming WEBHOOK_URL, no traceback. Before, a traceback and exit 1, restarted every
    few seconds for ever."""
    port = free_port()
    process, output, settings = _run_against(
        _RefusesTheWebhook, tmp_path, good, WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
        WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET="refused-webhook-secret-1")
    assert process.returncode == 2, output
    assert re.search(r"ERROR bot\.runner: cannot start: Telegram refused setWebhook \(Bad "
                     r"webhook: .*ports.*\): check WEBHOOK_URL", output), output
    assert "Traceback" not in output
    result = subprocess.CompletedProcess(process.args, process.returncode, output, "")
    _assert_no_secrets(result, settings)


def test_an_unreachable_bot_api_at_start_is_retried_and_sigterm_stops_it(
        tmp_path: Path, good: dict[str, str]) -> None:
    settings = {**good, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot"}
    process = _start(tmp_path, **settings)
    try:
        time.sleep(4)  # attempts at 0, 1 and 3 s
        assert process.poll() is None, "it gave up instead of retrying"
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0, output
    assert output.count("the Bot API cannot be reached at start") >= 2, output
    assert "Traceback" not in output
    result = subprocess.CompletedProcess(process.args, process.returncode, output, "")
    _assert_no_secrets(result, settings)


def test_check_refuses_what_cannot_work_and_warns_of_typos(tmp_path: Path,
                                                         good: dict[str, str]) -> None:
    """The placeholder token, a plain http webhook with Telegram's own Bot API, a database
    folder nobody can write; and a misspelled setting, which would otherwise be ignored."""
    telegram = {k: v for k, v in good.items() if k != "TELEGRAM_API_BASE_URL"}
    cases = [
        ({**good, "BOT_TOKEN": "123456789:replace-with-your-token"}, "BOT_TOKEN is still"),
        ({**telegram, "WEBHOOK_URL": "http://bot.example.org/hook",
          "WEBHOOK_SECRET": "s" * 20}, "WEBHOOK_URL must be https"),
        ({**good, "DATABASE_PATH": "/proc/peer-support/peer_support.db"},
         "DATABASE_PATH cannot be created"),
    ]
    for settings, problem in cases:
        for command in ((), ("check",)):
            result = _run(tmp_path, *command, **settings)
            assert result.returncode == 2, result
            assert problem in result.stderr and "Traceback" not in result.stderr
    result = _run(tmp_path, "check", ESCALATION_SCHEDUEL="1m,2m,3m", **good)
    assert result.returncode == 0, result.stderr
    assert ("Warning: ESCALATION_SCHEDUEL is not a setting; did you mean ESCALATION_SCHEDULE? "
            "It is ignored.") in result.stdout


@pytest.mark.parametrize(("url", "why"), [
    ("mysql://bot:Hunter2-Secret@db.example.org/peer_support", "must be a PostgreSQL URL"),
    ("postgresql://bot:Hunter2-Secret@db.example.org", "names no database name"),
    ("postgresql://bot:Hunter2-Secret@db.example.org:99999/peer_support", "no valid port"),
    ("postgresql://bot:Hunter2/Secret@db.example.org/peer_support", "percent-encoded"),
])
def test_a_bad_database_url_stops_the_bot_and_its_password_is_never_printed(
        tmp_path: Path, good: dict[str, str], url: str, why: str) -> None:
    """Exit 2, the variable named with what is wrong, the password masked; nothing made."""
    settings = {**good, "DATABASE_URL": url}
    for command in ((), ("check",), ("migrate-to-postgres",)):
        result = _run(tmp_path, *command, **settings)
        assert result.returncode == 2, result
        assert "DATABASE_URL " in result.stderr and why in result.stderr, result.stderr
        assert "Hunter2" not in result.stdout + result.stderr, "the password was printed"
        assert "Traceback" not in result.stderr
        _assert_no_secrets(result, settings)
    assert not (tmp_path / "data").exists(), "nothing is created before the settings are valid"


def test_a_database_server_that_cannot_be_reached_stops_the_bot(tmp_path: Path,
                                                                good: dict[str, str]) -> None:
    """A well-formed DATABASE_URL nobody answers at: one line, status 2, the password masked,
    and nothing made beside DATABASE_PATH (it is not used)."""
    url = f"postgresql://bot:Hunter2-Secret@127.0.0.1:{free_port()}/peer_support"
    settings = {**good, "DATABASE_URL": url}
    for command in ((), ("check",)):
        result = _run(tmp_path, *command, **settings)
        assert result.returncode == 2, result
        said = result.stdout + result.stderr
        assert "DATABASE_URL=postgresql://bot:***@127.0.0.1:" in said, said
        assert "cannot be reached (the connection was refused)" in said, said
        assert "Hunter2" not in said and "Traceback" not in said
    assert not (tmp_path / "data").exists()
