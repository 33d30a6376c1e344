-- The order requests entered the queue in, for those that entered it in the same second (the
-- digests list the oldest first): a number one higher than any before, given as a request is
-- opened (SQLite's 0018 says more). Rows opened before are numbered in the order they were
-- opened, then made.
ALTER TABLE requests ADD COLUMN opened_seq BIGINT;
UPDATE requests SET opened_seq = numbered.n
  FROM (SELECT id, row_number() OVER (ORDER BY opened_at, created_at, id) AS n
          FROM requests WHERE opened_at IS NOT NULL) AS numbered
 WHERE requests.id = numbered.id;
CREATE INDEX requests_opened_seq ON requests (opened_seq);
