-- Issue 17: a user's Telegram notifications. The bot token is sealed like exchange API keys (bound to the
-- owner); events is the subset of trade, stop, error, paused the user wants.
CREATE TABLE trading_notifications (
    owner_id     bigint      PRIMARY KEY,
    sealed_token text        NOT NULL,
    token_last4  text        NOT NULL,
    chat_id      text        NOT NULL,
    events       text[]      NOT NULL,
    updated_at   timestamptz NOT NULL
);
