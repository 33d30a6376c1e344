"""Running the bot: one instance per database, updates in through the inbox (long polling or
a webhook), a clean stop on SIGTERM or Ctrl-C.

Instances: on SQLite one per database, by locks on the lock file beside DATABASE_PATH and on
the database file itself (a second instance refuses to start). On PostgreSQL (DATABASE_URL)
with long polling, one at a time, by an advisory lock held on a connection of its own
(storage/postgres/instance.py), looked after while the bot runs: a second instance stands by,
touching nothing (no database check, no Bot API call; with METRICS_PORT, /healthz answers 200
"standing by" and /metrics `peer_support_active 0`) until the lock is free, then starts as a
first instance does. On PostgreSQL in webhook mode, as many as run, all active, sharing the
work through the database (bot/platform/instances.py).

Before anything else the database is checked (storage/integrity.py): a database that vanished
from a folder that held it, a damaged or unwritable file, a server that cannot be reached or
refuses the login, keys that do not open what it holds stop the bot with one line and status
2. While it runs, a SQLite database file is watched: deleted or replaced under the bot, it is
copied, the coordinators are told, and the bot stops with status 4. On PostgreSQL the instance
lock is watched instead: lost with its connection, it is taken again; taken meanwhile by
another instance, this one stops with status 3.

Exit statuses: 0 a clean stop; 2 a setting or a file to fix (a bad variable, a token Telegram
refuses, keys that do not open the database, a missing, damaged, unwritable or unreachable
database); 3 another instance holds the database (SQLite) or the token, or took the PostgreSQL
database while this one could not reach it; 4 the database file was deleted or replaced while
the bot ran (a restart is safe: start-up refuses a database that is not the one it was, with
status 2).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hmac
import importlib
import logging
import os
import signal
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBUserWarning

from bot.app import ALLOWED_UPDATES, BotApplication, build_application
from bot.platform import faults, health, instances
from bot.platform.health import Health
from bot.platform.inbox import Inbox
from bot.platform.metrics import MetricsServer
from bot.platform.outbox import seconds_of
from bot.platform.replies import Reply
from bot.platform.services import Services
from bot.platform.settings import Settings
from storage import integrity
from storage.backend import open_database
from storage.crypto import Keyring
from storage.errors import DatabaseUnusableError, StorageError
from storage.sqlite import unusable
from storage.workload import WorkloadRepository

if TYPE_CHECKING:
    from storage.postgres.instance import InstanceLock

_log = logging.getLogger(__name__)
LONG_POLL_SECONDS = 10
MAX_BACKOFF_SECONDS = 30.0
MAX_BACKLOG = 2000  # updates waiting to be handled before polling pauses
WEBHOOK_CONNECTIONS = 40  # Telegram's default
EXIT_TOKEN_REJECTED = 2  # like any bad setting (see bot/__main__.py)
EXIT_ANOTHER_INSTANCE = 3
EXIT_DATABASE_CHANGED = 4
EXIT_STORAGE = 2  # a database or keys to fix, like any bad setting
WATCH_SECONDS = 15.0  # how often the database file is looked for
ALERT_SECONDS = 10.0  # how long telling the coordinators may take, before stopping anyway
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# `_fetch` asks for getUpdates by name on purpose, to get raw JSON (see there).
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'",
                        category=PTBUserWarning)


class AnotherInstanceError(RuntimeError):
    """The bot cannot serve: another process holds this database or this bot token."""


class InstanceLockLostError(AnotherInstanceError):
    """Another instance took the PostgreSQL database while this one could not reach it (it
    was said when noticed; exit status 3)."""


class TokenRejectedError(RuntimeError):
    """Telegram refuses BOT_TOKEN: a setting to fix, not a fault to retry (exit status 2)."""


class TelegramRefusedError(RuntimeError):
    """Telegram refuses a call made once at start (setWebhook: a URL it will not post to): a
    setting to fix, not a fault to retry (exit status 2)."""


class DatabaseChangedError(RuntimeError):
    """The database file was deleted or replaced while the bot ran (exit status 4)."""


REFUSED = ("Telegram does not accept BOT_TOKEN (revoked or mistyped?): put the current one "
           "from BotFather in .env")


@contextlib.contextmanager
def single_instance(database_path: Path) -> Iterator[None]:
    """Hold exclusive locks for the life of the process: on the lock file beside the database
    and on the database file itself (created empty on a first start), so that deleting the
    lock file does not let a second instance in. flock() and SQLite's own (POSIX) locks do not
    touch each other on Linux; `purge`, `rotate-keys` and `check` still work meanwhile. The
    descriptors stay open until the database is closed: closing a descriptor of the database
    file would drop SQLite's locks on it."""
    database_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.ExitStack() as held:
        for path in (Path(f"{database_path}.lock"), database_path):
            fd = _open_for_lock(path)
            held.callback(os.close, fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise AnotherInstanceError(
                    f"another Peer Support Bot is already running with DATABASE_PATH="
                    f"{database_path}; stop it first") from None
        yield


def _open_for_lock(path: Path) -> int:
    """A descriptor to lock (read-only is enough for flock; a read-only disk is reported by
    the database's own checks)."""
    try:
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return os.open(path, os.O_CREAT | os.O_RDWR, 0o600)


@contextlib.asynccontextmanager
async def instance_lock(settings: Settings, standby: asyncio.Event | None = None,
                        standing_by: Callable[[bool], None] | None = None,
                        ) -> AsyncIterator[InstanceLock | None]:
    """On PostgreSQL with long polling, the database's instance lock for the life of the
    process (None on SQLite, where `single_instance` holds the files, and in webhook mode,
    where every instance is active: bot/platform/instances.py). When another instance holds
    it: raises
    AnotherInstanceError, or, given `standby` (the bot's stop event), says so once and stands
    by until the lock is free (then yields it, saying it takes over) or `standby` is set (then
    yields None, having touched nothing); `standing_by` is told when it begins (True) and ends
    (False) to stand by. Raises DatabaseUnusableError when the server cannot be reached at
    first."""
    if settings.database_url is None or settings.webhook_url is not None:
        yield None  # SQLite's files are locked by `single_instance`; webhooks: all active
        return
    from storage.postgres.instance import InstanceLock  # noqa: PLC0415 (psycopg: only if used)

    lock = InstanceLock(settings.database_url)
    holder = await lock.take()
    try:
        if holder is not None:
            if standby is None:
                raise AnotherInstanceError(
                    f"another Peer Support Bot is already running with {lock.where}"
                    f"{holder.describe()}; stop it first (one whose machine went down lets "
                    "go within about a minute)")
            _log.info("another instance is active on %s%s; standing by to take over",
                      lock.where, holder.describe())
            if standing_by is not None:
                standing_by(True)
            took, _ = await _until_stopped(standby, lock.wait())
            if standing_by is not None:
                standing_by(False)
            if not took:
                _log.info("stopped while standing by")
                yield None
                return
            _log.info("the other instance let go of %s; taking over", lock.where)
        yield lock
    finally:
        await lock.release()


async def check_storage(settings: Settings) -> str | None:
    """Open, migrate and verify the database before the bot uses it (storage/integrity.py):
    raises DatabaseUnusableError or StoredDataError (one line each); the database's id."""
    db = await open_database(settings.database_path, url=settings.database_url,
                             quick_check=True)
    try:
        verified = await integrity.verify(
            db, Keyring(settings.encryption_keys, settings.index_key), record=True)
    finally:
        await db.close()
    for warning in verified.warnings:
        _log.warning("%s", warning)
    return verified.database_id


async def _watch_database(services: Services, database_id: str | None,
                          stopping: asyncio.Event) -> str | None:
    """Look for the database file every WATCH_SECONDS, and once more when stopping. If it
    was deleted or replaced, the bot must not go on writing into a file nobody will open
    again: save a copy of what it holds, tell the coordinators, stop. What happened, or None.
    (A database with no file here, PostgreSQL's, is not watched.)"""
    db = services.db
    path = db.local_file
    if path is None:
        return None
    while not stopping.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), WATCH_SECONDS)
        change = db.file_changed()
        if change is None:
            continue
        copy = Path(f"{path}.saved-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")
        try:
            await db.save_copy(copy)
            saved = f"what it held is saved in {copy}; move it to DATABASE_PATH to go on"
        except (StorageError, OSError) as exc:
            saved = f"no copy could be saved ({type(exc).__name__})"
        if database_id is not None:  # so that the next start refuses a new empty database
            with contextlib.suppress(OSError):
                if not integrity.id_file(path).exists():
                    integrity.write_id_file(path, database_id)
        _log.error("the database file DATABASE_PATH=%s %s while the bot was running; "
                   "stopping (%s)", path, change, saved)
        try:
            await asyncio.wait_for(_tell_coordinators(services), ALERT_SECONDS)
        except Exception as exc:  # whatever it is, stopping matters more than telling
            _log.warning("the coordinators could not be told (%s)", type(exc).__name__)
        stopping.set()
        return change
    return None


