-- The deadlines of claimed conversations, found without reading (or decrypting) every one:
-- the sweep asks only for those due, and the single follow-up timer for the earliest.
-- A peer who has not written yet: reminded at claimed_at + the reply wait, released at twice.
CREATE INDEX requests_peer_silent ON requests (peer_reminded, claimed_at)
    WHERE state = 'claimed' AND peer_last_message_at IS NULL;
-- A conversation quiet on both sides: closed INACTIVITY_HOURS after its last message. `state`
-- leads so that SQLite, without statistics, prefers this index to requests_next_step.
CREATE INDEX requests_idle ON requests (state, COALESCE(last_activity_at, claimed_at))
    WHERE state = 'claimed';
