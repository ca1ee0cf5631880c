-- Issue 32, Telegram commands: one instance at a time long-polls getUpdates for a user's bot token (a lease),
-- and update_offset is the next update it asks for (Telegram forgets the updates before it).
ALTER TABLE trading_notifications
    ADD COLUMN poll_owner    text,
    ADD COLUMN poll_until    timestamptz,
    ADD COLUMN update_offset bigint NOT NULL DEFAULT 0;

-- Every update received, once (the primary key), and what came of it: the commands' audit.
-- outcome: ok, failed (with detail), unknown-command, ignored-chat (another chat: no answer).
CREATE TABLE trading_telegram_updates (
    owner_id    bigint      NOT NULL,
    update_id   bigint      NOT NULL,
    chat_id     text        NOT NULL,
    command     text        NOT NULL,
    arguments   text,
    outcome     text        NOT NULL,
    detail      text,
    instance    text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (owner_id, update_id)
);
CREATE INDEX trading_telegram_updates_received_idx ON trading_telegram_updates (received_at);
