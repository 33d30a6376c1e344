-- Who is waiting on a row: 0 the person the bot is answering or writing to (a reply, a
-- relayed message), 1 the team (cards, on-call notices, the digest), 2 tidying (taking the
-- buttons off an old message). When Telegram's overall limit holds messages back, the sender
-- delivers chats in this order, each chat still in its own order, so a burst of requests
-- does not keep a responder waiting for their acknowledgement behind notices to peers.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
