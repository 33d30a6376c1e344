"""The command line: `python -m bot` runs the bot; `check` and `keys` help set it up."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys

from bot import logs, runner
from bot.settings import ConfigError, Settings, encode_key, load_environment, load_settings

_log = logging.getLogger("bot")
EXIT_CONFIG = 2


def _settings_or_exit() -> Settings:
    try:
        return load_settings(load_environment())
    except ConfigError as exc:
        print("The bot cannot start: the configuration has problems.", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        print("Fix them in the environment or in .env, then run `python -m bot check`.",
              file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def run() -> None:
    settings = _settings_or_exit()
    os.umask(0o077)  # every file the bot creates (database, WAL, SHM) is private
    logs.configure(settings.log_level, settings.bot_token)
    _log.info("starting")
    code = runner.run(settings)
    _log.info("stopped")
    raise SystemExit(code)


def check() -> None:
    settings = _settings_or_exit()
    print("Configuration OK.")
    print(f"  database: {settings.database_path}")
    print(f"  encryption keys: {len(settings.encryption_keys)} (the first one encrypts)")
    print(f"  coordinators: {len(settings.coordinator_ids)}")
    print(f"  Bot API: {'custom server' if settings.telegram_api_base_url else 'Telegram'}")
    if not settings.coordinator_ids:
        print("Warning: COORDINATOR_IDS is empty, so nobody is alerted when no peer is on call "
              "or a request waits unclaimed.")


def keys() -> None:
    """Fresh secrets, as lines to append to .env. Nothing is stored anywhere. WEBHOOK_SECRET
    is printed too when WEBHOOK_URL is set (only a webhook needs it)."""
    print(f"ENCRYPTION_KEYS={encode_key(secrets.token_bytes(32))}")
    print(f"INDEX_KEY={encode_key(secrets.token_bytes(32))}")
    if load_environment().get("WEBHOOK_URL", "").strip():
        print(f"WEBHOOK_SECRET={secrets.token_urlsafe(32)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Peer Support Bot: a confidential first contact with the Peer Support Team.")
    parser.add_argument("command", nargs="?", default="run", choices=("run", "check", "keys"),
                        help="run the bot (default), check the configuration, or print new keys")
    args = parser.parse_args(argv)
    {"run": run, "check": check, "keys": keys}[args.command]()


if __name__ == "__main__":
    main()
