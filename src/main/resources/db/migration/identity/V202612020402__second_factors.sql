-- TOTP (RFC 6238): one authenticator per account; the secret sealed with the master key. A code's time step
-- is remembered so that no code (nor an older one) is accepted twice.
CREATE TABLE mfa_totp (
    account_id     bigint PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret_sealed  text        NOT NULL,
    created_at     timestamptz NOT NULL,
    confirmed_at   timestamptz,
    last_used_step bigint
);

-- Ten single-use recovery codes per account, kept as SHA-256 hashes (each carries 49 random bits).
CREATE TABLE mfa_recovery_codes (
    account_id bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  text        NOT NULL,
    created_at timestamptz NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (account_id, code_hash)
);

-- The second step of a sign-in: a password (or passkey-less) first step was right; five minutes, single use.
CREATE TABLE mfa_challenges (
    token_hash text PRIMARY KEY,
    account_id bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX mfa_challenges_expiry ON mfa_challenges (expires_at);

-- Sessions of accounts whose user type requires a second factor they do not have yet: they may only enrol.
CREATE TABLE mfa_enrolment_sessions (
    session_id uuid PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE
);
CREATE INDEX mfa_enrolment_sessions_account ON mfa_enrolment_sessions (account_id);
