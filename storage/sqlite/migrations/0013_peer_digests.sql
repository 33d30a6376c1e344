-- While an on-call peer's private chat is busy (Telegram: about one message a second into one
-- chat), new requests are listed in a digest of that peer's own instead of a notice each.
--
-- A digest may run to several messages, its pages: a message holds at most 100 buttons and
-- 4,096 characters, and a burst of hundreds of requests must all stay claimable. `digests`
-- gains the page (the group's digest is page 0 of the group's chat).
CREATE TABLE digests_paged (
    chat_id    INTEGER NOT NULL,
    page       INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER,            -- NULL while its first send is queued
    sending    INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, page)
);
INSERT INTO digests_paged (chat_id, page, message_id, sending, updated_at)
    SELECT chat_id, 0, message_id, sending, updated_at FROM digests;
DROP TABLE digests;
ALTER TABLE digests_paged RENAME TO digests;

-- Which requests each peer's digest lists, and on which page. (The group's digest lists the
-- requests flagged `in_digest`.)
CREATE TABLE digest_entries (
    chat_id    INTEGER NOT NULL,
    request_id TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    page       INTEGER NOT NULL,
    PRIMARY KEY (chat_id, request_id)
);
CREATE INDEX digest_entries_request ON digest_entries (request_id);
CREATE INDEX digest_entries_page ON digest_entries (chat_id, page);
