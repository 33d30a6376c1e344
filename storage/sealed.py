"""Every encrypted column, declared once: sealing, opening, rotation and erasure all read it.

A value is sealed with its row's identity as associated data (storage/crypto.py), so each
column here says which key columns name the row and the label that starts the associated data
(`"requests.intake:" + id`). Repositories seal and open through these entries, never with a
string of their own; `python -m bot rotate-keys` re-seals every column listed here; and each
entry says how its values are erased, which the erasure tests check column by column.
A new sealed column is a new entry here: a test fails while a column holds
sealed values that no entry names (tests/unit/test_erasure.py,
`test_every_sealed_value_is_in_a_column_of_the_registry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.crypto import Keyring

# How a column's values go away:
# - "request": with their request (/forget, and the retention purge of closed requests, which
#   keeps `requests.intake` for the statistics);
# - "person": with the person they belong to (/forget);
# - "handled": soon after use (the inbox empties an update once it is handled, or a week after
#   it was set aside; the outbox a row's payload once it is done, and its chat a day later),
#   and at once with their request where they name one;
# - "checkin": with the follow-up check-in they serve (emptied once it is sent; the row goes
#   with /forget and with the retention purge of the conversation it follows).
Erasure = Literal["request", "person", "handled", "checkin"]


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    keys: tuple[str, ...]  # the columns that name a row, in the order of the associated data
    label: str  # the associated data's first part
    erased_with: Erasure

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    def aad(self, *row: object) -> str:
        """The associated data of the row named by `row` (the values of `keys`, in order)."""
        if len(row) != len(self.keys):
            raise ValueError(f"{self.name} is named by {', '.join(self.keys)}")
        return ":".join([self.label, *(str(part) for part in row)])

    def seal(self, keyring: Keyring, plaintext: str, *row: object) -> bytes:
        return keyring.seal(plaintext, self.aad(*row))

    def open(self, keyring: Keyring, sealed: bytes, *row: object) -> str:
        """Raises DecryptionError if no key opens it, or it belongs to another row."""
        return keyring.open_sealed(sealed, self.aad(*row))


REQUEST_CHAT = SealedColumn("requests", "responder_chat", ("id",), "requests.responder_chat",
                            "request")
REQUEST_INTAKE = SealedColumn("requests", "intake", ("id",), "requests.intake", "request")
MESSAGE_BODY = SealedColumn("messages", "body", ("request_id", "seq"), "messages", "request")
INBOX_UPDATE = SealedColumn("inbox", "body", ("update_id",), "inbox", "handled")
OUTBOX_CHAT = SealedColumn("outbox", "chat", ("row_key",), "outbox.chat", "handled")
OUTBOX_PAYLOAD = SealedColumn("outbox", "payload", ("row_key",), "outbox.payload", "handled")
LANGUAGE = SealedColumn("languages", "language", ("person_key",), "languages", "person")
NOTE_BODY = SealedColumn("notes", "body", ("request_id", "seq"), "notes", "request")
CHECKIN_CONTACT = SealedColumn("checkins", "contact", ("id",), "checkins.contact", "checkin")

SEALED: tuple[SealedColumn, ...] = (
    REQUEST_CHAT, REQUEST_INTAKE, MESSAGE_BODY, INBOX_UPDATE, OUTBOX_CHAT, OUTBOX_PAYLOAD,
    LANGUAGE, NOTE_BODY, CHECKIN_CONTACT)
