"""The command menus ("/" in Telegram) of every audience, from one table.

Each row is a command, who sees it in their menu, and the catalog key of its description. A
menu lists its rows in the table's order, so a command may have a row per audience where the
description or the place differs ("start" registers peers; coordinators read "help" last).
A coordinator who is a peer too sees both menus as one (`PEER | COORDINATOR`): the peer's,
then the coordinator's commands the peer's menu does not already list.
The handlers that run these commands are registered in bot/app.py; tests/unit/test_commands.py
checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Flag, auto

from locales import Texts


class Audience(Flag):
    RESPONDER = auto()  # anyone in private; in each app language, and by chat once known
    PEER = auto()  # a registered peer, in their private chat
    COORDINATOR = auto()  # someone in COORDINATOR_IDS (PEER | COORDINATOR: a peer too)
    PEER_GROUP = auto()  # the peer group itself


@dataclass(frozen=True)
class Command:
    name: str
    audience: Audience
    description: str  # its catalog key


_R, _P, _C, _G = Audience.RESPONDER, Audience.PEER, Audience.COORDINATOR, Audience.PEER_GROUP

COMMANDS = (
    Command("start", _R, "cmd_start"),
    Command("start", _P, "cmd_peer_start"),
    Command("help", _R | _P | _G, "cmd_help"),
    Command("end", _R, "cmd_end"),
    Command("resources", _R, "cmd_resources"),
    Command("selfcheck", _R, "cmd_selfcheck"),
    Command("oncall", _P, "cmd_oncall"),
    Command("offcall", _P, "cmd_offcall"),
    Command("close", _P, "cmd_close"),
    Command("release", _P, "cmd_release"),
    Command("switch", _P, "cmd_switch"),
    Command("transfer", _P, "cmd_transfer"),
    Command("snippets", _P, "cmd_snippets"),
    Command("refer", _P, "cmd_refer"),
    Command("concern", _P, "cmd_concern"),
    Command("urgent", _P, "cmd_urgent"),
    Command("note", _P, "cmd_note"),
    Command("notes", _P, "cmd_notes"),
    Command("alias", _P, "cmd_alias"),
    Command("agency", _P, "cmd_agency"),
    Command("languages", _P, "cmd_languages"),
    Command("stats", _C, "cmd_stats"),
    Command("export", _C, "cmd_export"),
    Command("roster", _C, "cmd_roster"),
    Command("peers", _C, "cmd_peers"),
    Command("removepeer", _C, "cmd_removepeer"),
    Command("audit", _C, "cmd_audit"),
    Command("language", _R | _P | _C, "cmd_language"),
    Command("forget", _R, "cmd_forget"),
    Command("help", _C, "cmd_help"),
)


def rows(audience: Audience) -> tuple[Command, ...]:
    """What `audience` sees, in menu order. Several audiences at once see each one's menu in
    turn, in the order Audience lists them, without a command twice."""
    chosen: dict[str, Command] = {}
    for member in audience:
        for command in COMMANDS:
            if member in command.audience:
                chosen.setdefault(command.name, command)
    return tuple(chosen.values())


def names(audience: Audience) -> tuple[str, ...]:
    return tuple(command.name for command in rows(audience))


def only_for(audience: Audience) -> tuple[str, ...]:
    """The commands in this audience's menu and nobody else's: the ones only it may use."""
    others = {command.name for command in COMMANDS if command.audience & ~audience}
    return tuple(name for name in names(audience) if name not in others)


def menu(audience: Audience, texts: Texts) -> list[tuple[str, str]]:
    """`audience`'s menu in `texts`' language: (command, description) pairs."""
    return [(command.name, texts(command.description)) for command in rows(audience)]
