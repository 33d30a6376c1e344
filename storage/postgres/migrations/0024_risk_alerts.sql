-- The team's alert about a high-risk request, marked done once its work is (SQLite's 0024 says
-- more); requests already flagged were alerted when they were flagged.
ALTER TABLE requests ADD COLUMN risk_alerted INTEGER NOT NULL DEFAULT 0;
UPDATE requests SET risk_alerted = 1 WHERE high_risk = 1;
