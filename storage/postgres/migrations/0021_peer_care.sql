-- Peer care (SQLite's 0021 says more): a peer's pause from on-call notices after a high-risk
-- conversation, and when a request's peer asked for a debrief (once).
ALTER TABLE peers ADD COLUMN cooldown_until BIGINT;
CREATE INDEX peers_cooldown ON peers (cooldown_until) WHERE cooldown_until IS NOT NULL;
ALTER TABLE requests ADD COLUMN debrief_asked_at BIGINT;
