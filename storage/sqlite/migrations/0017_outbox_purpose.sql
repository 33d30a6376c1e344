-- What an outbox row is for, in columns instead of one string to parse (storage/outbox.py,
-- `Purpose`): purpose_kind (relay, card, notice, digest, resend_notice, request), the request
-- it names (how /forget and the retention purge find a request's rows), who wrote a relayed
-- message, and `ref` (which stored message a relay is, a digest's page, a Send again notice's
-- batch).
ALTER TABLE outbox ADD COLUMN purpose_kind TEXT;
ALTER TABLE outbox ADD COLUMN purpose_request TEXT;
ALTER TABLE outbox ADD COLUMN purpose_sender TEXT;
ALTER TABLE outbox ADD COLUMN purpose_ref TEXT;

-- Rows stored before: the old string split here, once. First its kind, and the rest (in
-- purpose_ref until it is split further).
UPDATE outbox SET purpose_kind = substr(purpose, 1, instr(purpose, ':') - 1),
                  purpose_ref = substr(purpose, instr(purpose, ':') + 1)
 WHERE instr(purpose, ':') > 0;
-- card:<request>, notice:<request>
UPDATE outbox SET purpose_request = purpose_ref, purpose_ref = NULL
 WHERE purpose_kind IN ('card', 'notice');
-- digest:<page> ("digest:" was page 0)
UPDATE outbox SET purpose_ref = NULLIF(purpose_ref, '') WHERE purpose_kind = 'digest';
-- relay:<request>:<sender>[:<ref>] and again:<request>:<batch>: the request first...
UPDATE outbox
   SET purpose_request = CASE WHEN instr(purpose_ref, ':') > 0
                              THEN substr(purpose_ref, 1, instr(purpose_ref, ':') - 1)
                              ELSE purpose_ref END,
       purpose_ref = CASE WHEN instr(purpose_ref, ':') > 0
                          THEN substr(purpose_ref, instr(purpose_ref, ':') + 1) END
 WHERE purpose_kind IN ('relay', 'again');
-- ...then a relay's sender and the message it was
UPDATE outbox
   SET purpose_sender = CASE WHEN instr(purpose_ref, ':') > 0
                             THEN substr(purpose_ref, 1, instr(purpose_ref, ':') - 1)
                             ELSE purpose_ref END,
       purpose_ref = CASE WHEN instr(purpose_ref, ':') > 0
                          THEN NULLIF(substr(purpose_ref, instr(purpose_ref, ':') + 1), '') END
 WHERE purpose_kind = 'relay';
UPDATE outbox SET purpose_kind = 'resend_notice' WHERE purpose_kind = 'again';
-- A row made in an escalation step is keyed s<request>.<queued at>.<step>...: it goes with
-- that request too (new ones get the request from their send scope).
UPDATE outbox SET purpose_request = substr(row_key, 2, instr(row_key, '.') - 2),
                  purpose_kind = coalesce(purpose_kind, 'request')
 WHERE substr(row_key, 1, 1) = 's' AND instr(row_key, '.') > 2 AND purpose_request IS NULL;

ALTER TABLE outbox DROP COLUMN purpose;
CREATE INDEX outbox_purpose_request ON outbox (purpose_request)
    WHERE purpose_request IS NOT NULL;
