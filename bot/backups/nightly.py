"""The nightly backup: with BACKUP_DIR set, the bot backs its database up itself at 03:00
(TIMEZONE) and keeps the newest BACKUP_KEEP of the backups it made there. The start logs
which (or that it is off: an empty BACKUP_DIR= in .env wins over the unit's).

- Its own backups only: their names carry the database's tag (bot/backups/files.py), so that
  deployments sharing one BACKUP_DIR neither prune nor count each other's.

- Once a night across instances: the instance that finds a backup due takes the job's lease
  (bot/platform/instances.py `only_one`) before it starts, so another one skips it.
- Through restarts: at every start, a backup is taken at once (in the background) when the
  newest nightly backup in BACKUP_DIR is about a day old (CATCH_UP_SECONDS) or there is none;
  the 03:00 run skips a night whose backup such a catch-up already took (RECENT_SECONDS).
- Never in the way: the copy and its checks run in worker threads (bot/backups/copy.py); the
  log names files and sizes only.
- A name dated more than an hour ahead of the clock (a clock that was wrong) is not believed:
  a WARNING, and it counts neither as the newest backup nor among those kept.
- Never filling the disk: a folder without room for the database and a margin is a failure
  (bot/backups/copy.py), before anything is written.
- A failure is logged as an ERROR (its cause, in one line) and the coordinators are told once;
  they are told again only after a backup has worked in between.
- A stop (SIGTERM) during a backup does not wait for it: the timers' shutdown cancels it
  (bot/platform/timers.py, after its few seconds' grace), the copy stops within a moment
  (bot/backups/copy.py), its partial file is deleted, and a WARNING says so. Nothing is lost
  but that night's copy: the start catch-up above takes one if the newest is a day old, the
  next 03:00 run otherwise.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, tzinfo
from datetime import time as day_time
from pathlib import Path

from bot.backups import copy, files
from bot.backups.files import BackupError
from bot.platform.instances import only_one
from bot.platform.replies import Reply
from bot.platform.services import Services
from bot.platform.settings import Settings
from storage import integrity
from storage.errors import DatabaseUnusableError, StorageError

_log = logging.getLogger(__name__)
TIMER = "backup"
HOUR = 3  # local time (TIMEZONE)
LEASE_SECONDS = 12 * 3600  # another instance skips the job for this long once one took it
CATCH_UP_SECONDS = 23 * 3600  # at start: a newest backup this old means a night was missed
RECENT_SECONDS = 12 * 3600  # at 03:00: a backup this recent (a catch-up) is tonight's


def next_run(now: float, tz: tzinfo, hour: int = HOUR) -> float:
    """The next `hour`:00 in `tz` after `now` (Unix times). On a night a clock change skips
    that hour, the moment it becomes."""
    day = datetime.fromtimestamp(now, tz).date()
    for offset in range(3):
        at = datetime.combine(day + timedelta(days=offset), day_time(hour), tzinfo=tz)
        if at.timestamp() > now:
            return at.timestamp()
    raise AssertionError("a day later is later")  # pragma: no cover


def describe(settings: Settings) -> str:
    """Whether the bot backs itself up, for the log at start and for `python -m bot check`."""
    if settings.backup_dir is None:
        return "nightly backups: off (BACKUP_DIR is empty)"
    return f"nightly backups to {settings.backup_dir}, keeping {settings.backup_keep}"


def start(services: Services) -> Nightly | None:
    """Set the nightly backup going (nothing without BACKUP_DIR, said in the log): a catch-up
    check at once, then every night."""
    folder = services.settings.backup_dir
    _log.info("%s", describe(services.settings))
    if folder is None:
        return None
    nightly = Nightly(services, folder)
    services.timers.at(TIMER, services.clock(), lambda: nightly.run(CATCH_UP_SECONDS))
    return nightly


class Nightly:
    """The nightly backups into one folder, for one running bot."""

    def __init__(self, services: Services, folder: Path) -> None:
        self._services = services
        self._folder = folder
        self._told = False  # the coordinators know of a failure no backup has ended
        self._tag: str | None = None  # the database's, in the names (`tag`)

    async def tag(self) -> str:
        """The database's tag in its nightly backups' names (bot/backups/files.py): from the id
        the bot recorded (SQLite: in `<database>.id`, beside it)."""
        if self._tag is not None:
            return self._tag
        db = self._services.db
        database_id = None
        try:
            if db.local_file is not None:
                marker = integrity.id_file(db.local_file)
                if await asyncio.to_thread(marker.exists):
                    database_id = await asyncio.to_thread(marker.read_text, "ascii")
            else:
                from storage.postgres import tools  # noqa: PLC0415 (psycopg: only if used)

                database_id = await tools.recorded_id(db)
        except (OSError, StorageError, UnicodeDecodeError):  # asked again next time
            return files.tag(None, db.where)
        self._tag = files.tag(database_id, db.where)
        return self._tag

    async def run(self, older_than: int) -> None:
        """Take a backup if the newest is at least `older_than` seconds old; then set the
        timer for the next night."""
        try:
            if await self.due(older_than):
                await only_one(self._services, TIMER, LEASE_SECONDS, self._take)
        finally:
            services = self._services
            services.timers.at(TIMER, next_run(services.clock(), services.settings.tz),
                               lambda: self.run(RECENT_SECONDS))

    async def due(self, older_than: int) -> bool:
        """Whether this database's newest nightly backup is at least `older_than` seconds old
        (or there is none); names dated ahead of the clock are not believed."""
        tag = await self.tag()
        try:
            backups = await asyncio.to_thread(files.nightly_backups, self._folder, tag)
        except OSError:  # an unreadable folder: taking the backup will say what is wrong
            return True
        now = self._services.clock()
        backups, ahead = files.believed(backups, now)
        if ahead:
            _log.warning("%d nightly backup(s) in %s are dated more than an hour ahead of this "
                         "machine's clock, and are ignored (is the clock right?): %s",
                         len(ahead), self._folder, ", ".join(b.path.name for b in ahead))
        return not backups or now - backups[-1].taken_at >= older_than

    async def _take(self) -> None:
        await self.take()

    async def take(self) -> copy.Taken | None:
        """Take one backup now and prune the old ones; None if it failed (said and logged)."""
        services = self._services
        settings = services.settings
        now = services.clock()
        tag = await self.tag()
        target = self._folder / files.name(copy.suffix(settings), now, nightly=tag)
        try:
            taken = await copy.take(settings, target)
        except asyncio.CancelledError:  # the shutdown: not a failure to alert anyone about
            _log.warning("nightly backup %s interrupted by the shutdown, and its partial file "
                         "deleted; the next start takes one if the newest is %d hours old, "
                         "else the next night's run", target.name, CATCH_UP_SECONDS // 3600)
            raise
        except Exception as exc:  # whatever it is, the team must hear that backups stopped
            _log.error("nightly backup %s failed: %s", target.name, _reason(exc))
            await self._alert()
            return None
        _log.info("nightly backup %s written (%s)", target.name, files.size_text(taken.size))
        for warning in taken.warnings:
            _log.warning("nightly backup %s: %s", target.name, warning)
        if self._told:
            _log.info("nightly backups work again")
            self._told = False
        try:
            gone = await asyncio.to_thread(files.prune, self._folder, settings.backup_keep, now,
                                           tag)
        except OSError as exc:
            _log.error("old nightly backups could not be deleted: %s", _reason(exc))
        else:
            if gone:
                _log.info("deleted %d old nightly backup file(s): %s", len(gone),
                          ", ".join(gone))
        return taken

    async def _alert(self) -> None:
        if self._told:
            return
        self._told = True
        for coordinator_id in sorted(self._services.settings.coordinator_ids):
            await self._services.say(coordinator_id, Reply("coordinator_backup_failed"),
                                     what="the backup alert")


def _reason(exc: BaseException) -> str:
    """A failure in one line that names no person and quotes nothing stored: our own
    messages whole, a file system error by its kind, anything else by its class."""
    if isinstance(exc, BackupError | DatabaseUnusableError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{type(exc).__name__} ({exc.strerror})"
    return type(exc).__name__
