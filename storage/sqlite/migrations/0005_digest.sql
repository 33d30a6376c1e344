-- Under Telegram's group flood limit, new requests are listed in one digest message in the
-- peer group (edited as requests come and go) instead of one card each.
ALTER TABLE requests ADD COLUMN in_digest INTEGER NOT NULL DEFAULT 0;

CREATE TABLE digests (
    chat_id    INTEGER PRIMARY KEY,
    message_id INTEGER,            -- NULL while its first send is queued
    sending    INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
