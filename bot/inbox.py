"""Nothing lost on the way in: store every update before Telegram is told it arrived, then
process it from the database.

python-telegram-bot's own poller confirms a batch before the handlers have run, so a crash
mid-handler would lose a responder's message. Here the next getUpdates call (which confirms)
happens only after the batch is stored, and processing happens from the stored copy; a row is
marked done after its handlers ran. A redelivered update (same update_id) is processed once.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot import faults
from bot.outbox import send_scope
from bot.services import Services

_log = logging.getLogger(__name__)


class Inbox:
    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any],
                 services: Services) -> None:
        self._app = application
        self.services = services
        self._draining = asyncio.Lock()
        self.wake = asyncio.Event()

    async def receive(self, raw: dict[str, Any]) -> None:
        """Store one update. If storage fails, the update is still handled at once, so the
        person is told their message could not be kept instead of hearing nothing."""
        try:
            if not await self.services.inbox.store(raw, self.services.clock()):
                _log.info("a redelivered update was ignored")
        except sqlite3.Error as exc:
            _log.error("an update could not be stored (%s); handling it without a copy",
                       type(exc).__name__)
            await self._process(raw, stored=False)
        self.wake.set()

    async def drain(self) -> None:
        """Process every stored update not yet done, oldest first."""
        async with self._draining:
            while batch := await self.services.inbox.pending():
                for raw in batch:
                    await self._process(raw, stored=True)

    async def _process(self, raw: dict[str, Any], stored: bool) -> None:
        update = Update.de_json(raw, self._app.bot)
        if update is not None:
            with send_scope(f"u{update.update_id}" if stored else None):
                await self._app.process_update(update)  # handler errors go to the error handler
        if stored:
            await self.services.inbox.mark_done(int(raw["update_id"]), self.services.clock())
        faults.crash_at("after-done")  # done, but Telegram not yet told: it will send it again
