"""Is the bot receiving updates? What /healthz answers (bot/platform/metrics.py serves it).

Healthy is both of the following; both are checked every time, and each that fails is named
(joined by "; "), so that a stuck database is not blamed on Telegram:
- the Bot API side. Long polling: a getUpdates succeeded within `stale_after` seconds (the
  runner gives the long poll plus POLL_INTERVAL plus STALE_MARGIN_SECONDS). Silence counts
  from the last *answer*, not from the last call, so a call hanging on a dead link counts from
  the moment the previous one answered. But the poller also stops asking for reasons of its
  own, and says so (`pause`): storing what it fetched (on PostgreSQL up to 30 s waiting for a
  connection), a full backlog, a flood wait. A pause that keeps it from polling for longer
  than `stale_after` is named ("not polling for 28 s: updates are waiting to be stored"),
  never blamed on the Bot API, whose silence counts again only from the pause's end.
  Webhook mode: the webhook set, and a getWebhookInfo probe made every PROBE_SECONDS answered
  within `stale_after` and found the webhook still at WEBHOOK_URL, and Telegram able to
  deliver to it: a delivery error within DELIVERY_ERROR_SECONDS while updates wait there
  means none reach the bot (a proxy down, a certificate refused), though the URL is right;
  an old error, or one since which everything was delivered, is not a problem;
- the database answers `SELECT 1` within DATABASE_TIMEOUT_SECONDS.
Until the first answer (and the webhook set) the Bot API side is "starting".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import Bot, WebhookInfo
from telegram.error import RetryAfter, TelegramError

from storage.backend import Database

_log = logging.getLogger(__name__)
STALE_MARGIN_SECONDS = 15.0
PROBE_SECONDS = 10.0  # webhook mode: how often getWebhookInfo asks whether the webhook is set
DATABASE_TIMEOUT_SECONDS = 3.0
STARTING = "starting"
STANDING_BY = "standing by: another instance is active"  # a PostgreSQL standby: 200
STOPPING = "stopping"
DATABASE_SILENT = "the database does not answer"
TELEGRAM_ERROR_CHARS = 100  # of Telegram's last webhook delivery error, quoted in /healthz
# Webhook mode: Telegram's last delivery error this recent, with updates waiting, says none
# arrive (Telegram retries a failing webhook every few seconds to a minute, so the error
# stays this recent while the failure lasts).
DELIVERY_ERROR_SECONDS = 300.0

T = TypeVar("T")


def _retrieved(task: asyncio.Task[Any]) -> None:
    """Take a finished task's exception: every caller may have stopped waiting for it."""
    if not task.cancelled():
        task.exception()


class OneAtATime(Generic[T]):
    """A read made one at a time: a caller that comes while one is under way waits for that
    one, so a stuck database does not pile reads up behind it (on PostgreSQL each holds a
    thread and a connection until it answers, whatever its caller's timeout)."""

    def __init__(self, start: Callable[[], Coroutine[Any, Any, T]], wait: float) -> None:
        self._start = start
        self._wait = wait
        self._task: asyncio.Task[T] | None = None

    async def result(self) -> T:
        """What the read under way (or a new one) returns; its error, or TimeoutError after
        `wait` seconds (the read goes on, for the next caller)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._start())
            self._task.add_done_callback(_retrieved)
        return await asyncio.wait_for(asyncio.shield(self._task), self._wait)

    async def close(self) -> None:
        """Drop a read still under way (at shutdown)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


@dataclass(frozen=True)
class Verdict:
    healthy: bool
    reason: str  # one line: "ok: ..." or why not


def _one_line(text: str | None) -> str:
    """Telegram's own text about a delivery error, on one line and cut short."""
    if not text:
        return ""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(line) > TELEGRAM_ERROR_CHARS:
        line = line[:TELEGRAM_ERROR_CHARS - 3].rstrip() + "..."
    return line


