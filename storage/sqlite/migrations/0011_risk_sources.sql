-- Why a request is high risk, set once with high_risk: 'screen' (the crisis screen read risk in
-- a message), 'answer' (the responder said Yes or Not sure to the safety question) or 'peer'
-- (the claiming peer used /urgent). Rows flagged before this column existed were all 'screen'.
ALTER TABLE requests ADD COLUMN risk_source TEXT;
UPDATE requests SET risk_source = 'screen' WHERE high_risk = 1;
-- Weak signals of risk add up across a responder's messages and fade with time: the level
-- after their last message, and when that was. A number only: never what they wrote.
ALTER TABLE requests ADD COLUMN risk_level REAL NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN risk_level_at INTEGER;
