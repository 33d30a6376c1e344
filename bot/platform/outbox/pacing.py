"""How fast the outbox may send, and when it tries again: pacing and retry policy, no I/O.

Telegram allows about 30 messages a second overall and 20 a minute into one group, and answers
429 with how long a chat must wait. `Pacing` counts what was sent and says how long a row
must wait; the functions say which rows go first when the overall limit holds some back, how
long to back off after a network error, and whether a call that failed may have arrived.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from datetime import timedelta

import httpx
from telegram.error import TimedOut

from storage.outbox import Purpose

MAX_BACKOFF_SECONDS = 30.0
MAX_ATTEMPTS = 60  # about half an hour of trying (capped backoff), then given up on
GROUP_PER_MINUTE = 19  # Telegram: about 20 a minute into one group
BUSY_GROUP_PER_MINUTE = 10  # past this, new cards go into the digest (leaves room for edits)
OVERALL_PER_SECOND = 28  # Telegram: about 30 a second overall (2 spare for network jitter)
SENDS = ("sendMessage", "copyMessage")  # new messages, which the group limit counts
_TEAM_KINDS = ("card", "notice", "digest")

PERSON, TEAM, TIDY = 0, 1, 2  # who waits on a row: see `priority_of`


def priority_of(method: str, purpose: Purpose | None) -> int:
    """Who waits on a row, for when Telegram's overall limit holds rows back: the person being
    answered or written to (PERSON) before the team's cards, notices and digest (TEAM), before
    taking the buttons off an old message (TIDY)."""
    if method == "editMessageReplyMarkup":
        return TIDY
    if purpose is not None and purpose.kind in _TEAM_KINDS:
        return TEAM
    return PERSON


def seconds_of(wait: int | timedelta) -> float:
    """retry_after as seconds, whether python-telegram-bot gives an int or a timedelta."""
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def backoff(attempts: int) -> float:
    """Seconds before trying again a row that met network trouble `attempts` times."""
    return min(0.5 * 2.0 ** attempts, MAX_BACKOFF_SECONDS)


def may_have_arrived(exc: Exception) -> bool:
    """Did the request leave? A connect or pool timeout, or a refused connection, never sent
    it; a read timeout or a dropped connection after sending may have delivered it."""
    cause = exc.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return False
    if isinstance(exc, TimedOut):
        return True
    return isinstance(cause, httpx.ReadError | httpx.RemoteProtocolError | httpx.ReadTimeout)


class Pacing:
    """What was sent lately and what Telegram asked us to wait for, kept in memory: the
    overall budget of the last second, each group's of the last minute, and the waits of a
    429 (for the chat it names, and briefly for everyone). The limits are the bot's, and may
    be lifted (tests, benchmarks); with several instances alive (`shares`), each keeps to its
    share of them, since Telegram counts the bot's calls, not an instance's. (A 429 reaches
    the others through the rows it holds back: storage/outbox.py `defer_chat`.)"""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.overall_per_second = OVERALL_PER_SECOND
        self.group_per_minute = GROUP_PER_MINUTE
        self.busy_per_minute = BUSY_GROUP_PER_MINUTE
        self.recent: collections.deque[float] = collections.deque()  # sends, last second
        self.group_recent: dict[str, collections.deque[float]] = collections.defaultdict(
            collections.deque)  # new messages into each group, last minute
        self.paused_until: dict[str, float] = {}  # chat key -> the end of its 429 wait
        self.all_paused_until = 0.0
        self.shares = 1  # instances alive on this database, this one included

    def _share(self, limit: int) -> int:
        return max(1, limit // max(1, self.shares))

    def sent_last_second(self) -> int:
        now = self.clock()
        while self.recent and now - self.recent[0] > 1:
            self.recent.popleft()
        return len(self.recent)

    def room(self) -> int:
        """How many more calls may start this second (none during a pause for everyone)."""
        room = self._share(self.overall_per_second) - self.sent_last_second()
        return 0 if room <= 0 or self.all_paused_until > self.clock() else room

    def overall_wait(self) -> float:
        """Seconds until anything may be sent, under the overall pacing and a brief pause for
        everyone after a 429."""
        now = self.clock()
        waits = [self.all_paused_until - now]
        if self.sent_last_second() >= self._share(self.overall_per_second):
            waits.append(self.recent[0] + 1 - now)
        return max(0.0, *waits)

    def wait_for(self, key: str, chat_id: int, method: str) -> float:
        """Seconds until this chat may be sent to, under the waits and pacing we know of."""
        now = self.clock()
        waits = [self.paused_until.get(key, 0.0) - now, self.overall_wait()]
        if chat_id < 0 and method in SENDS and self.group_full(key):
            waits.append(self.group_recent[key][0] + 60 - now)
        return max(0.0, *waits)

    def group_full(self, key: str) -> bool:
        recent = self.group_recent.get(key)
        if not recent:
            return False
        now = self.clock()
        while recent and now - recent[0] > 60:
            recent.popleft()
        return len(recent) >= self._share(self.group_per_minute)

    def busy(self, key: str) -> bool:
        """This chat is in a 429 wait or near its group's limit (not counting what waits)."""
        if self.paused_until.get(key, 0.0) > self.clock():
            return True
        self.group_full(key)  # drops sends older than a minute
        return len(self.group_recent.get(key, ())) >= self._share(self.busy_per_minute)

    def count(self, key: str, chat_id: int, method: str) -> None:
        """A call is being made now: counted before any await, so that sends to other chats
        under way at the same time see it and together stay under Telegram's limits."""
        now = self.clock()
        self.recent.append(now)
        if chat_id < 0 and method in SENDS:  # the group limit counts new messages
            self.group_recent[key].append(now)

    def uncount(self, key: str, chat_id: int, method: str) -> None:
        """The call `count`ed last for this chat was not made after all (another instance was
        sending in its chat)."""
        if self.recent:
            self.recent.pop()
        recent = self.group_recent.get(key)
        if chat_id < 0 and method in SENDS and recent:
            recent.pop()

    def flood_wait(self, key: str, seconds: float) -> float:
        """Telegram answered 429: this chat waits `seconds`, everyone else at most a second.
        When the chat may be sent to again."""
        now = self.clock()
        self.paused_until[key] = now + seconds
        self.all_paused_until = max(self.all_paused_until, now + min(seconds, 1.0))
        return now + seconds
