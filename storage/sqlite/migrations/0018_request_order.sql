-- The order requests entered the queue in, for those that entered it in the same second (the
-- digests list the oldest first): a number one higher than any before, given as a request is
-- opened. It was the rowid (the order rows were made in), which only SQLite has; rows opened
-- before keep that order.
ALTER TABLE requests ADD COLUMN opened_seq INTEGER;
UPDATE requests SET opened_seq = rowid WHERE opened_at IS NOT NULL;
CREATE INDEX requests_opened_seq ON requests (opened_seq);
