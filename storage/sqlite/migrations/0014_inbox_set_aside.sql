-- An update that cannot be handled (it does not parse, or handling it raises past the error
-- handler) is set aside instead of stopping the bot: kept sealed for a week, counted, never
-- handled again.
ALTER TABLE inbox ADD COLUMN set_aside_at INTEGER;
ALTER TABLE inbox ADD COLUMN set_aside_reason TEXT;
