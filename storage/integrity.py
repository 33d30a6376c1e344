"""What start-up and `python -m bot check` verify before the bot uses the database.

- It is the database this folder held: a random id is stored inside it and in `<database>.id`
  beside it, written at its first start. A database file missing while its folder shows it
  existed (that file, its WAL, its lock file) is refused, and so is a file whose id differs;
  a first start on an empty folder creates it.
- ENCRYPTION_KEYS opens what it holds (`storage.rotation.survey`).
- INDEX_KEY is the one it was used with: an HMAC of a fixed text under INDEX_KEY is stored at
  the first start and compared at every later one (`rotate-keys` records a new one).

Each failure is a `StoredDataError`: one line naming the variable or the file to fix.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from storage.backend import Database
from storage.crypto import Keyring
from storage.errors import SchemaError
from storage.rotation import survey

_INDEX_CHECK = ("index-key-check", "peer-support")  # the fixed text, as a blind index


class StoredDataError(Exception):
    """The database or the keys do not fit together: one line naming what to fix."""


@dataclass
class Verified:
    database_id: str | None = None
    warnings: list[str] = field(default_factory=list)


def id_file(database_path: Path) -> Path:
    return Path(f"{database_path}.id")


def traces(database_path: Path) -> list[Path]:
    """Files that show a database existed at this path."""
    candidates = (id_file(database_path), Path(f"{database_path}-wal"),
                  Path(f"{database_path}-shm"), Path(f"{database_path}.lock"))
    return [path for path in candidates if path.exists()]


def saved_copies(database_path: Path) -> list[Path]:
    """Copies the bot saved when its database vanished under it (newest last)."""
    return sorted(database_path.parent.glob(f"{database_path.name}.saved-*"))


def refuse_a_vanished_database(database_path: Path) -> None:
    """A missing DATABASE_PATH is created only in a folder that never held it."""
    if database_path.exists():
        return
    found = traces(database_path)
    if not found:
        return
    names = " and ".join([", ".join(path.name for path in found[:-1]), found[-1].name]
                         if len(found) > 1 else [found[0].name])
    copies = saved_copies(database_path)
    put_back = (f"move the copy the bot saved ({copies[-1].name}) to DATABASE_PATH" if copies
                else "put it back or restore the latest backup (see README 'Backups')")
    raise StoredDataError(
        f"DATABASE_PATH={database_path} does not exist, but its folder held it ({names}): was "
        f"it deleted or moved? {put_back[0].upper()}{put_back[1:]}; to start over with an "
        f"empty database instead, delete {names}")


async def verify(db: Database, keyring: Keyring, *, record: bool) -> Verified:
    """Check the open database against its id file and the keys. `record`: write what is
    missing (the id, the index key's check value): at start, not in `check`."""
    result = Verified(database_id=await _same_database(db, record=record))
    found = await survey(db, keyring)
    where = f"DATABASE_PATH={db.path}"
    if found.stored and not found.readable:
        raise StoredDataError(
            f"ENCRYPTION_KEYS cannot open the values stored in {where}: were the keys "
            "replaced? Put the previous key back (after the new one when rotating; see README "
            "'Rotating keys')")
    unreadable = sum(found.unreadable.values())
    if unreadable:
        columns = ", ".join(sorted(found.unreadable))
        result.warnings.append(
            f"{unreadable} value(s) in {where} ({columns}) are sealed under a key that is not in "
            "ENCRYPTION_KEYS and cannot be read: put that key back after the first (see README "
            "'Rotating keys')")
    await _same_index_key(db, keyring, record=record)
    return result


async def record_index_key(db: Database, keyring: Keyring) -> bool:
    """INDEX_KEY was changed on purpose: remember the new one (`python -m bot rotate-keys`).
    True if one was recorded before and it differed."""
    expected = keyring.blind_index(*_INDEX_CHECK)
    stored = await _fact(db, "index_check")
    if stored is not None and hmac.compare_digest(stored, expected):
        return False
    await _set(db, "index_check", expected)
    return stored is not None


async def _same_index_key(db: Database, keyring: Keyring, *, record: bool) -> None:
    expected = keyring.blind_index(*_INDEX_CHECK)
    stored = await _fact(db, "index_check")
    if stored is None:
        if record:
            await _set(db, "index_check", expected)
    elif not hmac.compare_digest(stored, expected):
        raise StoredDataError(
            f"INDEX_KEY is not the one DATABASE_PATH={db.path} was used with: was it replaced? "
            "Put the previous one back; to change it on purpose, see README 'Rotating keys' "
            "(`python -m bot rotate-keys` then records the new one)")


async def _same_database(db: Database, *, record: bool) -> str | None:
    marker = id_file(db.path)
    on_disk = marker.read_text(encoding="ascii").strip() if marker.exists() else None
    stored = await _fact(db, "database_id")
    replaced = (f"DATABASE_PATH={db.path} is not the database this folder held (its id does "
                f"not match {marker.name}): was it replaced? Put the right one back; to use "
                f"this one anyway, delete {marker.name}")
    if stored is None:
        if on_disk is not None:
            raise StoredDataError(replaced)
        if not record:
            return None
        stored = secrets.token_hex(16)
        await _set(db, "database_id", stored)
    elif on_disk is not None and not hmac.compare_digest(on_disk, stored):
        raise StoredDataError(replaced)
    if on_disk is None and record:
        write_id_file(db.path, stored)
    return stored


def write_id_file(database_path: Path, database_id: str) -> None:
    """`<database>.id`, 0600, replaced atomically."""
    marker = id_file(database_path)
    marker.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = marker.with_name(f"{marker.name}.tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        os.write(fd, f"{database_id}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    temporary.replace(marker)


async def _fact(db: Database, name: str) -> str | None:
    """A row of the identity table; None if it is missing (or the table is, before 0015)."""
    try:
        row = await db.fetch_one("SELECT value FROM identity WHERE name = ?", (name,))
    except SchemaError:  # no such table: a database `check` did not migrate
        return None
    return str(row["value"]) if row is not None else None


async def _set(db: Database, name: str, value: str) -> None:
    await db.write("INSERT INTO identity (name, value) VALUES (?, ?) ON CONFLICT (name) "
                   "DO UPDATE SET value = excluded.value", (name, value))
