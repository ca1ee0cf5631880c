-- Issue 32: what each user downloaded into the candle store per UTC day (POST /api/trading/candles/download), so
-- that one user cannot fill the shared store or spend the exchange's request weight without bound. Rows older than
-- yesterday are removed by the candle housekeeping.
CREATE TABLE trading_candle_downloads (
    owner_id bigint NOT NULL,
    day      date   NOT NULL,
    candles  bigint NOT NULL CHECK (candles >= 0),
    PRIMARY KEY (owner_id, day)
);
