"""Re-sealing every encrypted value under the first key of ENCRYPTION_KEYS, online.

Each sealed column is listed with how to name its row in the associated data. Rows are
re-sealed in small transactions, so the bot keeps working meanwhile. The report counts what is
sealed under each key afterwards, and every value that no listed key opens: those are
reported, never skipped silently, and they stop the old key from looking safe to remove.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from storage.crypto import DecryptionError, Keyring
from storage.db import Database

BATCH = 200

# table, key columns, sealed column, associated data from the key columns
_SEALED: tuple[tuple[str, str, str, str], ...] = (
    ("requests", "id", "responder_chat", "requests.responder_chat:{0}"),
    ("requests", "id", "intake", "requests.intake:{0}"),
    ("messages", "request_id, seq", "body", "messages:{0}:{1}"),
    ("inbox", "update_id", "body", "inbox:{0}"),
    ("outbox", "row_key", "chat", "outbox.chat:{0}"),
    ("outbox", "row_key", "payload", "outbox.payload:{0}"),
    ("languages", "person_key", "language", "languages:{0}"),
)


def sealed_columns() -> set[tuple[str, str]]:
    """Every (table, column) rotation re-seals: every column that holds sealed values."""
    return {(table, column) for table, _, column, _ in _SEALED}


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
    for table, keys, column, aad_format in _SEALED:
        key_names = [k.strip() for k in keys.split(",")]
        rowids = [r[0] for r in await db.fetch_all(
            f"SELECT rowid FROM {table} WHERE length({column}) > 0")]  # noqa: S608 (names from the table above)
        for start in range(0, len(rowids), BATCH):
            batch = rowids[start:start + BATCH]
            async with db.transaction() as conn:  # read and write under one lock: no lost update
                cursor = await conn.execute(
                    f"SELECT rowid AS rid, {keys}, {column} FROM {table} "  # noqa: S608
                    f"WHERE rowid IN ({','.join('?' * len(batch))}) AND length({column}) > 0",
                    batch)
                for row in await cursor.fetchall():
                    sealed = bytes(row[column])
                    aad = aad_format.format(*(row[k] for k in key_names))
                    position = keyring.sealed_with(sealed)
                    report.before[position or 0] += 1
                    if position == 1:
                        report.by_key[1] += 1
                        continue
                    try:
                        plain = keyring.open_sealed(sealed, aad)
                    except DecryptionError:
                        report.unreadable[f"{table}.{column}"] += 1
                        continue
                    await conn.execute(
                        f"UPDATE {table} SET {column} = ? WHERE rowid = ?",  # noqa: S608
                        (keyring.seal(plain, aad), row["rid"]))
                    report.resealed += 1
                    report.by_key[1] += 1
    return report


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
    for table, keys, column, aad_format in _SEALED:
        if table not in tables:  # a database `check` found not yet migrated
            continue
        key_names = [k.strip() for k in keys.split(",")]
        groups = await db.fetch_all(
            f"SELECT substr({column}, 2, 4) AS kid, count(*) AS n, max(rowid) AS newest "  # noqa: S608 (names from the table above)
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
                keyring.open_sealed(bytes(row[column]),
                                    aad_format.format(*(row[k] for k in key_names)))
            except DecryptionError:
                found.unreadable[f"{table}.{column}"] += count
            else:
                found.readable += count
    return found
