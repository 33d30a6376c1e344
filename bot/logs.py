"""Logging that cannot leak: no message text, no token, no user id, at any level.

Our own log lines name request codes and error classes only. Third-party loggers that print
request URLs (httpx: the URL holds the token), Bot API parameters or whole updates
(python-telegram-bot at DEBUG) or SQL parameters (aiosqlite at DEBUG) are held above the level
where they do so, whatever LOG_LEVEL says; and a filter masks the token in anything that slips.
"""

from __future__ import annotations

import logging

_FLOORS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "aiosqlite": logging.INFO,
    "apscheduler": logging.INFO,
}


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, None
        return True


def configure(level: str, token: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([token, token.split(":", 1)[-1]]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    numeric = logging.getLevelName(level)
    for name, floor in _FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, numeric))
