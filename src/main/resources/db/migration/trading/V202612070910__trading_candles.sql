-- Issue 32: one candle store for every exchange, filled once per symbol and interval per tick across all bots and
-- instances (the live feed), by downloads, and by tests; read by bots, charts and backtests. The paper exchange's
-- recorded candles were Binance's: they move in as such.
CREATE TABLE trading_candles (
    exchange        text          NOT NULL CHECK (exchange IN ('binance', 'btcturk')),
    symbol          text          NOT NULL,
    candle_interval text          NOT NULL,
    open_time       timestamptz   NOT NULL,
    open            numeric(38, 18) NOT NULL,
    high            numeric(38, 18) NOT NULL,
    low             numeric(38, 18) NOT NULL,
    close           numeric(38, 18) NOT NULL,
    volume          numeric(38, 18) NOT NULL,
    PRIMARY KEY (exchange, symbol, candle_interval, open_time)
);

INSERT INTO trading_candles (exchange, symbol, candle_interval, open_time, open, high, low, close, volume)
SELECT 'binance', symbol, candle_interval, open_time, open, high, low, close, volume FROM trading_paper_candles;

DROP TABLE trading_paper_candles;

-- A bot's exchange (a keyed bot's is its key's) and price feed. Bots that existed traded the random walk where no
-- candles were recorded: they keep it; a new bot's feed is chosen by the API (live for paper bots).
ALTER TABLE trading_bots
    ADD COLUMN exchange   text NOT NULL DEFAULT 'binance' CHECK (exchange IN ('binance', 'btcturk')),
    ADD COLUMN price_feed text NOT NULL DEFAULT 'generated' CHECK (price_feed IN ('live', 'generated', 'replay'));
ALTER TABLE trading_bots ALTER COLUMN price_feed SET DEFAULT 'live';
