-- Peer care (bot/team/care.py). After closing a high-risk conversation a peer gets a pause
-- from on-call notices until `cooldown_until` (PEER_COOLDOWN_MINUTES; NULL: no pause, or it
-- has ended and they were told). A request remembers when its peer asked for a debrief, so
-- the button works once; the row goes with the request (/forget), and /stats counts the
-- audit log's `debrief_asked` entries instead.
ALTER TABLE peers ADD COLUMN cooldown_until INTEGER;
CREATE INDEX peers_cooldown ON peers (cooldown_until) WHERE cooldown_until IS NOT NULL;
ALTER TABLE requests ADD COLUMN debrief_asked_at INTEGER;
