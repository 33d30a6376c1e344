"""Re-sealing every encrypted value under the first key of ENCRYPTION_KEYS, online.

Every sealed column of storage/sealed.py is re-sealed, named as it says. Rows are
re-sealed in small transactions, so the bot keeps working meanwhile. The report counts what is
sealed under each key afterwards, and every value that no listed key opens: those are
reported, never skipped silently, and they stop the old key from looking safe to remove.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from storage.backend import Database
from storage.crypto import DecryptionError, Keyring
from storage.sealed import SEALED, SealedColumn
from storage.session import Session, Write

BATCH = 200

@dataclass
class RotationReport:
    resealed: int = 0
    before: Counter[int] = field(default_factory=Counter)  # key position -> values before
    by_key: Counter[int] = field(default_factory=Counter)  # key position -> values now
    unreadable: Counter[str] = field(default_factory=Counter)  # table.column -> values

    @property
    def old_keys_unused(self) -> bool:
        return not self.unreadable and set(self.by_key) <= {1}


async def rotate(db: Database, keyring: Keyring) -> RotationReport:
    report = RotationReport()
    for sealed_column in SEALED:
        table, column = sealed_column.table, sealed_column.column
        rowids = [r[0] for r in await db.fetch_all(
            f"SELECT rowid FROM {table} WHERE length({column}) > 0")]  # noqa: S608 (names from storage/sealed.py)
        for start in range(0, len(rowids), BATCH):
            # Read and write under one lock, in one trip: no update is lost in between.
            await db.run(_resealing(sealed_column, keyring, rowids[start:start + BATCH], report))
    return report


def _resealing(sealed_column: SealedColumn, keyring: Keyring, rowids: list[int],
               report: RotationReport) -> Write[None]:
    table, column = sealed_column.table, sealed_column.column
    keys = ", ".join(sealed_column.keys)

    def reseal(session: Session) -> None:
        rows = session.execute(
            f"SELECT rowid AS rid, {keys}, {column} FROM {table} "  # noqa: S608 (names from storage/sealed.py)
            f"WHERE rowid IN ({','.join('?' * len(rowids))}) AND length({column}) > 0",
            rowids).fetchall()
        for row in rows:
            sealed = bytes(row[column])
            position = keyring.sealed_with(sealed)
            report.before[position or 0] += 1
            if position == 1:
                report.by_key[1] += 1
                continue
            row_names = [row[k] for k in sealed_column.keys]
            try:
                plain = sealed_column.open(keyring, sealed, *row_names)
            except DecryptionError:
                report.unreadable[sealed_column.name] += 1
                continue
            session.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?",  # noqa: S608
                            (sealed_column.seal(keyring, plain, *row_names), row["rid"]))
            report.resealed += 1
            report.by_key[1] += 1
    return reseal


@dataclass
class KeySurvey:
    """What ENCRYPTION_KEYS can open of what is stored (no value is changed)."""

    readable: int = 0  # values under a listed key, one of which was opened to make sure
    unreadable: Counter[str] = field(default_factory=Counter)  # table.column -> values

    @property
    def stored(self) -> int:
        return self.readable + sum(self.unreadable.values())


async def survey(db: Database, keyring: Keyring) -> KeySurvey:
    """Count the sealed values of every column by the key that sealed them (the key id in
    each value's header, one GROUP BY per column), and open the newest value under each
    listed key to make sure that key really opens them."""
    found = KeySurvey()
    tables = {row[0] for row in await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    for sealed_column in SEALED:
        table, column = sealed_column.table, sealed_column.column
        if table not in tables:  # a database `check` found not yet migrated
            continue
        keys = ", ".join(sealed_column.keys)
        groups = await db.fetch_all(
            f"SELECT substr({column}, 2, 4) AS kid, count(*) AS n, max(rowid) AS newest "  # noqa: S608 (names from storage/sealed.py)
            f"FROM {table} WHERE length({column}) > 0 GROUP BY kid")
        for group in groups:
            count = int(group["n"])
            kid = group["kid"]
            if not isinstance(kid, bytes) or keyring.sealed_with(b"\x00" + kid) is None:
                found.unreadable[f"{table}.{column}"] += count
                continue
            row = await db.fetch_one(
                f"SELECT {keys}, {column} FROM {table} WHERE rowid = ?",  # noqa: S608
                (group["newest"],))
            if row is None:  # deleted meanwhile (the bot may be running)
                continue
            try:
                sealed_column.open(keyring, bytes(row[column]),
                                   *(row[k] for k in sealed_column.keys))
            except DecryptionError:
                found.unreadable[f"{table}.{column}"] += count
            else:
                found.readable += count
    return found
