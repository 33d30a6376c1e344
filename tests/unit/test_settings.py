"""Settings: every bad variable is named, with what is wrong; good ones parse."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest

from bot.platform.settings import (
    EXAMPLE_TOKEN,
    KNOWN_SETTINGS,
    ConfigError,
    encode_key,
    load_environment,
    load_settings,
    masked_url,
    near_misses,
    url_passwords,
)

KEY = encode_key(secrets.token_bytes(32))
OTHER_KEY = encode_key(secrets.token_bytes(32))
INDEX = encode_key(secrets.token_bytes(32))
GOOD = {"BOT_TOKEN": "123456:ABC-def_ghi", "PEER_GROUP_ID": "-1001234567890",
        "ENCRYPTION_KEYS": KEY, "INDEX_KEY": INDEX}


def problems(**changes: str | None) -> list[str]:
    env = {k: v for k, v in {**GOOD, **changes}.items() if v is not None}
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    return caught.value.problems


def test_good_configuration_and_defaults() -> None:
    settings = load_settings({**GOOD, "COORDINATOR_IDS": "11, 22", "ENCRYPTION_KEYS":
                              f"{KEY},{OTHER_KEY}", "POLL_INTERVAL": "1.5"})
    assert settings.peer_group_id == -1001234567890
    assert settings.coordinator_ids == frozenset({11, 22})
    assert len(settings.encryption_keys) == 2
    assert settings.database_path == Path("data/peer_support.db")
    assert settings.poll_interval == 1.5
    assert settings.log_level == "INFO"
    assert settings.telegram_api_base_url is None
    assert "ABC-def" not in repr(settings) and KEY not in repr(settings)


def test_everything_missing_is_reported_at_once() -> None:
    found = problems(BOT_TOKEN=None, PEER_GROUP_ID=None, ENCRYPTION_KEYS=None, INDEX_KEY=None)
    assert [p.split()[0] for p in found] == ["BOT_TOKEN", "PEER_GROUP_ID", "ENCRYPTION_KEYS",
                                             "INDEX_KEY"]
    assert all("is not set" in p for p in found)


@pytest.mark.parametrize(("name", "value", "why"), [
    ("BOT_TOKEN", "not-a-token", "malformed"),
    ("PEER_GROUP_ID", "abc", "whole number"),
    ("PEER_GROUP_ID", "12345", "negative"),
    ("ENCRYPTION_KEYS", "short", "32-byte"),
    ("ENCRYPTION_KEYS", f"{KEY},{KEY}", "same key twice"),
    ("INDEX_KEY", KEY, "must differ"),
    ("INDEX_KEY", "!!!", "32-byte"),
    ("COORDINATOR_IDS", "12,abc", "'abc'"),
    ("COORDINATOR_IDS", "-5", "positive"),
    ("TELEGRAM_API_BASE_URL", "ftp://x", "http(s) URL"),
    ("POLL_INTERVAL", "soon", "number of seconds"),
    ("POLL_INTERVAL", "-1", "between 0 and 60"),
    ("LOG_LEVEL", "LOUD", "one of DEBUG"),
    ("LOG_FORMAT", "xml", "must be text or json"),
    ("TIMEZONE", "Mars/Olympus", "time zone"),
])
def test_each_bad_value_is_named(name: str, value: str, why: str) -> None:
    found = problems(**{name: value})
    assert len(found) == 1
    assert found[0].startswith(name) and why in found[0]
    assert "ABC-def" not in found[0]


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PEER_GROUP_ID=-100\nLOG_LEVEL=DEBUG\n")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    merged = load_environment(env_file)
    assert merged["PEER_GROUP_ID"] == "-100"
    assert merged["LOG_LEVEL"] == "WARNING"


def test_every_setting_is_documented_in_env_example_and_readme() -> None:
    import re

    root = Path(__file__).resolve().parents[2]
    source = (root / "bot" / "platform" / "settings.py").read_text()
    names = set(re.findall(r'r\.(?:raw|required)\(\s*"([A-Z_]+)"', source))
    names |= set(re.findall(r'_positive_number\(r, "([A-Z_]+)"', source))
    assert {"BOT_TOKEN", "RESOURCES_FILE", "DEFAULT_LANGUAGE", "RETENTION_DAYS"} <= names
    example = (root / ".env.example").read_text()
    readme = (root / "README.md").read_text()
    missing_example = {n for n in names if not re.search(rf"^#? ?{n}=", example, re.MULTILINE)}
    missing_readme = {n for n in names if f"`{n}`" not in readme}
    assert not missing_example, missing_example
    assert not missing_readme, missing_readme


def test_safety_question_is_on_unless_turned_off() -> None:
    assert load_settings(GOOD).safety_question is True
    for value, expected in (("off", False), ("OFF", False), ("no", False), ("on", True),
                            ("true", True)):
        assert load_settings({**GOOD, "SAFETY_QUESTION": value}).safety_question is expected
    assert problems(SAFETY_QUESTION="sometimes") == [
        "SAFETY_QUESTION must be on or off, not 'sometimes'"]


def test_the_example_token_is_refused() -> None:
    assert problems(BOT_TOKEN=EXAMPLE_TOKEN) == [
        "BOT_TOKEN is still the example from .env.example: put the token BotFather gave you"]


def test_a_plain_http_webhook_needs_a_self_hosted_bot_api() -> None:
    webhook = {"WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": "s" * 20}
    found = problems(**webhook)
    assert len(found) == 1 and found[0].startswith("WEBHOOK_URL must be https")
    with_server = load_settings({**GOOD, **webhook,
                                 "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"})
    assert with_server.webhook_url == "http://bot.example.org/hook"


def test_a_database_path_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    found = problems(DATABASE_PATH="/proc/peer-support-test/peer_support.db")
    assert len(found) == 1 and found[0].startswith("DATABASE_PATH cannot be created: the "
                                                   "folder /proc is not writable")
    fine = tmp_path / "not-yet" / "data" / "peer_support.db"
    assert load_settings({**GOOD, "DATABASE_PATH": str(fine)}).database_path == fine
    assert not (tmp_path / "not-yet").exists(), "checking creates nothing"


def test_misspelled_settings_are_spotted_and_others_left_alone() -> None:
    assert near_misses(["ESCALATION_SCHEDUEL", "LOG_LEVELS", "PATH", "HOME", "TZ", "LANG",
                        "PYTHONPATH", "BOT_TOKEN"]) == [
        ("ESCALATION_SCHEDUEL", "ESCALATION_SCHEDULE"), ("LOG_LEVELS", "LOG_LEVEL")]


def test_every_variable_read_is_a_known_setting() -> None:
    source = (Path(__file__).resolve().parents[2] / "bot" / "platform" / "settings.py").read_text()
    read = set(re.findall(r'\b(?:raw|required|_positive_number\(r,|_switch\(r,)\(?\s*"([A-Z_]+)"',
                          source))
    assert read and read <= set(KNOWN_SETTINGS), read - set(KNOWN_SETTINGS)


def test_without_database_url_sqlite_at_database_path_is_used() -> None:
    settings = load_settings(GOOD)
    assert settings.database_url is None
    assert settings.database_path == Path("data/peer_support.db")


@pytest.mark.parametrize("url", [
    "postgresql://bot:s3cret@db.example.org:5433/peer_support",
    "postgres://bot:s3cret@db.example.org/peer_support",
    "postgresql://bot@db.example.org/peer_support",  # the password in ~/.pgpass
    "postgresql://bot:s3cret@10.0.0.5/peer_support?sslmode=verify-full",
    "postgresql:///peer_support?host=/var/run/postgresql&user=bot",  # peer authentication
    "postgresql://bot:p%2Fss%40word@db.example.org/peer_support",
])
def test_a_postgresql_url_is_accepted(url: str) -> None:
    settings = load_settings({**GOOD, "DATABASE_URL": url})
    assert settings.database_url == url
    assert "s3cret" not in repr(settings)


def test_with_database_url_database_path_is_not_checked() -> None:
    """DATABASE_PATH is not written on PostgreSQL (only `migrate-to-postgres` reads it)."""
    settings = load_settings({**GOOD, "DATABASE_URL": "postgresql://bot:x@db/peer_support",
                              "DATABASE_PATH": "/proc/peer-support-test/peer_support.db"})
    assert settings.database_url is not None


@pytest.mark.parametrize(("url", "why"), [
    ("mysql://bot:s3cret@db.example.org/peer_support", "must be a PostgreSQL URL such as "
     "postgresql://user:password@host:5432/dbname, not 'mysql://bot:***@db.example.org/"
     "peer_support'"),
    ("bot:s3cret@db.example.org/peer_support", "must be a PostgreSQL URL"),
    ("db.example.org", "must be a PostgreSQL URL"),
    ("postgresql://db.example.org/peer_support", "names no user: expected "
     "postgresql://user:password@host:5432/dbname (the password may be left out), not "
     "'postgresql://db.example.org/peer_support'"),
    ("postgresql://bot:s3cret@/peer_support", "names no host"),
    ("postgresql://bot:s3cret@db.example.org", "names no database name"),
    ("postgresql://bot:s3cret@db.example.org/", "names no database name"),
    ("postgresql://:s3cret@/", "names no user and no host and no database name"),
    ("postgresql://bot:s3cret@db.example.org:99999/peer_support", "no valid port"),
    ("postgresql://bot:s3cret@db.example.org:five/peer_support", "no valid port"),
    ("postgresql://bot:s3/cret@db.example.org/peer_support", "percent-encoded"),
    ("postgresql://bot:s3cret@db.example.org/peer/support", "one database"),
])
def test_a_bad_database_url_is_named_and_its_password_never_shown(url: str, why: str) -> None:
    found = problems(DATABASE_URL=url)
    assert len(found) == 1, found
    assert found[0].startswith("DATABASE_URL ") and why in found[0], found[0]
    assert "s3cret" not in found[0] and "s3/cret" not in found[0]


def test_a_password_in_the_query_is_masked_too() -> None:
    found = problems(DATABASE_URL="mysql://db/x?user=bot&password=s3cret&sslmode=require")
    assert "password=***" in found[0] and "s3cret" not in found[0]


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://bot:s3cret@db:5432/x", "postgresql://bot:***@db:5432/x"),
    ("postgresql://bot@db/x", "postgresql://bot@db/x"),
    ("postgresql://bot:p@ss@db/x", "postgresql://bot:***@db/x"),
    ("postgresql://db/x?password=s3cret&sslmode=require",
     "postgresql://db/x?password=***&sslmode=require"),
    ("bot:s3cret@db/x", "bot:***@db/x"),
])
def test_masked_url(url: str, shown: str) -> None:
    assert masked_url(url) == shown


def test_the_passwords_to_redact_from_logs() -> None:
    assert url_passwords("postgresql://bot:p%40ss@db/x") == ["p%40ss", "p@ss"]
    assert url_passwords("postgresql://bot@db/x?password=s3cret") == ["s3cret"]
    assert url_passwords("postgresql://bot@db/x") == []


def test_peer_cooldown_minutes_defaults_to_30_and_takes_0_and_fractions() -> None:
    assert load_settings(GOOD).peer_cooldown_minutes == 30.0
    assert load_settings({**GOOD, "PEER_COOLDOWN_MINUTES": "0"}).peer_cooldown_minutes == 0.0
    assert load_settings({**GOOD, "PEER_COOLDOWN_MINUTES": " 0.05 "}).peer_cooldown_minutes \
        == 0.05
    assert load_settings({**GOOD, "PEER_COOLDOWN_MINUTES": "1440"}).peer_cooldown_minutes \
        == 1440.0


@pytest.mark.parametrize(("value", "why"), [
    ("soon", "must be a number of minutes (0: no pause), not 'soon'"),
    ("30m", "must be a number of minutes"),
    ("-5", "must be from 0 (no pause) to 1440 minutes, not -5"),
    ("1441", "to 1440 minutes"),
    ("nan", "to 1440 minutes"),
    ("inf", "to 1440 minutes"),
])
def test_a_bad_peer_cooldown_is_named_in_one_line(value: str, why: str) -> None:
    found = problems(PEER_COOLDOWN_MINUTES=value)
    assert len(found) == 1 and "\n" not in found[0]
    assert found[0].startswith("PEER_COOLDOWN_MINUTES ") and why in found[0], found


def test_backup_and_metrics_settings_have_defaults_and_clear_refusals(tmp_path: Path) -> None:
    plain = load_settings(GOOD)
    assert (plain.backup_dir, plain.backup_keep, plain.backup_contact) == (None, 14, None)
    assert (plain.metrics_port, plain.metrics_listen) == (None, "127.0.0.1")
    chosen = load_settings({**GOOD, "BACKUP_DIR": str(tmp_path / "new"), "BACKUP_KEEP": "7",
                            "BACKUP_CONTACT": "  the duty   supervisor, 555-0100 ",
                            "METRICS_PORT": "9464", "METRICS_LISTEN": "0.0.0.0"})
    assert chosen.backup_dir == tmp_path / "new" and chosen.backup_keep == 7
    assert chosen.backup_contact == "the duty supervisor, 555-0100"
    assert (chosen.metrics_port, chosen.metrics_listen) == (9464, "0.0.0.0")

    a_file = tmp_path / "a-file"
    a_file.write_text("")
    assert problems(BACKUP_DIR=str(a_file)) == [
        f"BACKUP_DIR must be a folder, not a file: {a_file}"]
    assert problems(BACKUP_KEEP="0") == ["BACKUP_KEEP must be between 1 and 365 backups, not 0"]
    assert problems(BACKUP_KEEP="many") == [
        "BACKUP_KEEP must be a whole number of backups (1-365), not 'many'"]
    assert problems(BACKUP_CONTACT="x" * 301) == [
        "BACKUP_CONTACT must be at most 300 characters, not 301"]
    assert problems(METRICS_PORT="70000") == [
        "METRICS_PORT must be a TCP port number (1-65535), not '70000'"]
    webhook = {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "s" * 20,
               "WEBHOOK_PORT": "9000"}
    assert problems(**webhook, METRICS_PORT="9000") == [
        "METRICS_PORT must differ from WEBHOOK_PORT (9000)"]
