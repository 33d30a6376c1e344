"""The language each person reads, by private chat; the only place that reads or writes
`languages` (but storage/rotation.py, which re-seals every sealed column under a new key).

Keyed by a blind index of the chat id and sealed, like other responder data: knowing that
someone reads Spanish says something about who they are.
"""

from __future__ import annotations

from storage.backend import Database
from storage.crypto import Keyring
from storage.sealed import LANGUAGE


class LanguageRepository:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self._db = db
        self._keys = keyring

    def _key(self, chat_id: int) -> str:
        return self._keys.blind_index("language", chat_id)

    async def get(self, chat_id: int) -> str | None:
        key = self._key(chat_id)
        row = await self._db.fetch_one(
            "SELECT language FROM languages WHERE person_key = ?", (key,))
        return LANGUAGE.open(self._keys, row["language"], key) if row else None

    async def set(self, chat_id: int, language: str, now: int) -> None:
        key = self._key(chat_id)
        sealed = LANGUAGE.seal(self._keys, language, key)
        await self._db.write(
            "INSERT INTO languages (person_key, language, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (person_key) DO UPDATE SET language = excluded.language, "
            "updated_at = excluded.updated_at", (key, sealed, now))

    async def forget(self, chat_id: int) -> None:
        await self._db.write("DELETE FROM languages WHERE person_key = ?",
                             (self._key(chat_id),))
