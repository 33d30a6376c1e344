"""Encryption at rest and the blind index.

- `seal`/`open_sealed`: AES-256-GCM with the row's identity as associated data, so a
  ciphertext copied into another row or column fails to decrypt. The first key encrypts; every
  listed key decrypts, so a new key can be put first and old rows re-encrypted later.
- `blind_index`: a keyed HMAC of an identifier (a responder's Telegram id), so their rows can be
  found without the id ever being stored.

Sealed format: version (1 byte) | key id (4 bytes) | nonce (12 bytes) | ciphertext+tag.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"
_KEY_ID_BYTES = 4
_NONCE_BYTES = 12
_HEADER_BYTES = 1 + _KEY_ID_BYTES + _NONCE_BYTES


class DecryptionError(Exception):
    """A sealed value could not be opened: unknown key, wrong row, or tampered bytes."""


def key_id(key: bytes) -> bytes:
    """A short, non-secret fingerprint naming which key sealed a value."""
    return hashlib.sha256(b"peer-support key id" + key).digest()[:_KEY_ID_BYTES]


class Keyring:
    def __init__(self, encryption_keys: Sequence[bytes], index_key: bytes) -> None:
        if not encryption_keys:
            raise ValueError("at least one encryption key is needed")
        self._ciphers = {key_id(k): AESGCM(k) for k in encryption_keys}
        self._current = key_id(encryption_keys[0])
        self._positions = {key_id(k): n for n, k in enumerate(encryption_keys, start=1)}
        self._index_key = index_key

    def sealed_with(self, sealed: bytes) -> int | None:
        """Which key of ENCRYPTION_KEYS (1 = the first) sealed this value; None if none of
        them did (a key that was removed)."""
        return self._positions.get(sealed[1 : 1 + _KEY_ID_BYTES])

    def seal(self, plaintext: str, aad: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        body = self._ciphers[self._current].encrypt(nonce, plaintext.encode(), aad.encode())
        return _VERSION + self._current + nonce + body

    def open_sealed(self, sealed: bytes, aad: str) -> str:
        if len(sealed) < _HEADER_BYTES or sealed[:1] != _VERSION:
            raise DecryptionError("not a sealed value")
        cipher = self._ciphers.get(sealed[1 : 1 + _KEY_ID_BYTES])
        if cipher is None:
            raise DecryptionError("sealed under a key that is not in ENCRYPTION_KEYS")
        nonce = sealed[1 + _KEY_ID_BYTES : _HEADER_BYTES]
        try:
            return cipher.decrypt(nonce, sealed[_HEADER_BYTES:], aad.encode()).decode()
        except InvalidTag as exc:
            raise DecryptionError("authentication failed (wrong row or tampered)") from exc

    def blind_index(self, kind: str, value: int | str) -> str:
        message = f"{kind}:{value}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()
