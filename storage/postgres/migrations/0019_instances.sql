-- Several instances of the bot on one database (SQLite's 0019 says more): who is alive, who
-- holds an update or a row being sent, and each update's lane (a keyed index of its chat).
CREATE TABLE instances (
    id         TEXT   PRIMARY KEY,
    started_at BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL
);
ALTER TABLE inbox ADD COLUMN owner TEXT;
ALTER TABLE inbox ADD COLUMN lane_key TEXT;
CREATE INDEX inbox_lane ON inbox (lane_key, update_id) WHERE done_at IS NULL;
ALTER TABLE outbox ADD COLUMN owner TEXT;
CREATE INDEX outbox_sending ON outbox (chat_key) WHERE state = 'sending';
-- Periodic work runs on one instance at a time: the one that takes its lease for the period.
CREATE TABLE job_leases (
    name  TEXT   PRIMARY KEY,
    owner TEXT   NOT NULL,
    until BIGINT NOT NULL
);
