"""The services one running bot uses, opened in `post_init` and closed in `post_shutdown`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Bot

from bot.platform.instances import Instance
from bot.platform.metrics import Metrics
from bot.platform.outbox import Outbox
from bot.platform.replies import Reply
from bot.platform.settings import Settings
from bot.platform.timers import Timers
from locales import Texts
from storage.audit import AuditRepository
from storage.backend import Database, open_database
from storage.checkins import CheckinRepository
from storage.crypto import Keyring
from storage.digests import DigestRepository
from storage.feedback import FeedbackRepository
from storage.inbox import InboxRepository
from storage.instances import InstanceRepository
from storage.languages import LanguageRepository
from storage.messages import MessageRepository
from storage.notes import NoteRepository
from storage.notices import NoticeRepository
from storage.outbox import OutboxRepository
from storage.peers import PeerRepository
from storage.referrals import ReferralRepository
from storage.requests import RequestRepository


def _now() -> int:
    return int(time.time())


@dataclass
class Services:
    settings: Settings
    bot: Bot
    db: Database
    requests: RequestRepository
    messages: MessageRepository
    peers: PeerRepository
    feedback: FeedbackRepository
    outbox: Outbox
    texts: Texts
    notices: NoticeRepository
    inbox: InboxRepository
    digests: DigestRepository
    audit: AuditRepository
    referrals: ReferralRepository
    languages: LanguageRepository
    instances: InstanceRepository
    notes: NoteRepository
    checkins: CheckinRepository
    instance: Instance = field(default_factory=Instance)
    timers: Timers = field(default_factory=Timers)
    metrics: Metrics = field(default_factory=Metrics)  # what /metrics counts
    clock: Callable[[], int] = field(default=_now)
    membership: dict[int, tuple[int, bool]] = field(default_factory=dict, repr=False)
    _by_language: dict[str, Texts] = field(default_factory=dict, repr=False)
    _language_of: dict[int, str] = field(default_factory=dict, repr=False)

    def texts_in(self, language: str) -> Texts:
        """The texts of one language, with that language's crisis line from the resources."""
        if language not in self._by_language:
            common = self.settings.resources.common_texts(language)
            self._by_language[language] = Texts(language, common=common)
        return self._by_language[language]

    async def _stored_language(self, chat_id: int) -> str | None:
        """What this chat chose or was given on first contact; cached once known."""
        language = self._language_of.get(chat_id)
        if language is None and chat_id > 0:
            language = await self.languages.get(chat_id)
            if language is not None:
                self._language_of[chat_id] = language
        return language

    async def texts_for(self, chat_id: int) -> Texts:
        """The texts of the person in this private chat (DEFAULT_LANGUAGE for a group, or for
        someone whose language is not known). Timer-driven messages use it too."""
        language = await self._stored_language(chat_id)
        return self.texts_in(language or self.settings.default_language)

    async def set_language(self, chat_id: int, language: str) -> None:
        await self.languages.set(chat_id, language, self.clock())
        self._language_of[chat_id] = language

    async def forget_language(self, chat_id: int) -> None:
        await self.languages.forget(chat_id)
        self._language_of.pop(chat_id, None)

    async def say(self, chat_id: int, reply: Reply, *, what: str) -> bool:
        """A best-effort notice in the reader's language (see Outbox.notify)."""
        text, keyboard = reply.render(await self.texts_for(chat_id))
        return await self.outbox.notify(chat_id, text, keyboard, what=what)

    async def knows_language(self, chat_id: int) -> bool:
        return await self._stored_language(chat_id) is not None

    @classmethod
    async def open(cls, settings: Settings, bot: Bot) -> Services:
        db = await open_database(settings.database_path, url=settings.database_url)
        keyring = Keyring(settings.encryption_keys, settings.index_key)
        # Several instances run at once only on PostgreSQL in webhook mode (bot/runner.py).
        instance = Instance(shared=settings.database_url is not None
                            and settings.webhook_url is not None)
        metrics = Metrics()
        return cls(
            settings=settings, bot=bot, db=db,
            requests=RequestRepository(db, keyring), messages=MessageRepository(db, keyring),
            peers=PeerRepository(db), feedback=FeedbackRepository(db),
            outbox=Outbox(bot, OutboxRepository(db, keyring), owner=instance.id,
                          alone=not instance.shared, metrics=metrics),
            instances=InstanceRepository(db), instance=instance,
            texts=Texts(settings.default_language,
                        common=settings.resources.common_texts(settings.default_language)),
            notices=NoticeRepository(db),
            inbox=InboxRepository(db, keyring), digests=DigestRepository(db),
            audit=AuditRepository(db), referrals=ReferralRepository(db),
            languages=LanguageRepository(db, keyring), notes=NoteRepository(db, keyring),
            checkins=CheckinRepository(db, keyring), metrics=metrics,
        )

    async def close(self) -> None:
        await self.timers.shutdown()
        await self.db.close()
