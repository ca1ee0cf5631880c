-- Issue 32, orders on the chart: a bot's limit orders not done yet (pending or open) are read by bot for its chart
-- and by the runner on each of its runs; the open orders were indexed only by their expiry.
CREATE INDEX trading_orders_standing_idx ON trading_orders (bot_id) WHERE status IN ('pending', 'open');
