"""`python -m bot setup`: from BotFather's token to the lines of `.env`.

With only BOT_TOKEN set (environment or `.env`; TELEGRAM_API_BASE_URL is honoured as the bot
honours it), it checks the token with getMe, says how to bring the bot into the peer group,
waits for the bot's first update from a group, then prints the group's id, fresh keys (unless
some are set already) and a COORDINATOR_IDS suggestion, and what to check in BotFather.

It reads updates with getUpdates, so it only works while nothing else receives them: not
while the bot runs (Telegram answers 409 Conflict), nor while a webhook is set. It never
confirms an update (no `offset` past it), so what people sent meanwhile is still there for
the bot when it starts; only when a full batch of 100 holds no group update is that batch
confirmed, and so lost to the bot, which is acceptable before the bot is in service.

A basic group upgraded to a supergroup gets a new id, and the old one is dead: the whole batch
is read for the upgrade's messages, so the group is named by its newest id even when the bot
was added to it before the upgrade. An upgrade often follows soon after (making the bot an
admin can cause one): a basic group found is watched for SETTLE_SECONDS more ("checking the
group is settled"), then its id is checked with getChat, which Telegram answers for a dead
one with where the group went (ChatMigrated).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import os
import stat
import sys
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dotenv import dotenv_values
from telegram import Bot
from telegram.error import ChatMigrated, Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.platform.outbox.pacing import seconds_of
from bot.platform.settings import (
    EXAMPLE_TOKEN,
    KEY_SETTINGS,
    TOKEN_PATTERN,
    load_environment,
    new_key,
)

EXIT_FOUND = 0
EXIT_TIMED_OUT = 1
EXIT_CONFIG = 2  # a token Telegram refuses, an unreachable API, another receiver, .env clash
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports it
DEFAULT_TIMEOUT = 600.0
GROUP_TYPES = ("group", "supergroup")
ALLOWED_UPDATES = ["message", "my_chat_member"]  # a message in the group, or being added
MEMBER = ("member", "administrator", "restricted")  # my_chat_member statuses: the bot is in
BATCH = 100  # getUpdates' largest batch
LONG_POLL = 30  # seconds one getUpdates may wait for something new
PENDING_PAUSE = 2.0  # between calls while unused updates are pending (answered at once)
START_ATTEMPTS = 3  # getMe tries before an unreachable API is reported
STALE_SECONDS = 600  # group updates older than this when setup starts are not taken
SETTLE_SECONDS = 10.0  # a basic group just found is watched this long for its upgrade
SETTLE_LOOK = 1.0  # between two looks at the updates meanwhile
ENV_FILE = Path(".env")
COORDINATOR_NOTE = ("# the person who wrote in the group; list every coordinator's user id, "
                    "comma-separated")

class SetupError(Exception):
    """Setup cannot go on: the message is one line for the operator (never the token)."""

    def __init__(self, message: str, code: int = EXIT_CONFIG) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Group:
    """The group an update showed the bot in."""

    chat_id: int  # the id to use: the supergroup's when the group was just upgraded
    title: str
    kind: str  # "group" or "supergroup"
    sender_id: int | None  # who wrote or added the bot; None for an anonymous admin
    old_id: int | None = None  # the id it had before it became a supergroup


# --- Pure parts ----------------------------------------------------------------------------


def token_problem(token: str) -> str | None:
    """What is wrong with BOT_TOKEN's form, in one line that does not quote it, or None."""
    if not token:
        return ("BOT_TOKEN is not set: put the token BotFather gave you in .env or the "
                "environment (BOT_TOKEN=123456:ABC...)")
    if token == EXAMPLE_TOKEN:
        return "BOT_TOKEN is still the example from .env.example: put the token BotFather gave you"
    if not TOKEN_PATTERN.match(token):
        return "BOT_TOKEN is malformed: expected digits, a colon, then the secret (123456:ABC-...)"
    return None