class Health:
    """The liveness of one running bot: what the runner saw of the Bot API, and a check of
    the database made when asked."""

    def __init__(self, db: Database, stale_after: float, *, webhook: bool = False,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time,
                 database_timeout: float = DATABASE_TIMEOUT_SECONDS) -> None:
        self.stale_after = stale_after
        self._clock = clock
        self._wall_clock = wall_clock  # Telegram's dates are Unix times
        self.database_timeout = database_timeout  # /metrics waits as long for its gauges
        self._answered_at: float | None = None
        self._silent_since: float | None = None  # the Bot API's silence counts from here
        self._paused: tuple[float, str] | None = None  # since when, and why, not polling
        self._webhook_set = not webhook
        self._webhook_lost: str | None = None  # why the probe found the webhook gone
        # Telegram's last delivery error (on `clock`) and the updates waiting, while they say
        # that nothing is delivered
        self._undelivered: tuple[float, int] | None = None
        # the last update Telegram posted, or the webhook set (`wall_clock`)
        self._delivered_at: float | None = None
        self._checks: OneAtATime[Any] = OneAtATime(lambda: db.fetch_one("SELECT 1"),
                                                   database_timeout)

    def answered(self) -> None:
        """The Bot API just answered a call successfully."""
        self._answered_at = self._silent_since = self._clock()

    def delivered(self) -> None:
        """Webhook mode: Telegram just posted an update here, so it can deliver: an error it
        reports from before now is over (with several instances, each knows only its own)."""
        self._delivered_at = self._wall_clock()
        self._undelivered = None

    def webhook_set(self) -> None:
        """Telegram accepted the webhook (webhook mode). Its delivery errors from before now
        (while the bot was down, or before a restart) are not this run's."""
        self._webhook_set = True
        self._delivered_at = self._wall_clock()

    @contextlib.contextmanager
    def pause(self, why: str) -> Iterator[None]:
        """The poller does not ask the Bot API meanwhile, for a reason of its own: `why` is
        what /healthz says if it lasts ("updates are waiting to be stored")."""
        self._paused = (self._clock(), why)
        try:
            yield
        finally:
            self._paused = None
            if self._silent_since is not None:
                self._silent_since = max(self._silent_since, self._clock())

    def webhook_seen(self, info: WebhookInfo, url: str) -> None:
        """The probe's answer: the Bot API answers; is the webhook still `url`, and can
        Telegram deliver to it?"""
        self.answered()
        self._undelivered = self._delivery_failing(info)
        if info.url == url:
            self._webhook_lost = None
            return
        now = "another URL" if info.url else "none"
        error = _one_line(info.last_error_message)
        said = f"; its last delivery error: {error}" if error else ""
        self._webhook_lost = f"the webhook is no longer set (Telegram has {now}{said})"

    def _delivery_failing(self, info: WebhookInfo) -> tuple[float, int] | None:
        """When Telegram last failed to deliver (on `clock`) and how many updates wait, if
        that error is recent and updates wait; None when deliveries work as far as it says."""
        if info.last_error_date is None or info.pending_update_count <= 0:
            return None
        failed = info.last_error_date.timestamp()
        if self._delivered_at is not None and self._delivered_at >= failed:
            return None  # an update came in after it (or it predates this run's webhook)
        ago = max(0.0, self._wall_clock() - failed)
        if ago > DELIVERY_ERROR_SECONDS:
            return None
        return self._clock() - ago, info.pending_update_count

    def bot_api_problem(self) -> str | None:
        """Why the Bot API side is not healthy, or None if it is."""
        if self._answered_at is None or self._silent_since is None or not self._webhook_set:
            return STARTING
        if self._webhook_lost is not None:
            return self._webhook_lost
        now = self._clock()
        if self._paused is not None and now - self._answered_at > self.stale_after:
            since, why = self._paused
            return f"not polling for {now - since:.0f} s: {why}"
        silent = now - self._silent_since
        if silent > self.stale_after:
            return f"the Bot API has not answered for {silent:.0f} s"
        if self._undelivered is not None:
            failed_at, waiting = self._undelivered
            if now - failed_at <= DELIVERY_ERROR_SECONDS:  # Telegram's text may quote the URL
                return (f"Telegram cannot deliver updates to the webhook (its last error "
                        f"{now - failed_at:.0f} s ago, {waiting} waiting)")
        return None

    async def database_answers(self) -> bool:
        """Whether the database answers `SELECT 1` in time. One check at a time: a probe that
        comes while one is under way waits for that one."""
        try:
            await self._checks.result()
        except Exception:  # timed out, closed, refused: whatever it is, it did not answer
            return False
        return True

    async def verdict(self) -> Verdict:
        database = await self.database_answers()
        problems = [problem for problem in (self.bot_api_problem(),
                                            None if database else DATABASE_SILENT)
                    if problem is not None]
        if problems:
            return Verdict(False, "; ".join(problems))
        assert self._answered_at is not None
        ago = self._clock() - self._answered_at
        return Verdict(True, f"ok: the Bot API answered {ago:.0f} s ago; the database answers")

    async def close(self) -> None:
        """Drop a database check still under way (at shutdown)."""
        await self._checks.close()

    async def probe(self, bot: Bot, url: str, stopping: asyncio.Event, *,
                    flood_limited: Callable[[], None] = lambda: None) -> None:
        """Webhook mode: nothing else asks the Bot API at regular times, so every
        PROBE_SECONDS until `stopping`, getWebhookInfo: an answer says the Bot API answers,
        whether the webhook is still `url` (another program, or a deleteWebhook, may have
        changed it: then no update comes here), and whether Telegram fails to deliver to it
        (`webhook_seen`). A failure of any kind only leaves the answer
        unnoted (`flood_limited` counts a 429); the runner cancels a call still hanging at the
        stop."""
        failing = False
        while not stopping.is_set():
            try:
                self.webhook_seen(await bot.get_webhook_info(read_timeout=PROBE_SECONDS), url)
            except RetryAfter:
                flood_limited()
            except TelegramError:
                pass  # silence: `bot_api_problem` counts it
            except Exception as exc:  # whatever it is, the probe goes on (its type only)
                if not failing:
                    _log.warning("the webhook probe failed (%s); trying again every %.0f s",
                                 type(exc).__name__, PROBE_SECONDS)
                failing = True
            else:
                failing = False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), PROBE_SECONDS)
