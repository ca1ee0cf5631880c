-- Issue 17: risk settings on bots and the state their exits and protections need.
-- risk: the settings as given (stop_loss, take_profit, trailing_stop, trailing_offset, max_drawdown,
-- cooldown_minutes, position_sizing, starting_balance), '{}' for none.
-- entry_price: the average fill price of the open position; high_water: the highest high since the entry
-- (the trailing stop's reference); realized_total: the bot's realized PnL so far (equity without a sum);
-- peak_equity: the highest equity seen at a close (max_drawdown's reference; null until the next tick);
-- cooldown_until: no buy before it (after a stop); status_reason: why the bot paused itself (max-drawdown).
ALTER TABLE trading_bots
    ADD COLUMN risk           jsonb           NOT NULL DEFAULT '{}',
    ADD COLUMN entry_price    numeric(38, 18),
    ADD COLUMN high_water     numeric(38, 18),
    ADD COLUMN realized_total numeric(38, 18) NOT NULL DEFAULT 0,
    ADD COLUMN peak_equity    numeric(38, 18),
    ADD COLUMN cooldown_until timestamptz,
    ADD COLUMN status_reason  text;

UPDATE trading_bots b
SET realized_total = coalesce((SELECT sum(realized_pnl) FROM trading_trades t WHERE t.bot_id = b.id), 0),
    entry_price = CASE WHEN position_quantity > 0 THEN round(position_cost / position_quantity, 18) END,
    high_water = CASE WHEN position_quantity > 0 THEN round(position_cost / position_quantity, 18) END;

-- Why a bot's sell closed its position; null for buys and manual trades.
ALTER TABLE trading_trades
    ADD COLUMN exit_reason text
        CHECK (exit_reason IN ('signal', 'stop_loss', 'take_profit', 'trailing_stop', 'max_drawdown'));

-- Why a pending sell was sent, so that a sell settled on a later run records its exit reason too.
ALTER TABLE trading_orders ADD COLUMN exit_reason text;
