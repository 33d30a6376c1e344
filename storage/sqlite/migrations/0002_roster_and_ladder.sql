-- The on-call roster and the escalation ladder. Every deadline lives here, so a restart
-- rebuilds every timer from the database and a step is taken by a conditional UPDATE.

ALTER TABLE peers ADD COLUMN on_call_since INTEGER;
ALTER TABLE peers ADD COLUMN on_call_until INTEGER;                 -- NULL: off call
ALTER TABLE peers ADD COLUMN on_call_reminded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN agency TEXT;                           -- from /agency, optional

-- When the request (re)entered the queue: ladder delays count from here.
ALTER TABLE requests ADD COLUMN queued_at INTEGER;
-- When the next ladder step is due; NULL once the last step ran or the request left the queue.
ALTER TABLE requests ADD COLUMN next_step_at INTEGER;
-- The claiming peer's silence check: 0 none yet, 1 reminded, and when their last message was.
ALTER TABLE requests ADD COLUMN peer_reminded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN peer_last_message_at INTEGER;
-- Any message either way, for closing conversations silent on both sides.
ALTER TABLE requests ADD COLUMN last_activity_at INTEGER;
CREATE INDEX requests_next_step ON requests (state, next_step_at);

-- Claim notices sent to on-call peers in private, so they can be rewritten when the request
-- is claimed or closed (as the group card is).
CREATE TABLE notices (
    request_id TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (request_id, chat_id, message_id)
);
