-- The team's alert about a high-risk request (bot/safety/risk.py `alert`), marked done once
-- its work is: a process that dies between marking the request high risk and alerting the team
-- leaves it 0, and doing the update's work again (or any later work on the request) alerts
-- then. The alert's messages are keyed by the request, so two runs send each once. Requests
-- already flagged were alerted when they were flagged.
ALTER TABLE requests ADD COLUMN risk_alerted INTEGER NOT NULL DEFAULT 0;
UPDATE requests SET risk_alerted = 1 WHERE high_risk = 1;
