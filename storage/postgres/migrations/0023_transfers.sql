-- Hand-overs (SQLite's 0023 says more): a pending /transfer offer of a claimed conversation,
-- from one peer to another, and when it was made. Peer ids and a time only, nothing sealed.
ALTER TABLE requests ADD COLUMN transfer_from BIGINT;
ALTER TABLE requests ADD COLUMN transfer_to BIGINT;
ALTER TABLE requests ADD COLUMN transfer_offered_at BIGINT;
