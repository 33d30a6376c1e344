-- Follow-up check-ins (SQLite's 0022 says more): one per conversation (`source`, a keyed
-- hash), the responder's blind index, their chat and language sealed (emptied once sent), the
-- previous peer, and the deadline, taken by one conditional UPDATE before sending.
CREATE TABLE checkins (
    id              TEXT    PRIMARY KEY,
    source          TEXT    NOT NULL UNIQUE,
    responder_index TEXT    NOT NULL,
    contact         BYTEA   NOT NULL,
    peer_id         BIGINT,
    ended_at        BIGINT  NOT NULL,
    chosen_at       BIGINT  NOT NULL,
    due_at          BIGINT,
    sent_at         BIGINT,
    answer          TEXT,
    answered_at     BIGINT
);
CREATE INDEX checkins_due ON checkins (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX checkins_responder ON checkins (responder_index);
CREATE INDEX checkins_ended ON checkins (ended_at);
