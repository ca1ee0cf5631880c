-- Replies are kept kapi.messaging.inbound.retention (365 days) after they were stored; the hourly housekeeping
-- finds the older ones by this index.
CREATE INDEX messaging_inbound_created_idx ON messaging_inbound (created_at);
