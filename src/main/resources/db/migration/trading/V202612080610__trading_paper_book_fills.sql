-- Issue 32: where a paper fill's price came from: order_book (walked from the exchange's public order book, the
-- slippage capped) or close (the deciding candle's close and the fixed slippage). Null for an exchange's own
-- fills and manual trades.
ALTER TABLE trading_trades ADD COLUMN price_source text CHECK (price_source IN ('order_book', 'close'));
