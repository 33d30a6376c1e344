"""The application factory: every handler registered in one place, in order."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from telegram import BotCommandScopeAllPrivateChats, BotCommandScopeChat, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, ExtBot
from telegram.request import BaseRequest

from bot.backups import nightly
from bot.escalation import sweep
from bot.platform import commands, delivery, language
from bot.platform.commands import Audience
from bot.platform.context import BotContext, BotData
from bot.platform.services import Services
from bot.platform.settings import Settings
from bot.safety import risk
from handlers import common, coordinators, peers, responder
from locales import LANGUAGES

BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData,
                             Any]


def build_application(settings: Settings, request: BaseRequest | None = None) -> BotApplication:
    """The bot, ready to run. `request` replaces the HTTP layer (tests pass an offline one)."""
    # Opt in to python-telegram-bot's coming behaviour: durations such as RetryAfter's
    # retry_after are timedelta (bot/platform/outbox/pacing.py reads both); without it every
    # 429 warns.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .updater(None)  # updates come in through our inbox (bot/platform/inbox.py), never unstored
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot", 1))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application: BotApplication = builder.build()
    application.bot_data.settings = settings
    _register_handlers(application, settings)
    return application


def _register_handlers(application: BotApplication, settings: Settings) -> None:
    # Before anything else (group -1): the language of someone the bot has not met yet.
    application.add_handler(common.first_contact_handler(), group=-1)
    # Order matters: the first matching handler in a group takes the update.
    # 1. Help and /language, for everyone in private.
    application.add_handlers(common.help_handlers())
    # 2. Responders: /start (which also registers peers), intake, /end, feedback.
    application.add_handlers(responder.handlers())
    # 3. Peers: Claim, /close, /switch, /alias; /start and /help inside the peer group.
    application.add_handlers(peers.handlers(settings.peer_group_id))
    # 4. Coordinators: /stats, /export, /roster, /peers, /removepeer, /audit.
    application.add_handlers(coordinators.handlers())
    # 5. Whatever is left: private messages to relay, edits, unknown commands, stale buttons.
    application.add_handlers(common.fallback_handlers(settings.peer_group_id))
    application.add_error_handler(common.on_error)


async def _post_init(application: BotApplication) -> None:
    settings = application.bot_data.settings
    assert settings is not None, "build_application sets the settings"
    services = await Services.open(settings, application.bot)
    application.bot_data.services = services
    delivery.install(services)
    if services.instance.shared:  # alive before anything is sent: see instances.py
        await services.instances.beat(services.instance.id, services.clock())
    await services.outbox.recover()
    await sweep.start(services)
    nightly.start(services)  # BACKUP_DIR: a backup every night (bot/backups/nightly.py)
    await _install_menus(services)
    # The crisis screen's rules build in a worker thread while the bot starts polling.
    application.bot_data.screen_loading = asyncio.get_running_loop().run_in_executor(
        None, risk.load_screen)


async def _install_menus(services: Services) -> None:
    """Responders' menu in every language (Telegram picks by the app's language), the group's,
    and each coordinator's in their own language."""
    settings = services.settings
    for code in (None, *LANGUAGES):
        texts = services.texts_in(code or settings.default_language)
        await services.outbox.set_commands(commands.menu(Audience.RESPONDER, texts),
                                           BotCommandScopeAllPrivateChats(), code)
    await services.outbox.set_commands(commands.menu(Audience.PEER_GROUP, services.texts),
                                       BotCommandScopeChat(settings.peer_group_id))
    for coordinator_id in sorted(settings.coordinator_ids):
        # Best effort: Telegram refuses it for someone who never opened a chat with the bot.
        await language.install_menus(services, coordinator_id)


async def _post_shutdown(application: BotApplication) -> None:
    loading = application.bot_data.screen_loading
    if loading is not None:
        await loading  # a screen that failed to build says so here, at the latest
        application.bot_data.screen_loading = None
    services = application.bot_data.services
    if services is not None:
        await services.close()
        application.bot_data.services = None


ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
