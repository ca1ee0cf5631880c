-- The housekeeping finds ended deliveries by the time of their last attempt.
CREATE INDEX webhook_deliveries_ended ON webhook_deliveries (updated_at) WHERE status <> 'pending';
