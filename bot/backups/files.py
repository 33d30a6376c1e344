"""Backup files on disk: their names, written private and never over another file, and the
nightly ones pruned to the newest few.

Names: `peer_support-2026-12-06T030000Z.db` for a backup taken by hand (`python -m bot
backup`), `peer_support-nightly-2026-12-06T030000Z.db` for one the bot took itself (`.dump`
on PostgreSQL), the time in UTC. Only the nightly ones are ever deleted here, so a backup
someone took before an upgrade stays until they delete it. A backup is written into a hidden
`.<name>.partial` beside it and given its name only once it is checked, so a name is always a
whole, checked backup.
"""

from __future__ import annotations

import calendar
import contextlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

PREFIX = "peer_support"
_STAMP = "%Y-%m-%dT%H%M%SZ"
_NIGHTLY = re.compile(rf"^{PREFIX}-nightly-(\d{{4}}-\d\d-\d\dT\d{{6}}Z)\.(?:db|dump)$")
_NIGHTLY_PARTIAL = re.compile(rf"^\.{PREFIX}-nightly-.*\.partial$")
STALE_PARTIAL_SECONDS = 24 * 3600  # a partial file this old was left by a crash


class BackupError(Exception):
    """A backup or a restore could not be done: one line for the operator (no secret in it)."""


@dataclass(frozen=True)
class Nightly:
    """A backup the bot took itself, and when (Unix time, from its name)."""

    path: Path
    taken_at: int


def stamp(now: float) -> str:
    return time.strftime(_STAMP, time.gmtime(now))


def name(suffix: str, now: float, *, nightly: bool = False) -> str:
    """A backup's file name: `suffix` is ".db" or ".dump"."""
    return f"{PREFIX}-{'nightly-' if nightly else ''}{stamp(now)}{suffix}"


def destination(dest: Path, suffix: str, now: float, *, folder: bool = False) -> Path:
    """Where `python -m bot backup DEST` writes: inside DEST when it is a folder (or `folder`
    says it is one: BACKUP_DIR, made 0700 if missing), else DEST itself, which must not
    exist."""
    if folder and not dest.exists():
        dest.mkdir(mode=0o700, parents=True)
    if dest.is_dir():
        return dest / name(suffix, now)
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


def fsync(path: Path) -> None:
    """On disk through a power cut (a file's content, or a folder's list of names)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(written: Path, target: Path) -> None:
    """Give the checked file `written` its name `target`, never replacing a file there (a hard
    link fails if the name is taken; where links are not supported, a rename after a look)."""
    try:
        os.link(written, target)
    except FileExistsError:
        raise BackupError(f"{target} appeared while the backup was written: a backup never "
                          "replaces a file; the new one was discarded") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise BackupError(f"{target} exists already: a backup never replaces a "
                              "file") from None
        written.rename(target)
    else:
        written.unlink()
    fsync(target.parent)


def nightly_backups(folder: Path) -> list[Nightly]:
    """The nightly backups in `folder`, oldest first."""
    found = []
    for entry in folder.iterdir() if folder.is_dir() else ():
        match = _NIGHTLY.match(entry.name)
        if match and entry.is_file():
            taken_at = calendar.timegm(time.strptime(match.group(1), _STAMP))
            found.append(Nightly(entry, taken_at))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.path.name))


def prune(folder: Path, keep: int, now: float) -> list[str]:
    """Delete the nightly backups of `folder` but the newest `keep`, and partial nightly files
    a crash left; the names deleted. Nothing else in the folder is touched."""
    gone = []
    backups = nightly_backups(folder)
    for backup in backups[:max(0, len(backups) - keep)]:
        backup.path.unlink(missing_ok=True)
        gone.append(backup.path.name)
    for entry in folder.iterdir():
        if _NIGHTLY_PARTIAL.match(entry.name):
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
