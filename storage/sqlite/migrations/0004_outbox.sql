-- The outbox: every message and edit the bot makes for a chat is a row first. A sender
-- delivers rows in per-chat order, honours flood waits and retries network errors; after a
-- restart unsent rows go out and sent rows do not. Chat ids and contents are sealed; chat_key
-- (a keyed HMAC of the chat id) orders rows per chat without revealing it.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    row_key     TEXT    NOT NULL UNIQUE,   -- binds the seals to this row; u<update>.<n> for
                                           -- the n-th send while handling an update, so
                                           -- handling it again after a crash sends nothing twice
    chat_key    TEXT    NOT NULL,
    chat        BLOB    NOT NULL,          -- sealed chat id
    method      TEXT    NOT NULL,          -- sendMessage, copyMessage, editMessageText, ...
    payload     BLOB    NOT NULL,          -- sealed JSON of the call's parameters
    purpose     TEXT,                      -- card:<request>, notice:<request>, relay:<request>:<who>
    relayed     INTEGER NOT NULL DEFAULT 0,-- a person's words: never blindly repeated
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  REAL    NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    done_at     INTEGER,
    message_id  INTEGER                    -- what Telegram answered, once sent
);
CREATE INDEX outbox_pending ON outbox (chat_key, id) WHERE state = 'pending';
