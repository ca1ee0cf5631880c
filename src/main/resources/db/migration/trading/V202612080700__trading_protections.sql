-- Issue 32, protection on the exchange: a bot with stop_on_exchange places its stop (and its take-profit, as an OCO
-- where the exchange has one) on the exchange right after a live entry fills, so the position is protected while
-- no Kapı instance runs.
ALTER TABLE trading_bots ADD COLUMN stop_on_exchange boolean NOT NULL DEFAULT false;

-- A stop Kapı placed (or is about to place) on the exchange for a bot's position. client_order_id is the order's, or
-- the OCO list's; stop_order_id and target_order_id are its legs' client order ids (target null: a stop alone).
-- pending: written before the exchange heard of it (looked up by its ids when the outcome is unclear); open: the
-- exchange has it; filled: a leg filled and its sell is recorded; canceled: gone from the exchange (canceled by Kapı,
-- or expired), any part that filled recorded; replaced: a moved stop took its place; absent: the exchange never got it.
-- At most one pending or open stop per bot: two instances never place two.
CREATE TABLE trading_protections (
    client_order_id text            PRIMARY KEY,
    bot_id          bigint          NOT NULL REFERENCES trading_bots (id) ON DELETE CASCADE,
    symbol          text            NOT NULL,
    stop_order_id   text            NOT NULL,
    target_order_id text,
    quantity        numeric(38, 18) NOT NULL CHECK (quantity > 0),
    stop_price      numeric(38, 18) NOT NULL CHECK (stop_price > 0),
    limit_price     numeric(38, 18) NOT NULL CHECK (limit_price > 0),
    target_price    numeric(38, 18) CHECK (target_price > 0),
    stop_reason     text            NOT NULL CHECK (stop_reason IN ('stop_loss', 'trailing_stop')),
    replaces        text,
    status          text            NOT NULL
                        CHECK (status IN ('pending', 'open', 'filled', 'canceled', 'replaced', 'absent')),
    created_at      timestamptz     NOT NULL,
    settled_at      timestamptz
);
CREATE UNIQUE INDEX trading_protections_live_key ON trading_protections (bot_id) WHERE status IN ('pending', 'open');
