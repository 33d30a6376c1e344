-- Hand-overs (/transfer ALIAS, bot/requests/transfers.py). A peer holding a conversation
-- offers it to another peer, who must accept before it moves: the pending offer is these
-- columns of the request, so it survives a restart. `transfer_from` offered it to
-- `transfer_to` at `transfer_offered_at`; an offer counts only while its conversation is
-- still claimed by `transfer_from` (and was not released and claimed again since), and for
-- TRANSFER_OFFER_SECONDS. Peer ids and a time only: nothing sealed, nothing about the
-- responder; they go with the request (/forget, and an accepted or declined offer clears them).
ALTER TABLE requests ADD COLUMN transfer_from INTEGER;
ALTER TABLE requests ADD COLUMN transfer_to INTEGER;
ALTER TABLE requests ADD COLUMN transfer_offered_at INTEGER;