def base_url_problem(url: str) -> str | None:
    """TELEGRAM_API_BASE_URL's problem, as `python -m bot check` words it, or None."""
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return None
    return (f"TELEGRAM_API_BASE_URL must be an http(s) URL such as http://127.0.0.1:8081/bot, "
            f"not {url!r}")


def group_in(update: Mapping[str, Any], *, since: float = 0) -> Group | None:
    """The group an update shows the bot in: a message in a group or supergroup (a command,
    the service message of being added, the one of an upgrade to a supergroup), or
    my_chat_member saying the bot is in one. None for anything else: private chats,
    channels, the bot being removed, an update dated before `since`."""
    message = update.get("message")
    if isinstance(message, dict):
        return _from_message(message, since)
    membership = update.get("my_chat_member")
    if isinstance(membership, dict):
        status = (membership.get("new_chat_member") or {}).get("status")
        return _group(membership, since) if status in MEMBER else None
    return None


def group_in_batch(updates: Sequence[Mapping[str, Any]], *, since: float = 0) -> Group | None:
    """The group the first group update of a batch names, by its newest id: an upgrade to a
    supergroup anywhere in the batch (the old group's migrate_to_chat_id, the new one's
    migrate_from_chat_id, whatever their date) is followed, so a group the bot was added to
    before its upgrade is never named by its dead id. None when no update names a group."""
    moves = upgrades(updates)
    for update in updates:
        group = group_in(update, since=since)
        if group is not None:
            return _newest(group, moves)
    return None


