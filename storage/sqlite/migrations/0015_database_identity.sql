-- Facts about the database itself, checked at every start (storage/integrity.py): a random id,
-- also written to `<database>.id` beside it, so a deleted or swapped file is noticed; and an
-- HMAC of a fixed text under INDEX_KEY, so a replaced INDEX_KEY is named at start. Written at
-- the first start that finds them missing.
CREATE TABLE IF NOT EXISTS identity (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
