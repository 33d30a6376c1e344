"""Logging that cannot leak: no message text, no token, no user id, at any level.

Our own log lines name request codes and error classes only. Third-party loggers that print
request URLs (httpx: the URL holds the token), Bot API parameters or whole updates
(python-telegram-bot at DEBUG) or SQL parameters (aiosqlite at DEBUG) are held above the level
where they do so, whatever LOG_LEVEL says; a filter drops the arguments of every
python-telegram-bot record (some error lines quote raw updates) and masks the token in anything
that slips.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TextIO

_FLOORS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "aiosqlite": logging.INFO,
    "psycopg": logging.WARNING,  # INFO: every pool hand-out; DEBUG: connection parameters
    "apscheduler": logging.WARNING,  # INFO logs every job run
}


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.args:
            # e.g. "Error while parsing updates! Received data was %r" would print raw updates
            record.msg, record.args = f"{record.msg} (details withheld)", None
        record.msg, record.args = self._redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            # Tracebacks can quote a request URL, which holds the token.
            record.exc_text = self._redact(logging.Formatter().formatException(record.exc_info))
        return True


class JsonLines(logging.Formatter):
    """LOG_FORMAT=json: one JSON object per line (time in UTC, level, logger, message, and the
    traceback if any), for a log collector. It formats what the filter left: the same
    redaction as the text format."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def configure(level: str, token: str, stream: TextIO | None = None, *,
              fmt: str = "text") -> None:
    """Log to stderr (or `stream`) at `level`, as text lines or JSON lines (`fmt`), with the
    token masked everywhere."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets([token, token.split(":", 1)[-1]]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    numeric = logging.getLevelName(level)
    for name, floor in _FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, numeric))
