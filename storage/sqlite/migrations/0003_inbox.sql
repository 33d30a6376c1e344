-- The inbox: every update is stored (sealed) before Telegram is told it arrived, then
-- processed from here and marked done. update_id is unique, so a redelivered update is
-- processed once.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    body        BLOB    NOT NULL,   -- sealed JSON of the update
    received_at INTEGER NOT NULL,
    done_at     INTEGER             -- NULL until processed
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE done_at IS NULL;
