-- Follow-up check-ins (bot/requests/checkins.py, storage/checkins.py): a responder who chose,
-- at the end of a conversation, to be checked on later. Nothing of the conversation is kept
-- for it: `source` is a keyed hash of the conversation (one check-in per conversation, without
-- naming it), `responder_index` the responder's blind index (for /forget and their presses),
-- `contact` their chat id and language sealed together (emptied once the check-in is sent),
-- `peer_id` the peer who held the conversation, offered a "Talk to a peer again" first (NULL
-- once answered). `ended_at` is when the conversation ended: the retention purge deletes
-- the row with the conversation's content. `due_at` is the deadline (NULL once taken: the
-- conditional UPDATE that takes it happens before anything is sent).
CREATE TABLE checkins (
    id              TEXT    PRIMARY KEY,
    source          TEXT    NOT NULL UNIQUE,
    responder_index TEXT    NOT NULL,
    contact         BLOB    NOT NULL,
    peer_id         INTEGER,
    ended_at        INTEGER NOT NULL,
    chosen_at       INTEGER NOT NULL,
    due_at          INTEGER,
    sent_at         INTEGER,
    answer          TEXT,
    answered_at     INTEGER
);
CREATE INDEX checkins_due ON checkins (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX checkins_responder ON checkins (responder_index);
CREATE INDEX checkins_ended ON checkins (ended_at);
