"""The database's files on disk: created private (0600 in a 0700 folder), and fsynced."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

_log = logging.getLogger(__name__)
_PRIVATE_FILE = 0o600
_PRIVATE_DIR = 0o700


def make_private(path: Path) -> None:
    """Create the directory 0700 and the database file 0600; narrow wider modes and say so."""
    directory = path.parent
    directory.mkdir(mode=_PRIVATE_DIR, parents=True, exist_ok=True)
    _narrow(directory, _PRIVATE_DIR)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, _PRIVATE_FILE))
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists():
            _narrow(candidate, _PRIVATE_FILE)


def new_private_file(path: Path) -> None:
    """Create `path` 0600 (its folder 0700); an error if it is there already."""
    path.parent.mkdir(mode=_PRIVATE_DIR, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, _PRIVATE_FILE))


def discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def fsync(path: Path, otherwise: Path | None = None) -> None:
    """On disk through a power cut: `path` (a file's content, or a folder's list of names),
    or `otherwise` if given and `path` is not there (no WAL file: the commits are in the
    database file itself)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        if otherwise is None:
            raise
        fd = os.open(otherwise, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _narrow(path: Path, mode: int) -> None:
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode:
        path.chmod(mode)
        _log.warning("narrowed permissions of %s from %o to %o", path.name, current, mode)
