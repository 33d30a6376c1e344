-- The language each person reads: chosen from Telegram's language_code on first contact or
-- with /language. Keyed by a blind index of the private chat, sealed like other responder data.
CREATE TABLE languages (
    person_key TEXT    PRIMARY KEY,   -- keyed HMAC of the private chat id (= the user's id)
    language   BLOB    NOT NULL,      -- sealed language code: en, es, fr
    updated_at INTEGER NOT NULL
);

-- The languages a peer speaks (/languages es,en): requests in one of them reach them first.
ALTER TABLE peers ADD COLUMN languages TEXT;
