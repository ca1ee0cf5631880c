-- Issue 32, limit orders: a bot's order type, and orders that stay open on the exchange until they fill, time out
-- (then cancelled, or cancelled and placed again at the new price) or are cancelled.
-- A market bot keeps the three limit fields null.
ALTER TABLE trading_bots
    ADD COLUMN order_type               text NOT NULL DEFAULT 'market' CHECK (order_type IN ('market', 'limit')),
    ADD COLUMN limit_offset             numeric(10, 8) CHECK (limit_offset >= 0 AND limit_offset <= 0.1),
    ADD COLUMN unfilled_timeout_minutes integer CHECK (unfilled_timeout_minutes BETWEEN 1 AND 10080),
    ADD COLUMN on_unfilled              text CHECK (on_unfilled IN ('reprice', 'cancel'));

-- open: on the exchange and not done; canceled: cancelled (by Kapi after its timeout, or by the exchange), what had
-- filled kept. filled_quantity, filled_quote and filled_fee are what has been recorded of the order so far (its trade,
-- which grows with each fill seen); reprices counts the orders before this one for the same decision.
ALTER TABLE trading_orders DROP CONSTRAINT trading_orders_status_check;
ALTER TABLE trading_orders
    ADD CONSTRAINT trading_orders_status_check CHECK (status IN ('pending', 'open', 'filled', 'absent', 'canceled')),
    ADD COLUMN order_type      text NOT NULL DEFAULT 'market' CHECK (order_type IN ('market', 'limit')),
    ADD COLUMN price           numeric(38, 18),
    ADD COLUMN quantity        numeric(38, 18),
    ADD COLUMN expires_at      timestamptz,
    ADD COLUMN reprices        integer NOT NULL DEFAULT 0,
    ADD COLUMN filled_quantity numeric(38, 18) NOT NULL DEFAULT 0,
    ADD COLUMN filled_quote    numeric(38, 18) NOT NULL DEFAULT 0,
    ADD COLUMN filled_fee      numeric(38, 18) NOT NULL DEFAULT 0;
CREATE INDEX trading_orders_open_idx ON trading_orders (expires_at) WHERE status = 'open';
