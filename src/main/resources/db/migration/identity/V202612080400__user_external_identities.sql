-- The external identities an import brings ({alias, subject} of another provider's account),
-- kept until external sign-in links them (the federation work owns that; this table only
-- holds what an import names).
CREATE TABLE user_external_identities (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    alias       text        NOT NULL,
    subject     text        NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (alias, subject)
);
CREATE INDEX user_external_identities_account_idx ON user_external_identities (account_id);