async def _watch_instance_lock(lock: InstanceLock, stopping: asyncio.Event) -> bool:
    """Every WATCH_SECONDS, make sure the PostgreSQL instance lock is still this process's
    (taken again if its connection was lost). False, and the bot stops, if another instance
    took it while this one could not reach the database."""
    unreachable = False
    while not stopping.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), WATCH_SECONDS)
        if stopping.is_set():
            break
        try:
            held = await lock.keep()
        except StorageError as exc:
            if not unreachable:
                _log.error("%s cannot be reached (%s): nothing can be stored meanwhile; "
                           "trying again every %.0f s", lock.where, exc, WATCH_SECONDS)
            unreachable = True
            continue
        if unreachable:
            _log.info("%s answers again", lock.where)
        unreachable = False
        if not held:
            _log.error("another Peer Support Bot took %s while this one could not reach it; "
                       "stopping", lock.where)
            stopping.set()
            return False
    return True


async def _tell_coordinators(services: Services) -> None:
    for coordinator_id in sorted(services.settings.coordinator_ids):
        await services.say(coordinator_id, Reply("coordinator_database_changed"),
                           what="the database alert")


async def serve(settings: Settings) -> None:
    """Run until SIGTERM/SIGINT: finish the update in hand, then close everything."""
    if settings.webhook_url or settings.metrics_port is not None:
        importlib.import_module("aiohttp.web")  # before start-up ends, not after (see below)
    application = build_application(settings)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    # /healthz and /metrics from the start, standby and start-up included, on one server.
    server = _metrics_server(settings)
    kept = True
    try:
        if server is not None:
            await server.start()
        async with instance_lock(settings, standby=stopping,
                                 standing_by=_phases(server)) as lock:
            if stopping.is_set():  # stopped before it began (or while standing by)
                return
            database_id = await check_storage(settings)
            guard = (asyncio.create_task(_watch_instance_lock(lock, stopping))
                     if lock is not None else None)
            try:
                await _serve(application, settings, database_id, stopping, server)
            finally:
                stopping.set()
                if guard is not None:
                    if not guard.done():  # in the middle of asking the server: no need now
                        guard.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        kept = await guard
    finally:
        if server is not None:
            await server.stop()
    if not kept:
        raise InstanceLockLostError("another instance took the database")  # said already


