"""The migrations a database still needs, by name: what `python -m bot check` and `python -m
bot restore` say the next start will apply (it applies them, each in a transaction of its
own on SQLite, all in one on PostgreSQL; a database newer than this version is refused
before any is applied)."""

from __future__ import annotations

import re
from importlib import resources

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def shipped(*, server: bool) -> list[tuple[int, str]]:
    """This version's migrations for one backend (PostgreSQL's with `server`), in order:
    their number and their name (`0023_transfers`)."""
    package = "storage.postgres" if server else "storage.sqlite"
    found = []
    for entry in resources.files(package).joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name.removesuffix(".sql")))
    return sorted(found)


def pending(version: int, *, server: bool) -> list[str]:
    """The names of the migrations a database at schema `version` still needs, in order."""
    return [name for number, name in shipped(server=server) if number > version]


def describe(names: list[str]) -> str:
    """"2 migrations to apply at the next start: 0022_checkins, 0023_transfers"."""
    if not names:
        return "no migration to apply"
    count = f"{len(names)} migration{'s' if len(names) > 1 else ''}"
    return f"{count} to apply at the next start: {', '.join(names)}"
