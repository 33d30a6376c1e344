-- Coordinator statistics. A release resets claimed_at and the ladder's step counter, so what
-- the statistics need is kept apart: when a peer first claimed the request, and the highest
-- escalation step it ever reached.
ALTER TABLE requests ADD COLUMN first_claimed_at INTEGER;
ALTER TABLE requests ADD COLUMN max_escalation_step INTEGER NOT NULL DEFAULT 0;
UPDATE requests SET first_claimed_at = claimed_at, max_escalation_step = escalation_step;
CREATE INDEX requests_opened ON requests (opened_at);

-- A coordinator can revoke a peer (/removepeer): the row stays (requests and the audit log
-- refer to it) but the peer is no longer one, and cannot register again by /start.
ALTER TABLE peers ADD COLUMN removed_at INTEGER;

-- Referrals a peer made with /refer: one per pick in a picker message (a double tap sends
-- one), and the responder's one answer to "help me contact them?".
CREATE TABLE referrals (
    id                INTEGER PRIMARY KEY,
    request_id        TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    entry_id          TEXT    NOT NULL,   -- a directory id from the resources file
    peer_id           INTEGER NOT NULL,
    picker_message_id INTEGER NOT NULL,
    sent_at           INTEGER NOT NULL,
    answer            TEXT CHECK (answer IN ('help', 'self')),
    answered_at       INTEGER,
    UNIQUE (request_id, picker_message_id)
);
