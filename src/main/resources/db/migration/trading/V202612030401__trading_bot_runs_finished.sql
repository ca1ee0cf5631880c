-- When a bot's run for a candle was done. A claim left unfinished past the runner's claim lease belongs
-- to an instance that died during its batch; another instance takes it over in the same minute.
ALTER TABLE trading_bot_runs ADD COLUMN finished_at timestamptz;
UPDATE trading_bot_runs SET finished_at = claimed_at;
CREATE INDEX trading_bot_runs_unfinished_idx ON trading_bot_runs (candle_open) WHERE finished_at IS NULL;