def _metrics_server(settings: Settings) -> MetricsServer | None:
    """/healthz and /metrics, if METRICS_PORT is set (bot/platform/metrics.py); "starting"
    until `_serve` has the services."""
    if settings.metrics_port is None:
        return None
    return MetricsServer(listen=settings.metrics_listen, port=settings.metrics_port)


def _phases(server: MetricsServer | None) -> Callable[[bool], None]:
    """What the metrics server answers while this instance stands by, and after."""
    def standing_by(waiting: bool) -> None:
        if server is not None:
            server.phase = health.STANDING_BY if waiting else health.STARTING
    return standing_by


async def _serve(application: BotApplication, settings: Settings, database_id: str | None,
                 stopping: asyncio.Event, server: MetricsServer | None = None) -> None:
    limited_at_start = await _initialize(application, stopping)
    if limited_at_start is None:
        return  # stopped before the Bot API ever answered
    watch: asyncio.Task[str | None] | None = None
    try:
        services = await _start_services(application, limited_at_start)
        watch = asyncio.create_task(_watch_database(services, database_id, stopping))
        liveness = _health(services, settings)
        if server is not None:
            server.serve(services.metrics, liveness, WorkloadRepository(services.db),
                         services.clock)
        inbox = Inbox(application, services)
        sending = asyncio.Event()  # set after the inbox is closed: what it queued goes out
        sender = asyncio.create_task(services.outbox.run(sending))
        finished = asyncio.Event()  # set once everything in hand is done: this one leaves
        alive = (asyncio.create_task(instances.keep_alive(services, inbox, finished))
                 if services.instance.shared else None)
        await application.start()
        try:
            if settings.webhook_url:
                await _serve_webhook(application, inbox, settings, stopping, liveness)
            else:
                await _poll(application, inbox, settings, stopping, liveness)
        finally:
            stopping.set()
            _log.info("stopping")
            try:
                await inbox.close()  # the updates in hand finish; the rest wait for next time
                sending.set()
                await sender  # what is due goes out; the rest waits in the outbox for later
            finally:
                if alive is not None:  # no timer may send once the others think it gone
                    await services.timers.shutdown()
                finished.set()
                if alive is not None:
                    await alive  # left: what is left here goes to the other instances now
    finally:
        stopping.set()  # also when start-up failed half-way: the watcher stops too
        if server is not None:
            await server.leave()  # "stopping", before the database closes
        changed = await watch if watch is not None else None
        if application.running:
            await application.stop()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)
        await application.shutdown()
    if changed is not None:
        raise DatabaseChangedError(changed)


