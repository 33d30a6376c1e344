"""The repositories' SQL (storage/backend.py) on psycopg: placeholders, rows, parameters.

- `translate`: `?` becomes psycopg's `%s`; `?1`, `?2`, ... become `%s` each, with the
  parameter repeated where a number is used again; a literal `%` becomes `%%`. Quoted text
  ('...', "...") and comments are left as they are (a `$$` body is not: no repository writes
  one). Each statement is translated once (cached).
- `Row`: a row read by column name (`row["code"]`), by position (`row[0]`) and unpacked like
  a tuple, as sqlite3.Row is; `row_factory` makes them.
- `BoolAsInteger`: a Python bool is written as the integer 1 or 0, as SQLite stores it
  (flags are integer columns in both schemas).
- `PostgresSession` and `PostgresCursor`: `storage.session.Session` and `Cursor` on one open
  psycopg connection; a statement that returns no rows fetches None or [] (as sqlite3 does)
  instead of raising.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.postgres import types as builtin_types
from psycopg.rows import RowMaker

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\?(\d*)|%""",
                    re.DOTALL)


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """psycopg's form of `sql`, and which parameter goes to each `%s` (None: each in turn)."""
    order: list[int] = []
    kinds: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        if text[0] == "?":
            number = match.group(1)
            kinds.add("numbered" if number else "plain")
            order.append(int(number) - 1 if number else len(order))
            return "%s"
        return text.replace("%", "%%")  # psycopg reads % everywhere, even in quotes

    translated = _TOKEN.sub(replace, sql)
    if len(kinds) > 1:
        raise ValueError("a statement uses both ? and ?N placeholders")
    if "numbered" in kinds and min(order) < 0:
        raise ValueError("placeholders are numbered from ?1")
    return translated, (tuple(order) if "numbered" in kinds else None)


def bind(sql: str, parameters: Iterable[Any]) -> tuple[str, tuple[Any, ...]]:
    """The statement and its parameters as psycopg takes them."""
    query, order = translate(sql)
    values = tuple(parameters)
    if order is not None:
        values = tuple(values[i] for i in order)
    return query, values


class Row:
    """A row: by column name, by position, and iterable (so it unpacks like a tuple)."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: Mapping[str, int], values: Sequence[Any]) -> None:
        self._names = names
        self._values = tuple(values)

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._names[key]]
            except KeyError:
                position = self._names.get(key.lower())  # sqlite3.Row ignores case too
                if position is None:
                    raise IndexError(f"no column named {key!r}") from None
                return self._values[position]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return sorted(self._names, key=self._names.__getitem__)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._values == other._values and self.keys() == other.keys()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self.keys(), self._values, strict=True))!r})"


def row_factory(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    """psycopg's row factory for `Row`: the names looked up once per result."""
    names: dict[str, int] = {}
    for position, column in enumerate(cursor.description or ()):
        names.setdefault(column.name, position)  # a repeated name: the first, as sqlite3
    return functools.partial(Row, names)


class BoolAsInteger(Dumper):
    """True and False written as the integers 1 and 0, as SQLite keeps them."""

    oid = builtin_types["int2"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class PostgresCursor:
    """`storage.session.Cursor` on a psycopg cursor."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: psycopg.Cursor[Row]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self) -> Row | None:
        if self._cursor.description is None:  # no rows to read (an UPDATE without RETURNING)
            return None
        return self._cursor.fetchone()

    def fetchall(self) -> list[Row]:
        if self._cursor.description is None:
            return []
        return self._cursor.fetchall()


class PostgresSession:
    """`storage.session.Session` on an open psycopg connection, inside its transaction."""

    __slots__ = ("_conn",)

    def __init__(self, conn: psycopg.Connection[Row]) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> PostgresCursor:
        query, values = bind(sql, parameters)
        return PostgresCursor(self._conn.execute(query, values))

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /,
                    ) -> PostgresCursor:
        query, order = translate(sql)
        rows = ([tuple(row[i] for i in order) for row in parameters] if order is not None
                else [tuple(row) for row in parameters])
        cursor = self._conn.cursor()
        cursor.executemany(query, rows)
        return PostgresCursor(cursor)
