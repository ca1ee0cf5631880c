-- Issue 31, Meta's per-user marketing cap (131049): a message Meta did not deliver for that reason is
-- 'deferred' and sent again later (4 h, 12 h, 24 h), then failed. It counts its deferrals and keeps the
-- message ids of its earlier sends, so that Meta's retries of an old callback never reach the resend.
ALTER TABLE messaging_messages DROP CONSTRAINT messaging_messages_status_check;
ALTER TABLE messaging_messages ADD CONSTRAINT messaging_messages_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'cancelled', 'deferred'));
ALTER TABLE messaging_messages
    ADD COLUMN deferrals                       smallint NOT NULL DEFAULT 0,
    ADD COLUMN superseded_provider_message_ids text[];
-- The sweeper's look for deferred messages that are due again (the claim's own index serves only 'pending').
CREATE INDEX messaging_messages_deferred_idx ON messaging_messages (due_at) WHERE status = 'deferred';
