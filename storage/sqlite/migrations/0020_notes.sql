-- Case notes (storage/notes.py): what a peer writes about a conversation they hold, for
-- whoever holds it next, never shown to the responder. `body` is sealed JSON (the text and
-- the alias of the peer who wrote it), bound to (request_id, seq) like a message's; `source`
-- is the keyed index of the /note message it came from, so one handled again after a crash
-- is kept once. Erased with the request: /forget (foreign key) and the retention purge.
CREATE TABLE notes (
    request_id TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    body       BLOB    NOT NULL,
    source     TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (request_id, seq)
);
CREATE UNIQUE INDEX notes_once ON notes (request_id, source) WHERE source IS NOT NULL;