def upgrades(updates: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Old id -> new id, for each upgrade to a supergroup the updates' messages tell of."""
    moves: dict[int, int] = {}
    for update in updates:
        message = update.get("message")
        chat = message.get("chat") if isinstance(message, dict) else None
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if not isinstance(message, dict) or not isinstance(chat_id, int):
            continue
        upgraded_to = message.get("migrate_to_chat_id")
        if isinstance(upgraded_to, int):
            moves[chat_id] = upgraded_to
        upgraded_from = message.get("migrate_from_chat_id")
        if isinstance(upgraded_from, int):
            moves[upgraded_from] = chat_id
    return moves


def _newest(group: Group, moves: Mapping[int, int]) -> Group:
    chat_id, seen = group.chat_id, {group.chat_id}
    while (moved := moves.get(chat_id)) is not None and moved not in seen:
        chat_id = moved
        seen.add(moved)
    if chat_id == group.chat_id:
        return group
    old_id = group.old_id if group.old_id is not None else group.chat_id
    return Group(chat_id, group.title, "supergroup", group.sender_id, old_id)


def _from_message(message: Mapping[str, Any], since: float) -> Group | None:
    group = _group(message, since)
    if group is None:
        return None
    upgraded_to = message.get("migrate_to_chat_id")  # said in the old group, as it goes
    if isinstance(upgraded_to, int):
        return Group(upgraded_to, group.title, "supergroup", group.sender_id, group.chat_id)
    upgraded_from = message.get("migrate_from_chat_id")  # said in the new supergroup
    if isinstance(upgraded_from, int):
        return Group(group.chat_id, group.title, group.kind, group.sender_id, upgraded_from)
    return group


def _group(entry: Mapping[str, Any], since: float) -> Group | None:
    chat = entry.get("chat")
    if not isinstance(chat, dict) or chat.get("type") not in GROUP_TYPES:
        return None
    chat_id, date = chat.get("id"), entry.get("date")
    if not isinstance(chat_id, int) or (isinstance(date, int) and date < since):
        return None
    sender = entry.get("from")
    sender_id = None
    if isinstance(sender, dict) and not sender.get("is_bot") and isinstance(sender.get("id"),
                                                                             int):
        sender_id = sender["id"]
    title = chat.get("title")
    return Group(chat_id, title if isinstance(title, str) else "(no title)", chat["type"],
                 sender_id)


def env_lines(group: Group, already_set: Sequence[str] = ()) -> list[str]:
    """The lines for `.env`: PEER_GROUP_ID, new keys unless one is set already (new keys
    would make everything stored under the old ones unreadable), and the sender as a first
    coordinator unless COORDINATOR_IDS is set."""
    lines = [f"PEER_GROUP_ID={group.chat_id}"]
    if not any(name in already_set for name in KEY_SETTINGS):
        lines += [f"{name}={new_key()}" for name in KEY_SETTINGS]
    if group.sender_id is not None and "COORDINATOR_IDS" not in already_set:
        lines += [COORDINATOR_NOTE, f"COORDINATOR_IDS={group.sender_id}"]
    return lines


def set_in(env: Mapping[str, str | None], names: Sequence[str]) -> list[str]:
    """Which of `names` have a value (the empty lines of .env.example do not count)."""
    return [name for name in names if (env.get(name) or "").strip()]


def named_in(lines: Sequence[str]) -> list[str]:
    """The variables the `.env` lines set (comments skipped)."""
    return [line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")]


def write_problem(env_file: Path) -> str | None:
    """Why --write would be refused or fail, known before waiting for the group, or None."""
    if env_file.exists() and not env_file.is_file():
        return f"{env_file} is not a file"
    if env_file.is_file():
        mode = stat.S_IMODE(env_file.stat().st_mode)
        if mode & 0o077:
            return _shared(env_file, mode)
        if not os.access(env_file, os.W_OK):
            return f"{env_file} cannot be written (check its owner and permissions)"
    elif not os.access(env_file.parent, os.W_OK):
        return f"{env_file} cannot be created: its folder cannot be written"
    return None


def _shared(env_file: Path, mode: int) -> str:
    return (f"other users can open {env_file} (mode {mode:o}), and --write would add the bot's "
            f"keys to it: run `chmod 600 {env_file}` first")


def append_to_env(env_file: Path, lines: Sequence[str]) -> None:
    """Append the lines to the file, created 0600 if missing. Refused (SetupError), nothing
    written, when it already sets one of them (appended again, the new value would silently
    win) or when other users can open it (the lines hold new keys). OSError when it cannot
    be opened or written."""
    clash = set_in(_file_values(env_file), named_in(lines))
    if clash:
        raise SetupError(f"{env_file} already sets {' and '.join(clash)}: nothing was written")
    descriptor = os.open(env_file, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "ab") as out:  # closes the descriptor, whatever happens
        found = os.fstat(descriptor)  # the file opened, not the name: no race with a chmod
        mode = stat.S_IMODE(found.st_mode)
        if mode & 0o077:
            raise SetupError(f"{_shared(env_file, mode)} (nothing was written)")
        ends_a_line = found.st_size == 0 or os.pread(descriptor, 1, found.st_size - 1) == b"\n"
        out.write((("" if ends_a_line else "\n") + "\n".join(lines) + "\n").encode())


def shown(line: str) -> str:
    """A line as printed after --write: the keys' values stay in the file only."""
    name = line.split("=", 1)[0]
    return f"{name}=(a new key)" if name in KEY_SETTINGS else line


def _file_values(env_file: Path) -> dict[str, str | None]:
    return dict(dotenv_values(env_file)) if env_file.is_file() else {}


# --- Talking to the Bot API ----------------------------------------------------------------


def make_bot(token: str, base_url: str | None) -> Bot:
    """A Bot on Telegram's API, or on TELEGRAM_API_BASE_URL exactly as bot/app.py sets it."""
    if not base_url:
        return Bot(token, request=HTTPXRequest(), get_updates_request=HTTPXRequest())
    return Bot(token, base_url=base_url, base_file_url=base_url.replace("/bot", "/file/bot", 1),
               request=HTTPXRequest(), get_updates_request=HTTPXRequest())


async def introduce(bot: Bot, where: str) -> None:
    """getMe, tried START_ATTEMPTS times over a few seconds when the API cannot be reached."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            await bot.initialize()
        except InvalidToken:  # its message quotes the token: never shown
            raise SetupError("Telegram does not accept BOT_TOKEN (revoked or mistyped?): put "
                             "the current one from BotFather in .env") from None
        except TelegramError as exc:
            if attempt == START_ATTEMPTS:
                raise SetupError(f"The Bot API at {where} cannot be reached "
                                 f"({type(exc).__name__}): check the network (and "
                                 "TELEGRAM_API_BASE_URL, if set), then run setup again.") from None
            await asyncio.sleep(attempt)
        else:
            return


async def free_updates(bot: Bot, *, delete_webhook: bool) -> None:
    """A webhook set for the bot takes its updates: setup refuses, or with --delete-webhook
    removes it (the bot sets it again when it starts in webhook mode)."""
    info = await bot.get_webhook_info()
    if not info.url:
        return
    if not delete_webhook:
        raise SetupError("A webhook is set for this bot, so Telegram sends its updates there "
                         "and setup cannot see them. Stop the bot if it is running, then run "
                         "`python -m bot setup --delete-webhook` (in webhook mode the bot "
                         "sets it again when it starts).")
    await bot.delete_webhook(drop_pending_updates=False)
    print("Removed the bot's webhook (updates waiting for it are kept).")


async def wait_for_group(bot: Bot, seconds: float) -> Group:
    """Long-poll getUpdates until an update shows the bot in a group, without confirming
    any update (see the module's docstring). SetupError when `seconds` pass first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    since = time.time() - STALE_SECONDS
    offset: int | None = None
    backoff = 1.0
    while (remaining := deadline - loop.time()) > 0:
        poll = min(LONG_POLL, math.ceil(remaining))
        try:
            result = await _get_updates(bot, offset, poll)
        except Conflict:
            raise SetupError("Another program is receiving this bot's updates (Telegram "
                             "answered 409 Conflict): the bot is running. Stop the bot first, "
                             "then run setup again.") from None
        except RetryAfter as exc:
            await asyncio.sleep(min(seconds_of(exc.retry_after), remaining))
            continue
        except TelegramError as exc:
            print(f"getUpdates failed ({type(exc).__name__}); trying again in {backoff:.0f} s",
                  file=sys.stderr)
            await asyncio.sleep(min(backoff, remaining))
            backoff = min(backoff * 2, 30.0)
            continue
        backoff = 1.0
        updates = _updates(result)
        group = group_in_batch(updates, since=since)
        if group is not None:
            if group.kind == "group" and group.old_id is None:
                return await _settled(bot, group, offset)
            return group
        if len(updates) >= BATCH:  # only private chats in a full batch: move past it
            offset = max(u.get("update_id", 0) for u in updates) + 1
        elif updates:  # pending, unused and unconfirmed: Telegram would answer at once
            await asyncio.sleep(min(PENDING_PAUSE, max(0.0, deadline - loop.time())))
    raise SetupError(f"Nothing arrived from a group within {seconds:g} seconds. Check that "
                     f"@{bot.username} is in the group, run setup again and send "
                     f"/start@{bot.username} there (--timeout SECONDS waits longer).",
                     EXIT_TIMED_OUT)


async def _settled(bot: Bot, group: Group, offset: int | None) -> Group:
    """A basic group just found, or the supergroup it became since: its upgrade is looked for
    every SETTLE_LOOK seconds for SETTLE_SECONDS (nothing confirmed, so the same updates come
    again, and any new), then its id is checked with Telegram (`_current`)."""
    print(f'Found the basic group "{group.title}"; checking the group is settled (up to '
          f"{SETTLE_SECONDS:g} seconds: Telegram gives a group a new id when it makes it a "
          "supergroup, as making the bot an admin can)...", flush=True)
    loop = asyncio.get_running_loop()
    until = loop.time() + SETTLE_SECONDS
    while (left := until - loop.time()) > 0:
        await asyncio.sleep(min(SETTLE_LOOK, left))
        try:
            result = await _get_updates(bot, offset, 0)
        except TelegramError:  # getChat below has the last word
            continue
        moved = _newest(group, upgrades(_updates(result)))
        if moved.chat_id != group.chat_id:
            return moved
    return await _current(bot, group)


async def _current(bot: Bot, group: Group) -> Group:
    """The group by the id Telegram has for it now: getChat on the id of a basic group that
    became a supergroup fails with the new one (ChatMigrated). Any other failure leaves the
    group as found (the output says a basic group's id may change)."""
    try:
        with _by_name():  # its answer is not read: ChatMigrated, or the id stands
            await bot.do_api_request("getChat", api_kwargs={"chat_id": group.chat_id})
    except ChatMigrated as moved:
        return Group(int(moved.new_chat_id), group.title, "supergroup", group.sender_id,
                     group.chat_id)
    except TelegramError:
        pass
    return group


def _updates(result: Any) -> list[dict[str, Any]]:
    return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []


async def _get_updates(bot: Bot, offset: int | None, poll: int) -> Any:
    """One getUpdates call, answered as raw JSON (as bot/runner.py reads it): an update
    python-telegram-bot cannot parse is skipped here, not logged whole."""
    with _by_name():
        return await bot.do_api_request(
            "getUpdates", api_kwargs={"offset": offset, "timeout": poll,
                                      "allowed_updates": ALLOWED_UPDATES},
            read_timeout=poll + 10)


@contextlib.contextmanager
def _by_name() -> Iterator[None]:
    """A Bot API method called by name on purpose, for its raw JSON: without
    python-telegram-bot's warning to use its own method ("Please use 'Bot.getUpdates'")."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Please use 'Bot\.(getUpdates|getChat)'",
                                category=PTBUserWarning)
        yield


# --- The command ---------------------------------------------------------------------------


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 86400:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0 and at most "
                                         f"86400 (a day), not {value!r}")
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot setup",
        description="Set up a new team with only BOT_TOKEN set: check the token, find the peer "
                    "group's id when the bot is added to it, and print the lines for .env. "
                    "Run it while the bot is not running.")
    parser.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="how long to wait for the group (default: %(default)g)")
    parser.add_argument("--write", action="store_true",
                        help="append the lines to .env (created 0600) instead of only printing "
                             "them; refused when .env already sets one of them or other users "
                             "can open it")
    parser.add_argument("--delete-webhook", action="store_true",
                        help="remove a webhook left set for the bot (it takes the updates "
                             "setup reads)")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs URLs, which hold the token
    env = load_environment(ENV_FILE)
    token = env.get("BOT_TOKEN", "").strip()
    base_url = env.get("TELEGRAM_API_BASE_URL", "").strip() or None
    problem = token_problem(token) or (base_url_problem(base_url) if base_url else None)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_CONFIG
    already = set_in(env, [*KEY_SETTINGS, "COORDINATOR_IDS"])
    if args.write:
        refused = write_problem(ENV_FILE)
        if refused is None and set_in(_file_values(ENV_FILE), ["PEER_GROUP_ID"]):
            refused = f"{ENV_FILE} already sets PEER_GROUP_ID: --write would add a second one"
        if refused:
            print(f"{refused}. Nothing was done: fix that, or run setup without --write and "
                  "copy the lines it prints.", file=sys.stderr)
            return EXIT_CONFIG
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # as bot/app.py: retry_after as a timedelta
    try:
        group = asyncio.run(_find_group(make_bot(token, base_url), base_url, args))
    except KeyboardInterrupt:
        print("\nStopped: nothing was written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SetupError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    return report(group, env_lines(group, already), already,
                  write_to=ENV_FILE if args.write else None)


async def _find_group(bot: Bot, base_url: str | None, args: argparse.Namespace) -> Group:
    where = (urlparse(base_url).hostname or "?") if base_url else "api.telegram.org"
    try:
        await introduce(bot, where)
        username = bot.username
        print(f"Telegram accepts the token: this is @{username} ({bot.first_name}).")
        if not bot.bot.can_join_groups:
            print(f"Warning: @{username} cannot be added to groups: in @BotFather send "
                  "/setjoingroups, choose the bot, then Enable.")
        if bot.bot.can_read_all_group_messages:
            print(f"Warning: privacy mode is off for @{username}, so it would receive every "
                  "message of the peer group: in @BotFather send /setprivacy, choose the "
                  "bot, then Enable.")
        await free_updates(bot, delete_webhook=args.delete_webhook)
        print(f"\nNow, in Telegram: add @{username} to your private peer group, then send "
              f"/start@{username} in the group. (With privacy mode on, a bot sees only the "
              "commands meant for it in a group.)")
        print(f"Waiting up to {args.timeout:g} seconds for it (Ctrl-C to stop)...", flush=True)
        return await wait_for_group(bot, args.timeout)
    finally:
        await bot.shutdown()


def report(group: Group, lines: list[str], already: list[str], *,
           write_to: Path | None) -> int:
    """What was found, the lines for .env (or written to `write_to`), then the checks that
    remain; the exit status. When the lines cannot be written they are printed instead,
    keys and all, so the group found is not lost: EXIT_CONFIG."""
    who = f", from user {group.sender_id}" if group.sender_id is not None else ""
    print(f"\nFound the {group.kind} \"{group.title}\" (id {group.chat_id}{who}).")
    if group.old_id is not None:
        print(f"It became a supergroup, and its id changed from {group.old_id} to "
              f"{group.chat_id}: use the new one.")
    elif group.kind == "group":
        print("It is a basic group: when Telegram turns it into a supergroup (as it grows, or "
              "when some settings change), its id changes; run setup again then and update "
              "PEER_GROUP_ID.")
    if write_to is None:
        print(f"\nAdd these lines to {ENV_FILE} (in the folder you run the bot from; "
              f"`chmod 600 {ENV_FILE}`):\n")
        print("\n".join(lines))
        code = EXIT_FOUND
    else:
        code = _write(write_to, lines)
    print()
    keys = [name for name in KEY_SETTINGS if name in already]
    if keys:
        print(f"{' and '.join(keys)} already set: keep the existing keys. New ones would make "
              "everything stored unreadable (README 'Rotating keys' changes them).")
    else:
        print("Keep a copy of ENCRYPTION_KEYS and INDEX_KEY somewhere safe, apart from the "
              "database backups: without them nothing stored can be read.")
    if group.sender_id is None:
        print("Setup could not tell who wrote (an anonymous admin?): put the coordinators' "
              "user ids in COORDINATOR_IDS yourself.")
    elif "COORDINATOR_IDS" in already:
        print(f"COORDINATOR_IDS is already set; user {group.sender_id} wrote in the group.")
    print("\nThen, in @BotFather:\n"
          "  - Leave privacy mode on (/setprivacy, Enable: the default): in the group the bot "
          "needs only commands and button presses, never the team's chatter.\n"
          "  - Once the bot is in every group it needs (this one, and BACKUP_CHAT_ID's if you "
          "use one), /setjoingroups, Disable: nobody can add it anywhere else.\n"
          "Keep the group private (no public link or username): its members can register as "
          "peers and claim requests.\n"
          "Each coordinator sends /start to the bot once, or they cannot be alerted.\n"
          "\nFinally run `python -m bot check`, then start the bot.")
    return code


def _write(env_file: Path, lines: list[str]) -> int:
    """--write: the lines appended (the keys not shown), or printed whole when they cannot be
    (EXIT_CONFIG), with why."""
    try:
        append_to_env(env_file, lines)
    except SetupError as exc:
        failed, code = f"{exc}.", exc.code
    except OSError as exc:  # a read-only folder, permission denied, no space left
        failed = f"Could not write to {env_file} ({exc.strerror or type(exc).__name__})."
        code = EXIT_CONFIG
    else:
        print(f"\nAppended to {env_file}:\n")
        print("\n".join(shown(line) for line in lines))
        return EXIT_FOUND
    sys.stdout.flush()  # in order, where both go to one log
    print(f"\n{failed}", file=sys.stderr, flush=True)
    print(f"Add these lines to {env_file} yourself (it must stay private: "
          f"`chmod 600 {env_file}`):\n")
    print("\n".join(lines))
    return code