def _health(services: Services, settings: Settings) -> Health:
    """What /healthz watches: the Bot API must have answered within the long poll (webhook
    mode: the probe's period) and POLL_INTERVAL, plus a margin (bot/platform/health.py)."""
    if settings.webhook_url:
        window = health.PROBE_SECONDS
    else:
        window = LONG_POLL_SECONDS + settings.poll_interval
    return Health(services.db, window + health.STALE_MARGIN_SECONDS,
                  webhook=settings.webhook_url is not None)


async def _start_services(application: BotApplication, limited_at_start: int) -> Services:
    """The services (post_init: the database, the timers); the 429s getMe met before the
    metrics existed are counted now."""
    assert application.post_init is not None
    await application.post_init(application)
    services = application.bot_data.services
    assert services is not None
    services.metrics.flood_limited(limited_at_start)
    return services


async def _initialize(application: BotApplication, stopping: asyncio.Event) -> int | None:
    """Meet the Bot API (getMe) before anything else (`_at_start`): the 429s it met on the way
    (counted once the metrics exist), or None if a stop came before it ever answered."""
    limited = 0

    def flood_limited() -> None:
        nonlocal limited
        limited += 1

    done, _ = await _at_start(stopping, application.initialize, "getMe",
                              flood_limited=flood_limited, retry_refusals=True)
    return limited if done else None


async def _at_start(stopping: asyncio.Event, call: Callable[[], Awaitable[Any]], method: str,
                    *, flood_limited: Callable[[], None], retry_refusals: bool = False,
                    advice: str = "") -> tuple[bool, Any]:
    """A call made once at start (getMe, deleteWebhook, setWebhook), until it answers or a stop
    comes (then `(False, None)`). A token Telegram refuses stops the bot with one line that
    never quotes it (python-telegram-bot's own message does); a 429 waits the time Telegram
    asks (setWebhook is limited to about one call a second, and a restart loop meets it); a
    Bot API that cannot be reached is retried with backoff, a line each time. A call Telegram
    refuses outright (a bad webhook URL) stops the bot with one line, Telegram's reason and
    `advice`, unless `retry_refusals`."""
    backoff = 1.0
    while not stopping.is_set():
        try:
            return await _until_stopped(stopping, call())
        except InvalidToken:
            raise TokenRejectedError(REFUSED) from None
        except RetryAfter as exc:
            flood_limited()
            seconds = seconds_of(exc.retry_after)
            _log.warning("%s at start: flood limit, waiting %.0f s as Telegram asks", method,
                         seconds)
            await _until_stopped(stopping, asyncio.sleep(seconds))
        except TelegramError as exc:  # NetworkError, TimedOut, a 5xx
            if isinstance(exc, BadRequest | Forbidden) and not retry_refusals:
                raise TelegramRefusedError(
                    f"Telegram refused {method} ({exc.message[:200]}){advice}") from None
            _log.warning("the Bot API cannot be reached at start (%s, %s); retrying in %.0f s",
                         method, type(exc).__name__, backoff)
            await _until_stopped(stopping, asyncio.sleep(backoff))
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
    return False, None


