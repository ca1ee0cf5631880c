-- Issue 31: a WhatsApp user who adopted a username may write without a phone number (Meta's 2026 usernames):
-- the message names its sender by the business-scoped user id (BSUID, `from_user_id`) only, and is kept too.
ALTER TABLE messaging_inbound ADD COLUMN user_id text;
ALTER TABLE messaging_inbound ALTER COLUMN phone DROP NOT NULL;
ALTER TABLE messaging_inbound ADD CONSTRAINT messaging_inbound_sender_named CHECK (phone IS NOT NULL OR user_id IS NOT NULL);
CREATE INDEX messaging_inbound_user_idx ON messaging_inbound (owner_id, user_id, received_at DESC, id DESC)
    WHERE user_id IS NOT NULL;
