"""Is the bot receiving updates? What /healthz answers (bot/platform/metrics.py serves it).

Healthy is both of:
- the Bot API answered recently: a successful getUpdates (long polling), or, in webhook mode,
  once the webhook is set, a successful getMe probe made every PROBE_SECONDS; "recently" is
  within `stale_after` seconds (the runner gives the long poll or the probe's period, plus
  POLL_INTERVAL, plus STALE_MARGIN_SECONDS). Silence counts from the last *answer*, not from
  the last call, so a call hanging on a dead link counts from the moment the previous one
  answered;
- the database answers `SELECT 1` within DATABASE_TIMEOUT_SECONDS.
Until the first answer (and the webhook set) it is "starting".
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from storage.backend import Database

STALE_MARGIN_SECONDS = 15.0
PROBE_SECONDS = 10.0  # webhook mode: how often getMe asks whether the Bot API answers
DATABASE_TIMEOUT_SECONDS = 3.0
STARTING = "starting"
DATABASE_SILENT = "the database does not answer"


@dataclass(frozen=True)
class Verdict:
    healthy: bool
    reason: str  # one line: "ok: ..." or why not


class Health:
    """The liveness of one running bot: what the runner saw of the Bot API, and a check of
    the database made when asked."""

    def __init__(self, db: Database, stale_after: float, *, webhook: bool = False,
                 clock: Callable[[], float] = time.monotonic,
                 database_timeout: float = DATABASE_TIMEOUT_SECONDS) -> None:
        self._db = db
        self.stale_after = stale_after
        self._clock = clock
        self.database_timeout = database_timeout  # /metrics waits as long for its gauges
        self._answered_at: float | None = None
        self._webhook_set = not webhook
        self._checking: asyncio.Task[Any] | None = None

    def answered(self) -> None:
        """The Bot API just answered a call successfully."""
        self._answered_at = self._clock()

    def webhook_set(self) -> None:
        """Telegram accepted the webhook (webhook mode)."""
        self._webhook_set = True

    def bot_api_problem(self) -> str | None:
        """Why the Bot API side is not healthy, or None if it is."""
        if self._answered_at is None or not self._webhook_set:
            return STARTING
        silent = self._clock() - self._answered_at
        if silent > self.stale_after:
            return f"the Bot API has not answered for {silent:.0f} s"
        return None

    async def database_answers(self) -> bool:
        """Whether the database answers `SELECT 1` in time. One check at a time: a probe that
        comes while one is under way waits for that one, so a stuck database does not pile up
        queries behind it."""
        if self._checking is None or self._checking.done():
            self._checking = asyncio.create_task(self._db.fetch_one("SELECT 1"))
        try:
            await asyncio.wait_for(asyncio.shield(self._checking), self.database_timeout)
        except Exception:  # timed out, closed, refused: whatever it is, it did not answer
            return False
        return True

    async def verdict(self) -> Verdict:
        problem = self.bot_api_problem()
        if problem is not None:
            return Verdict(False, problem)
        if not await self.database_answers():
            return Verdict(False, DATABASE_SILENT)
        assert self._answered_at is not None
        ago = self._clock() - self._answered_at
        return Verdict(True, f"ok: the Bot API answered {ago:.0f} s ago; the database answers")

    async def close(self) -> None:
        """Drop a database check still under way (at shutdown)."""
        if self._checking is not None and not self._checking.done():
            self._checking.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._checking

    async def probe(self, bot: Bot, stopping: asyncio.Event) -> None:
        """Webhook mode: nothing else asks the Bot API at regular times, so getMe every
        PROBE_SECONDS until `stopping` (the runner cancels a call still hanging then)."""
        while not stopping.is_set():
            try:
                await bot.get_me(read_timeout=PROBE_SECONDS)
            except TelegramError:
                pass  # silence: `bot_api_problem` counts it
            else:
                self.answered()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), PROBE_SECONDS)
