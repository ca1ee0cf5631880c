-- External identity providers (#30): an admin's OpenID provider or GitHub app. The client secret is sealed
-- (AES-GCM, bound to the provider's alias), never stored in the clear.
CREATE TABLE identity_providers (
    id                     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alias                  text        NOT NULL UNIQUE,
    type                   text        NOT NULL CHECK (type IN ('oidc', 'github')),
    display_name           text        NOT NULL,
    issuer_uri             text,
    client_id              text        NOT NULL,
    client_secret          text        NOT NULL,
    scopes                 text        NOT NULL,
    enabled                boolean     NOT NULL,
    link_by_verified_email boolean     NOT NULL,
    allowed_email_domains  text,
    trust_provider_mfa     boolean     NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);

-- An account's identity at a provider: one per provider and subject, one per account and provider.
CREATE TABLE external_identities (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    provider_id bigint      NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
    subject     text        NOT NULL,
    email       text,
    linked_at   timestamptz NOT NULL,
    UNIQUE (provider_id, subject),
    UNIQUE (account_id, provider_id)
);

-- A started external sign-in, used once by its callback: the state's hash is the key, the browser that started
-- it is bound by the hash of a cookie, and the nonce and PKCE verifier wait here instead of in a session. A link
-- started by an API call waits for its browser: browser_hash is then the hash of a one-time ticket, and
-- authorization_url where the ticket's first use sends that browser.
CREATE TABLE external_sign_in_states (
    state_hash      text        PRIMARY KEY,
    provider_id     bigint      NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
    browser_hash    text        NOT NULL,
    nonce           text        NOT NULL,
    code_verifier   text        NOT NULL,
    redirect_uri    text        NOT NULL,
    return_to       text        NOT NULL,
    link_account_id bigint      REFERENCES accounts (id) ON DELETE CASCADE,
    authorization_url text,
    expires_at      timestamptz NOT NULL
);

-- The one-time code the callback hands to return_to (60 s, single use), exchanged for the sign-in's answer.
CREATE TABLE external_sign_in_codes (
    code_hash  text        PRIMARY KEY,
    account_id bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    alias      text        NOT NULL,
    browser_hash text      NOT NULL,
    amr        text        NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX external_sign_in_states_expiry ON external_sign_in_states (expires_at);
CREATE INDEX external_sign_in_codes_expiry ON external_sign_in_codes (expires_at);
