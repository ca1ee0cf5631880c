-- Issue 32, ways out: force-exit, stop and sell, and the kill switches.
-- A sell made by force-exit, by stop?exit=true or by a kill switch records exit_reason force_exit.
ALTER TABLE trading_trades DROP CONSTRAINT trading_trades_exit_reason_check;
ALTER TABLE trading_trades
    ADD CONSTRAINT trading_trades_exit_reason_check
        CHECK (exit_reason IN ('signal', 'stop_loss', 'take_profit', 'trailing_stop', 'max_drawdown', 'force_exit'));

-- exit_requested_at: the bot must be sold flat (a kill switch, or a force-exit whose order is still unclear); the
-- runner places no order for it, and the exit pass of each minute retries its exit until it is flat.
ALTER TABLE trading_bots ADD COLUMN exit_requested_at timestamptz;
CREATE INDEX trading_bots_exit_requested_idx ON trading_bots (id) WHERE exit_requested_at IS NOT NULL;

-- A kill switch that is on: a user's (owner_id), or the admin's for everyone (owner_id null, at most one row).
-- While one covers a user, none of the user's bots may start. Deleting the row re-arms.
CREATE TABLE trading_kill_switches (
    owner_id   bigint,
    engaged_by bigint      NOT NULL,
    engaged_at timestamptz NOT NULL,
    CONSTRAINT trading_kill_switches_owner_key UNIQUE NULLS NOT DISTINCT (owner_id)
);
