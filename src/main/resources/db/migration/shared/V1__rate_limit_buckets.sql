-- Bucket4j's token buckets, shared by every instance on this database (shared.ratelimit).
CREATE TABLE rate_limit_buckets (
    id         text PRIMARY KEY,
    state      bytea,
    expires_at bigint
);
CREATE INDEX rate_limit_buckets_expires_at_idx ON rate_limit_buckets (expires_at);
