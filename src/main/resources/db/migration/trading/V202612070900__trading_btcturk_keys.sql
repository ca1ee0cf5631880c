-- Issue 32: API keys of BtcTurk beside Binance's.
ALTER TABLE trading_api_keys DROP CONSTRAINT trading_api_keys_exchange_check;
ALTER TABLE trading_api_keys ADD CONSTRAINT trading_api_keys_exchange_check CHECK (exchange IN ('binance', 'btcturk'));