async def _until_stopped(stopping: asyncio.Event, work: Any) -> tuple[bool, Any]:
    """Await `work` unless a stop comes first (then `work` is cancelled)."""
    task = asyncio.ensure_future(work)
    stop = asyncio.ensure_future(stopping.wait())
    done, _ = await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        stop.cancel()
        return True, task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, NetworkError):
        await task
    return False, None


async def _fetch(bot: Any, offset: int | None, wait: int = LONG_POLL_SECONDS,
                 ) -> list[dict[str, Any]]:
    """One getUpdates call (a long poll of `wait` seconds), answered as raw JSON: an update
    python-telegram-bot cannot parse must reach the inbox to be set aside, not stop the poller
    (nor be logged whole, as `Bot.get_updates` does when parsing fails)."""
    result = await bot.do_api_request(
        "getUpdates", api_kwargs={"offset": offset, "timeout": wait,
                                  "allowed_updates": ALLOWED_UPDATES},
        read_timeout=wait + 10)
    if not isinstance(result, list):
        raise NetworkError("getUpdates answered something other than a list")
    return [raw for raw in result
            if isinstance(raw, dict) and isinstance(raw.get("update_id"), int)]


async def _poll(application: BotApplication, inbox: Inbox, settings: Settings,
                stopping: asyncio.Event, liveness: Health) -> None:
    bot = application.bot
    deleted, _ = await _at_start(stopping, lambda: bot.delete_webhook(drop_pending_updates=False),
                                 "deleteWebhook",
                                 flood_limited=inbox.services.metrics.flood_limited)
    if not deleted:
        return
    offset: int | None = None  # Telegram resends what was not confirmed; the inbox dedupes
    await inbox.recover()  # what a crash left stored but unprocessed
    backoff = 1.0
    wait = 0  # the first call answers at once: /healthz says "starting" until one answers
    _log.info("polling for updates")
    while not stopping.is_set():
        if inbox.backlog >= MAX_BACKLOG:  # Telegram keeps the rest until we ask
            with liveness.pause(f"the backlog of {inbox.backlog} updates is full"):
                await _until_stopped(stopping, inbox.below(MAX_BACKLOG // 2))
            continue
        try:
            fetched, updates = await _until_stopped(stopping, _fetch(bot, offset, wait))
        except Conflict:
            raise AnotherInstanceError(
                "another program is receiving updates for this BOT_TOKEN (Telegram answered "
                "409 Conflict); stop it first") from None
        except InvalidToken:
            raise TokenRejectedError(REFUSED) from None
        except RetryAfter as exc:
            inbox.services.metrics.flood_limited()
            seconds = seconds_of(exc.retry_after)
            _log.warning("getUpdates: flood limit, waiting %.0f s", seconds)
            with liveness.pause(f"Telegram asked to wait {seconds:.0f} s (flood limit)"):
                await _until_stopped(stopping, asyncio.sleep(seconds))
            continue
        except TelegramError as exc:
            _log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__,
                         backoff)
            await _until_stopped(stopping, asyncio.sleep(backoff))
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        if not fetched:
            break
        liveness.answered()
        backoff, wait = 1.0, LONG_POLL_SECONDS
        if updates:
            with liveness.pause("updates are waiting to be stored"):
                faults.crash_at("after-fetch")
                await inbox.receive(updates)  # stored before the next call confirms them
            offset = max(raw["update_id"] for raw in updates) + 1
            faults.crash_at("after-store")
        if settings.poll_interval:
            await _until_stopped(stopping, asyncio.sleep(settings.poll_interval))


class _Arrivals:
    """Webhook calls that arrive together are stored together: one fsynced transaction for
    all the calls waiting while the previous one was written, each answered once its update
    is on disk."""

    def __init__(self, inbox: Inbox) -> None:
        self._inbox = inbox
        self._waiting: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._writing = asyncio.Lock()

    async def store(self, raw: dict[str, Any]) -> None:
        stored = asyncio.get_running_loop().create_future()
        self._waiting.append((raw, stored))
        async with self._writing:
            if self._waiting:
                batch, self._waiting = self._waiting, []
                # A batch the database refuses is still handled (each person is told it could
                # not be kept) and answered 200, as polling moves past it; only an error
                # here answers 500, and Telegram sends the batch again.
                try:
                    await self._inbox.receive([update for update, _ in batch])
                except BaseException as exc:
                    for _, future in batch:
                        future.set_exception(exc if isinstance(exc, Exception)
                                             else RuntimeError("stopped"))
                    raise
                else:
                    for _, future in batch:
                        future.set_result(None)
        await stored


async def _serve_webhook(application: BotApplication, inbox: Inbox, settings: Settings,
                         stopping: asyncio.Event, liveness: Health) -> None:
    # Imported here: only webhook mode needs the web server, and it costs a third of a second
    # at every start.
    from aiohttp import web  # noqa: PLC0415

    assert settings.webhook_url is not None and settings.webhook_secret is not None
    url, secret = settings.webhook_url, settings.webhook_secret
    arrivals = _Arrivals(inbox)

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return web.Response(status=403)
        try:
            raw = await request.json()
        except ValueError:
            return web.Response(status=400)
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
            return web.Response(status=400)
        await arrivals.store(raw)  # 200 only once it is stored
        liveness.delivered()
        faults.crash_at("after-store")
        return web.Response(status=200)

    path = settings.webhook_path
    server = web.Application(client_max_size=1024 * 1024)
    server.router.add_post(path, receive)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    await inbox.recover()  # what a crash left, before anything new can come in
    await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
    probe: asyncio.Task[None] | None = None
    try:
        # Telegram sends one chat's updates one after another and different chats' at once.
        webhook_set, _ = await _at_start(
            stopping, lambda: application.bot.set_webhook(
                url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                max_connections=WEBHOOK_CONNECTIONS),
            "setWebhook", flood_limited=inbox.services.metrics.flood_limited,
            advice=": check WEBHOOK_URL (https, on a port Telegram posts to: 443, 80, 88 or "
                   "8443) and the certificate behind it")
        if not webhook_set:
            return
        liveness.webhook_set()
        liveness.answered()
        if settings.metrics_port is not None:  # only /healthz needs it
            probe = asyncio.create_task(liveness.probe(
                application.bot, settings.webhook_url, stopping,
                flood_limited=inbox.services.metrics.flood_limited))
        _log.info("receiving updates by webhook on %s:%d", settings.webhook_listen,
                  settings.webhook_port)
        await stopping.wait()
    finally:
        if probe is not None:
            probe.cancel()  # a getWebhookInfo still hanging on a dead link
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await probe
        await runner.cleanup()


def run(settings: Settings) -> int:
    """The process: its exit status (see the top of this module)."""
    try:
        if settings.database_url is not None:  # the instance lock is taken in `serve`
            asyncio.run(serve(settings))
        else:
            integrity.refuse_a_vanished_database(settings.database_path)
            with single_instance(settings.database_path):
                asyncio.run(serve(settings))
    except InstanceLockLostError:
        return EXIT_ANOTHER_INSTANCE  # said when it was noticed
    except AnotherInstanceError as exc:
        _log.error("cannot start: %s", exc)
        return EXIT_ANOTHER_INSTANCE
    except (TokenRejectedError, TelegramRefusedError) as exc:
        _log.error("cannot start: %s", exc)
        return EXIT_TOKEN_REJECTED
    except (DatabaseUnusableError, integrity.StoredDataError) as exc:
        _log.error("cannot start: %s", exc)
        return EXIT_STORAGE
    except OSError as exc:  # the lock or the folder: a read-only or foreign data folder
        if settings.database_url is not None:
            raise
        _log.error("cannot start: %s", unusable(settings.database_path, exc))
        return EXIT_STORAGE
    except DatabaseChangedError:
        return EXIT_DATABASE_CHANGED  # said when it was noticed
    return 0
