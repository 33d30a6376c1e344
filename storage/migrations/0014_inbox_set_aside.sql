-- An update that cannot be handled (it does not parse, or handling it killed the process
-- again and again) is set aside instead of stopping the bot: kept sealed for a while, counted,
-- never handled again. `attempts` counts the times handling began again after a start (a
-- crash loop shows as a growing count).
ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inbox ADD COLUMN set_aside_at INTEGER;
ALTER TABLE inbox ADD COLUMN set_aside_reason TEXT;
