"""Sealing is authenticated and bound to its row; the blind index is keyed and stable."""

from __future__ import annotations

import secrets

import pytest

from storage.crypto import DecryptionError, Keyring


def keyring(*keys: bytes, index: bytes = b"i" * 32) -> Keyring:
    return Keyring(list(keys), index)


def test_round_trip_and_ciphertext_reveals_nothing() -> None:
    ring = keyring(secrets.token_bytes(32))
    sealed = ring.seal("I keep seeing it", "messages:abc:1")
    assert b"seeing" not in sealed
    assert ring.open_sealed(sealed, "messages:abc:1") == "I keep seeing it"
    assert ring.seal("same", "x") != ring.seal("same", "x")  # fresh nonce each time


def test_a_ciphertext_moved_to_another_row_fails() -> None:
    ring = keyring(secrets.token_bytes(32))
    sealed = ring.seal("text", "messages:abc:1")
    with pytest.raises(DecryptionError):
        ring.open_sealed(sealed, "messages:abc:2")


def test_tampering_is_detected() -> None:
    ring = keyring(secrets.token_bytes(32))
    sealed = bytearray(ring.seal("text", "row"))
    sealed[-1] ^= 1
    with pytest.raises(DecryptionError):
        ring.open_sealed(bytes(sealed), "row")


def test_rotation_new_key_first_old_rows_still_open() -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    sealed_old = keyring(old).seal("before", "row")
    rotated = keyring(new, old)
    assert rotated.open_sealed(sealed_old, "row") == "before"
    sealed_new = rotated.seal("after", "row")
    assert keyring(new).open_sealed(sealed_new, "row") == "after"
    with pytest.raises(DecryptionError, match="not in ENCRYPTION_KEYS"):
        keyring(new).open_sealed(sealed_old, "row")


def test_blind_index_depends_on_the_key() -> None:
    a, b = keyring(secrets.token_bytes(32), index=b"a" * 32), keyring(
        secrets.token_bytes(32), index=b"b" * 32)
    assert a.blind_index("responder", 42) == a.blind_index("responder", 42)
    assert a.blind_index("responder", 42) != b.blind_index("responder", 42)
    assert "42" not in a.blind_index("responder", 42)
