-- The hand-off spine: peers, requests, their messages and anonymous feedback.
-- Secrets are never stored in the clear: responder_chat, intake and message bodies are
-- AES-GCM sealed with the row's identity as associated data; responder_index is a keyed HMAC.

CREATE TABLE peers (
    user_id            INTEGER PRIMARY KEY,   -- a peer's Telegram id (peers are known to the team)
    alias              TEXT    NOT NULL,      -- the only name responders ever see
    current_request_id TEXT,                  -- where the peer's private messages go
    registered_at      INTEGER NOT NULL,
    last_active_at     INTEGER NOT NULL
);

CREATE TABLE requests (
    id              TEXT    PRIMARY KEY,      -- random; never shown to anyone
    code            TEXT    NOT NULL UNIQUE,  -- R-7K4Q, what people see
    responder_index TEXT    NOT NULL,         -- HMAC blind index of the responder's Telegram id
    responder_chat  BLOB    NOT NULL,         -- sealed chat id to reply to
    state           TEXT    NOT NULL CHECK (state IN ('intake', 'open', 'claimed', 'closed')),
    intake_step     TEXT    NOT NULL DEFAULT 'urgency',
    intake          BLOB    NOT NULL,         -- sealed JSON of the intake answers
    peer_id         INTEGER REFERENCES peers (user_id),
    card_message_id INTEGER,                  -- the card in the peer group
    escalation_step INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    opened_at       INTEGER,
    claimed_at      INTEGER,
    closed_at       INTEGER,
    closed_by       TEXT CHECK (closed_by IN ('responder', 'peer', 'inactivity'))
);
-- One live request per responder: a second /start shows the open one instead.
CREATE UNIQUE INDEX requests_one_live_per_responder
    ON requests (responder_index) WHERE state != 'closed';
CREATE INDEX requests_by_peer ON requests (peer_id, state);

CREATE TABLE messages (
    request_id TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,              -- order within the request, bound into the seal
    sender     TEXT    NOT NULL CHECK (sender IN ('responder', 'peer')),
    kind       TEXT    NOT NULL CHECK (kind IN ('text', 'media')),
    body       BLOB    NOT NULL,              -- sealed JSON: the text, or where to copy media from
    source     TEXT,                          -- keyed HMAC of the Telegram message it came from
    created_at INTEGER NOT NULL,
    PRIMARY KEY (request_id, seq)
);
-- The same Telegram message (handled again after a crash) is stored once.
CREATE UNIQUE INDEX messages_once ON messages (request_id, source) WHERE source IS NOT NULL;

CREATE TABLE feedback (
    request_id TEXT    PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    created_at INTEGER NOT NULL
);
