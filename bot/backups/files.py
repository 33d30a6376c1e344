"""Backup files on disk: their names, written private and never over another file, the room
they need, and the nightly ones pruned to the newest few.

Names: `peer_support-2026-12-06T030000Z.db` for a backup taken by hand (`python -m bot
backup`), `peer_support-nightly-1f0c9a2b-2026-12-06T030000Z.db` for one the bot took itself
(`.dump` on PostgreSQL), the time in UTC. `1f0c9a2b` is the database's tag (`tag`: the start
of the id the bot records in it at its first start, storage/integrity.py), so that two
deployments sharing one folder each prune and count their own nightly backups only. Only the
nightly ones are ever deleted here, so a backup someone took before an upgrade stays until
they delete it. A backup is written into a hidden `.<name>.partial` beside it and given its
name only once it is checked, so a name is always a whole, checked backup.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from storage.sqlite.files import fsync

PREFIX = "peer_support"
_STAMP = "%Y-%m-%dT%H%M%SZ"
_NIGHTLY = re.compile(
    rf"^{PREFIX}-nightly-([0-9a-f]{{8}})-(\d{{4}}-\d\d-\d\dT\d{{6}}Z)\.(?:db|dump)$")
_TAG = re.compile(r"^[0-9a-f]{8}")
STALE_PARTIAL_SECONDS = 24 * 3600  # a partial file this old was left by a crash
AHEAD_SECONDS = 3600  # a nightly name dated further ahead than this is not believed
MARGIN_BYTES = 50_000_000  # room left beside a backup: this, or a tenth of it if more


class BackupError(Exception):
    """A backup or a restore could not be done: one line for the operator (no secret in it).
    Nothing was changed, unless it is a PartlyDoneError."""


class PartlyDoneError(BackupError):
    """A restore failed after it had changed something, and could not undo it all: the line
    says what is where now."""


@dataclass(frozen=True)
class Nightly:
    """A backup the bot took itself, and when (Unix time, from its name)."""

    path: Path
    taken_at: int


def stamp(now: float) -> str:
    return time.strftime(_STAMP, time.gmtime(now))


def tag(database_id: str | None, where: str) -> str:
    """The 8 hex digits naming a database in its nightly backups' names: the start of its
    recorded id, or (a database with none yet) of a hash of where it is."""
    found = _TAG.match((database_id or "").strip().lower())
    if found:
        return found.group(0)
    return hashlib.sha256(where.encode()).hexdigest()[:8]


def name(suffix: str, now: float, *, nightly: str | None = None) -> str:
    """A backup's file name: `suffix` is ".db" or ".dump"; `nightly`: the database's tag, for
    a backup the bot takes itself."""
    return f"{PREFIX}-{f'nightly-{nightly}-' if nightly else ''}{stamp(now)}{suffix}"


def destination(dest: Path, suffix: str, now: float, *, folder: bool = False) -> Path:
    """Where `python -m bot backup DEST` writes: inside DEST when it is a folder (or `folder`
    says it must be one: BACKUP_DIR, or a DEST written with a trailing "/"; made 0700 if
    missing), else DEST itself, which must not exist."""
    if folder and not dest.exists():
        dest.mkdir(mode=0o700, parents=True)
    if dest.is_dir():
        return dest / name(suffix, now)
    if folder:
        raise BackupError(f"{dest} is not a folder: give a folder, or a new file name")
    if dest.exists() or dest.is_symlink():
        raise BackupError(f"{dest} exists already: a backup never replaces a file; give a new "
                          "file name or a folder")
    return dest


def partial(target: Path) -> Path:
    """The hidden file a backup is written into before it is checked and named `target`."""
    return target.with_name(f".{target.name}.partial")


def new_private_file(path: Path) -> None:
    """Create `path` empty, 0600 (its folder 0700 if it must be made); an error if it exists."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def publish(written: Path, target: Path) -> None:
    """Give the checked file `written` its name `target`, never replacing a file there: a hard
    link fails if the name is taken. Where links are not supported, the name is taken first
    (created empty with O_EXCL, which fails if it exists) and the file renamed over that empty
    file of our own: for that instant the name shows an empty file, never someone else's
    replaced."""
    try:
        os.link(written, target)
    except FileExistsError:
        raise BackupError(f"{target} appeared while the backup was written: a backup never "
                          "replaces a file; the new one was discarded") from None
    except OSError:  # a file system without hard links
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            raise BackupError(f"{target} appeared while the backup was written: a backup "
                              "never replaces a file; the new one was discarded") from None
        try:
            written.rename(target)
        except OSError:
            discard(target)  # the empty file made above, no one else's
            raise
    else:
        written.unlink()
    fsync(target.parent)


def room_needed(size: int) -> int:
    """The free space a backup of a database of `size` bytes asks for: its size and a margin
    (a tenth of it, at least MARGIN_BYTES), so that a backup never fills the disk."""
    return size + max(size // 10, MARGIN_BYTES)


def free_bytes(folder: Path) -> int:
    """What an unprivileged user may still write on the file system of `folder`."""
    found = os.statvfs(folder)
    return found.f_bavail * found.f_frsize


def check_room(folder: Path, size: int) -> None:
    """Raise BackupError when `folder` has less free space than a backup of `size` needs."""
    free, needed = free_bytes(folder), room_needed(size)
    if free < needed:
        raise BackupError(
            f"{folder} has {size_text(free)} free and a backup of the database "
            f"({size_text(size)}) needs {size_text(needed)} with a margin, so none was "
            "taken (a full disk would stop the bot too): free some space there, or give "
            "another folder")


def nightly_backups(folder: Path, database: str | None = None) -> list[Nightly]:
    """The nightly backups in `folder` of the database tagged `database` (None: of any),
    oldest first."""
    found = []
    for entry in folder.iterdir() if folder.is_dir() else ():
        match = _NIGHTLY.match(entry.name)
        if match and (database is None or match.group(1) == database) and entry.is_file():
            taken_at = calendar.timegm(time.strptime(match.group(2), _STAMP))
            found.append(Nightly(entry, taken_at))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.path.name))


def believed(backups: list[Nightly], now: float) -> tuple[list[Nightly], list[Nightly]]:
    """`backups` split into those dated up to AHEAD_SECONDS ahead of `now`, and those dated
    further ahead (a clock that was wrong, or a name typed by hand): the latter count neither
    as the newest backup nor among the kept ones."""
    ahead = [backup for backup in backups if backup.taken_at > now + AHEAD_SECONDS]
    return [backup for backup in backups if backup not in ahead], ahead


def prune(folder: Path, keep: int, now: float, database: str) -> list[str]:
    """Delete the nightly backups of the database tagged `database` in `folder` but the newest
    `keep` (those dated ahead of `now` are left alone), and the partial nightly files of that
    database a crash left; the names deleted. Nothing else in the folder is touched."""
    gone = []
    backups, _ = believed(nightly_backups(folder, database), now)
    for backup in backups[:max(0, len(backups) - keep)]:
        backup.path.unlink(missing_ok=True)
        gone.append(backup.path.name)
    partial_name = re.compile(rf"^\.{PREFIX}-nightly-{re.escape(database)}-.*\.partial$")
    for entry in folder.iterdir():
        if partial_name.match(entry.name):
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime > STALE_PARTIAL_SECONDS:
                    entry.unlink()
                    gone.append(entry.name)
    return gone


def size_text(size: int) -> str:
    """1.2 MB, 812 kB, 512 bytes."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1_000:
        return f"{size / 1_000:.0f} kB"
    return f"{size} bytes"
