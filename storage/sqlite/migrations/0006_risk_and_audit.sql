-- Crisis triage: a request whose responder wrote something the screen flags is high risk
-- from then on (its card says "urgent"); when the crisis line was last sent to them, so a
-- responder who keeps writing about it is not sent the same message after every line.
ALTER TABLE requests ADD COLUMN high_risk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN crisis_sent_at INTEGER;

-- Who did what, when: claims, releases, closes, referrals, concerns. Never content, never a
-- responder's identity: the actor is a peer or coordinator (by Telegram id, shown by alias),
-- or 'responder'/'system' with no id. /forget clears the request columns of its rows.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,     -- peer | coordinator | responder | system
    actor_id     INTEGER,           -- a peer's or coordinator's Telegram id; never a responder's
    action       TEXT NOT NULL,     -- claim | release | close | referral | concern | ...
    request_id   TEXT,
    request_code TEXT,
    detail       TEXT               -- a directory entry id or an outcome; never free text
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_request ON audit (request_id);
