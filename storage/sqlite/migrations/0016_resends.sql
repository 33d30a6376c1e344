-- Send again: a relayed message whose delivery is uncertain (its call timed out after it may
-- have left) or that failed in the end is named to the person who wrote it, with a Send again
-- button. A row holds none of the message (its words stay sealed in `messages`) and no chat
-- id: the writer is found from the request, and their chat's keyed HMAC says that only they
-- can press the button.
CREATE TABLE resends (
    token      TEXT    PRIMARY KEY,          -- random; the button's only data
    request_id TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,             -- which message of the request
    sender     TEXT    NOT NULL CHECK (sender IN ('responder', 'peer')),
    chat_key   TEXT    NOT NULL,             -- keyed HMAC of the writer's chat
    state      TEXT    NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'offered', 'resent')),
    batch      TEXT,                         -- the notice naming it: one per stall and writer
    held_at    INTEGER NOT NULL,
    done_at    INTEGER,                      -- when it was sent again
    UNIQUE (request_id, seq)
);
CREATE INDEX resends_held ON resends (request_id, sender) WHERE state = 'held';
CREATE INDEX resends_batch ON resends (batch);
