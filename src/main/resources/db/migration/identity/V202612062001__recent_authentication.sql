-- Recent authentication (issue 27): when a session's owner last proved themselves (auth_time) and how (amr,
-- RFC 8176 values separated by spaces: pwd, otp, hwk, swk, email). Sessions opened before this knew only
-- when they were opened.
ALTER TABLE sessions ADD COLUMN auth_time timestamptz;
ALTER TABLE sessions ADD COLUMN amr text NOT NULL DEFAULT '';
UPDATE sessions SET auth_time = created_at;
ALTER TABLE sessions ALTER COLUMN auth_time SET NOT NULL;

-- The first step of a sign-in that a second factor finishes: pwd (a password) or email (a mailed link or code).
ALTER TABLE mfa_challenges ADD COLUMN first_factor text NOT NULL DEFAULT 'pwd';

-- An address proved by mail without the password voids a password set while it was unverified: such an
-- account has none until its owner sets one through a reset.
ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL;

-- "This was not me": the link mailed to the owner when a credential was added or the address changed undoes
-- that change (removes the passkey or TOTP, or brings the old address back) and ends every session.
-- Kept as the SHA-256 of a 256-bit token, single use; a one-time secret, so never exported.
CREATE TABLE credential_alerts (
    token_hash  text PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        text        NOT NULL CHECK (kind IN ('passkey', 'totp', 'email')),
    reference   text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX credential_alerts_account ON credential_alerts (account_id);
CREATE INDEX credential_alerts_expiry ON credential_alerts (expires_at);
