-- How much of a settled reservation was spent: all of a committed one, none of a refunded one, part of one
-- settled with Credits.settle. Monthly and yearly credit use (seed 001) are sums of it.
ALTER TABLE credit_reservations ADD COLUMN spent bigint CHECK (spent >= 0);
UPDATE credit_reservations SET spent = CASE state WHEN 'committed' THEN amount WHEN 'refunded' THEN 0 END
WHERE state <> 'held';
CREATE INDEX credit_reservations_usage_idx ON credit_reservations (account_id, settled_at) WHERE state = 'committed';
