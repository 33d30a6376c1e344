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
from storage.errors import SchemaError
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

    def add(self, other: RotationReport) -> None:
        self.resealed += other.resealed
        self.before.update(other.before)
        self.by_key.update(other.by_key)
        self.unreadable.update(other.unreadable)


async def rotate(db: Database, keyring: Keyring) -> RotationReport:
    report = RotationReport()
    for sealed_column in SEALED:
        table, column = sealed_column.table, sealed_column.column
        width = len(sealed_column.keys)
        names = [tuple(row[i] for i in range(width)) for row in await db.fetch_all(
            f"SELECT {', '.join(sealed_column.keys)} FROM {table} "  # noqa: S608 (names from storage/sealed.py)
            f"WHERE length({column}) > 0")]
        for start in range(0, len(names), BATCH):
            # Read and write in one transaction, in one trip: no update is lost in between.
            report.add(await db.run(
                _resealing(sealed_column, keyring, names[start:start + BATCH])))
    return report


def _naming(keys: tuple[str, ...], count: int) -> str:
    """A condition true for `count` rows, each named by the values of `keys` (parameters in
    that order, row after row)."""
    if len(keys) == 1:
        return f"{keys[0]} IN ({', '.join('?' * count)})"
    one = " AND ".join(f"{key} = ?" for key in keys)
    return " OR ".join([f"({one})"] * count)


def _resealing(sealed_column: SealedColumn, keyring: Keyring,
               names: list[tuple[object, ...]]) -> Write[RotationReport]:
    """The write that re-seals the rows `names` names (by the key columns of storage/sealed.py),
    and what it found; a report of its own, so that running it again counts nothing twice."""
    table, column = sealed_column.table, sealed_column.column
    keys = ", ".join(sealed_column.keys)
    this_row = " AND ".join(f"{key} = ?" for key in sealed_column.keys)

    def reseal(session: Session) -> RotationReport:
        report = RotationReport()
        rows = session.execute(
            f"SELECT {keys}, {column} FROM {table} "  # noqa: S608 (names from storage/sealed.py)
            f"WHERE ({_naming(sealed_column.keys, len(names))}) AND length({column}) > 0",
            [value for name in names for value in name]).fetchall()
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
            session.execute(f"UPDATE {table} SET {column} = ? WHERE {this_row}",  # noqa: S608
                            (sealed_column.seal(keyring, plain, *row_names), *row_names))
            report.resealed += 1
            report.by_key[1] += 1
        return report
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
    each value's header, one GROUP BY per column), and open one value under each listed key
    to make sure that key really opens them."""
    found = KeySurvey()
    for sealed_column in SEALED:
        table, column = sealed_column.table, sealed_column.column
        keys = ", ".join(sealed_column.keys)
        try:
            groups = await db.fetch_all(
                f"SELECT substr({column}, 2, 4) AS kid, count(*) AS n "  # noqa: S608 (names from storage/sealed.py)
                f"FROM {table} WHERE length({column}) > 0 GROUP BY substr({column}, 2, 4)")
        except SchemaError:  # a database `check` found not yet migrated
            continue
        for group in groups:
            count = int(group["n"])
            kid = group["kid"]
            if not isinstance(kid, bytes) or keyring.sealed_with(b"\x00" + kid) is None:
                found.unreadable[f"{table}.{column}"] += count
                continue
            row = await db.fetch_one(
                f"SELECT {keys}, {column} FROM {table} "  # noqa: S608
                f"WHERE length({column}) > 0 AND substr({column}, 2, 4) = ? LIMIT 1", (kid,))
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
