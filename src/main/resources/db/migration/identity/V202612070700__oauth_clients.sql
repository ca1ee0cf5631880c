-- Identity: the OpenID provider's clients and the consents users gave them (#29). Spring Authorization
-- Server's own tables (oauth2-registered-client-schema.sql, oauth2-authorization-consent-schema.sql of
-- spring-security-oauth2-authorization-server 7.1.2) adapted to PostgreSQL as their header asks: text for
-- varchar and blob, timestamptz for timestamp. The columns SAS reads are unchanged; Kapı's follow them.
-- client_secret holds only the SHA-256 of a secret. Sets (methods, grants, URIs, scopes) are SAS's
-- comma-separated text, so no URI or scope may contain a comma (checked on registration).
CREATE TABLE oauth2_registered_client (
    id                            text        NOT NULL PRIMARY KEY,
    client_id                     text        NOT NULL UNIQUE,
    client_id_issued_at           timestamptz NOT NULL DEFAULT now(),
    client_secret                 text,
    client_secret_expires_at      timestamptz,
    client_name                   text        NOT NULL,
    client_authentication_methods text        NOT NULL,
    authorization_grant_types     text        NOT NULL,
    redirect_uris                 text,
    post_logout_redirect_uris     text,
    scopes                        text        NOT NULL,
    client_settings               text        NOT NULL,
    token_settings                text        NOT NULL,
    -- Kapı's: the admin API's listing order, Back-Channel Logout, the ID token's algorithm, private_key_jwt.
    seq                           bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    backchannel_logout_uri        text,
    id_token_alg                  text        NOT NULL DEFAULT 'RS256',
    jwks_uri                      text,
    created_by                    bigint      REFERENCES accounts (id) ON DELETE SET NULL,
    created_at                    timestamptz NOT NULL DEFAULT now(),
    updated_at                    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth2_registered_client_created_by_idx ON oauth2_registered_client (created_by);

-- principal_name is the account id as text; account_id repeats it as a number, so a deleted account takes
-- its consents with it.
CREATE TABLE oauth2_authorization_consent (
    registered_client_id text        NOT NULL REFERENCES oauth2_registered_client (id) ON DELETE CASCADE,
    principal_name       text        NOT NULL,
    authorities          text        NOT NULL,
    account_id           bigint      GENERATED ALWAYS AS (principal_name::bigint) STORED
                                     REFERENCES accounts (id) ON DELETE CASCADE,
    granted_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (registered_client_id, principal_name)
);
CREATE INDEX oauth2_authorization_consent_account_idx ON oauth2_authorization_consent (account_id);
