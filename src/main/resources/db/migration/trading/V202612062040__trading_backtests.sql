-- Issue 27: a backtest answers at most 1,000 of its trades; GET /api/trading/backtests/{id}/trades.csv
-- streams all of them by running the same backtest again (it is a function of its inputs alone). Kept here
-- is what it ran on, never its trades: the strategy and its params as a bot stores them, the rest of the
-- inputs with the fee and slippage it used, and the candles as given (Binance kline CSV) unless they were
-- generated. The same inputs asked again by their owner are the same backtest (fingerprint: SHA-256 of all
-- of them). The newest 10 asked of each owner are kept; older ones go when another is stored.
CREATE TABLE trading_backtests (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id      bigint      NOT NULL,
    fingerprint   bytea       NOT NULL,
    strategy      text        NOT NULL,
    params        jsonb       NOT NULL,
    inputs        jsonb       NOT NULL,
    candles       text,
    trades_total  integer     NOT NULL,
    asked_at      timestamptz NOT NULL,
    UNIQUE (owner_id, fingerprint)
);
