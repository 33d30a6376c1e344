"""The typed context every handler receives: `context.services` instead of a loose dict."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import CallbackContext, ExtBot

from bot.platform.services import Services
from bot.platform.settings import Settings


class BotData:
    """Application-wide state: the settings (set when built) and services (set in post_init)."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.services: Services | None = None
        self.screen_loading: asyncio.Future[None] | None = None  # see bot/safety/risk.py


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are opened in post_init; the application is not running")
        return services
