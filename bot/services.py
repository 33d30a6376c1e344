"""The services one running bot uses, opened in `post_init` and closed in `post_shutdown`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Bot

from bot.outbox import Outbox
from bot.settings import Settings
from bot.timers import Timers
from locales import Texts
from storage.audit import AuditRepository
from storage.crypto import Keyring
from storage.db import Database
from storage.digests import DigestRepository
from storage.feedback import FeedbackRepository
from storage.inbox import InboxRepository
from storage.messages import MessageRepository
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
    timers: Timers = field(default_factory=Timers)
    clock: Callable[[], int] = field(default=_now)

    @classmethod
    async def open(cls, settings: Settings, bot: Bot) -> Services:
        db = Database(settings.database_path)
        await db.open()
        keyring = Keyring(settings.encryption_keys, settings.index_key)
        return cls(
            settings=settings, bot=bot, db=db,
            requests=RequestRepository(db, keyring), messages=MessageRepository(db, keyring),
            peers=PeerRepository(db), feedback=FeedbackRepository(db),
            outbox=Outbox(bot, OutboxRepository(db, keyring)),
            texts=Texts(common=settings.resources.common_texts("en")),
            notices=NoticeRepository(db),
            inbox=InboxRepository(db, keyring), digests=DigestRepository(db),
            audit=AuditRepository(db), referrals=ReferralRepository(db),
        )

    async def close(self) -> None:
        self.timers.shutdown()
        await self.db.close()
