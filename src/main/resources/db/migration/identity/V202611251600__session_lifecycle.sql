-- Identity: refresh tokens, one-time tokens (email verification, password reset), the account's
-- language for mails, and the security audit log.

ALTER TABLE accounts ADD COLUMN language text NOT NULL DEFAULT 'tr';

-- Refresh tokens are stored only as SHA-256 hashes; a used one stays to detect reuse.
CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,
    session_id uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at  timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE one_time_tokens (
    token_hash text PRIMARY KEY,
    account_id bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    text        NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX one_time_tokens_account_idx ON one_time_tokens (account_id, purpose);

-- Security events. Rows outlive the accounts they name (no foreign keys): an audit trail is kept.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type        text        NOT NULL,
    actor_id    bigint,
    target_id   bigint,
    ip          text,
    occurred_at timestamptz NOT NULL,
    details     text
);
CREATE INDEX audit_events_target_idx ON audit_events (target_id, occurred_at DESC);
CREATE INDEX audit_events_type_idx ON audit_events (type, occurred_at DESC);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at DESC);
