-- Which message an editMessageText row rewrites. Only the newest pending edit of a message is
-- worth sending (each carries the whole text): when a new one is queued, older pending ones
-- of the same message are settled without a call, so a burst of changes to the digest or a
-- card does not take the send budget from the people waiting.
ALTER TABLE outbox ADD COLUMN edits INTEGER;
