-- Case notes (SQLite's 0020 says more): sealed, bound to (request_id, seq), kept once per
-- source message, erased with their request.
CREATE TABLE notes (
    request_id TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    body       BYTEA   NOT NULL,
    source     TEXT,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (request_id, seq)
);
CREATE UNIQUE INDEX notes_once ON notes (request_id, source) WHERE source IS NOT NULL;
