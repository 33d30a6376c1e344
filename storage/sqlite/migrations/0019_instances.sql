-- Several instances of the bot on one database (PostgreSQL, webhook mode: storage/instances.py).
-- Each says it is alive in `instances` every few seconds; what one holds (an update it handles,
-- a row it sends) names it as `owner`, so that another takes over what a dead one left; and an
-- update's `lane_key` (the keyed index of the chat it belongs to, never the chat) keeps one
-- chat's updates in order across instances. One instance alone uses them the same way.
CREATE TABLE instances (
    id         TEXT    PRIMARY KEY,
    started_at INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL
);
ALTER TABLE inbox ADD COLUMN owner TEXT;
ALTER TABLE inbox ADD COLUMN lane_key TEXT;
CREATE INDEX inbox_lane ON inbox (lane_key, update_id) WHERE done_at IS NULL;
ALTER TABLE outbox ADD COLUMN owner TEXT;
CREATE INDEX outbox_sending ON outbox (chat_key) WHERE state = 'sending';
-- Periodic work (the sweep, the retention purge) runs on one instance at a time: the one that
-- takes its lease for the period.
CREATE TABLE job_leases (
    name  TEXT    PRIMARY KEY,
    owner TEXT    NOT NULL,
    until INTEGER NOT NULL
);
