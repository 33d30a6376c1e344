"""A write to make inside another's transaction, whatever database is underneath.

Some things must be kept together or not at all: a relayed message and the outbox row that
delivers it, a peer's message and their last activity. A repository offers such a write as a
`Write`: a function of a `Session` (the open transaction) that the backend runs in one go
(`Database.run`). The core composes them with `together` and never sees a driver's connection.

A backend may run a write again from the start, in a new transaction (PostgreSQL does when
one loses a race to another), so a write only reads and writes through its session and returns
what it found: nothing it changes outside is kept from a run that was rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Cursor(Protocol):
    """What a statement gives back inside a write."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Session(Protocol):
    """An open transaction: statements with `?` placeholders (the dialect: storage/backend.py),
    run in order."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Cursor: ...


Write = Callable[[Session], T]


def together(*writes: Write[object]) -> Write[None]:
    """One write made of several, kept in one transaction in the order given."""
    def write(session: Session) -> None:
        for each in writes:
            each(session)
    return write
