-- Spring Authorization Server's stored authorizations (oauth2-authorization-schema.sql of
-- spring-security-oauth2-authorization-server 7.1.2, adapted to PostgreSQL: blob -> text,
-- timestamp -> timestamptz, varchar(n) -> text), bound to the Kapi session they were granted
-- in. Every *_value holds 'h:' || base64url(SHA-256(token)), never the token itself.
CREATE TABLE oauth2_authorization (
    id                            text        PRIMARY KEY,
    registered_client_id          text        NOT NULL REFERENCES oauth2_registered_client (id) ON DELETE CASCADE,
    principal_name                text        NOT NULL,
    authorization_grant_type      text        NOT NULL,
    authorized_scopes             text,
    attributes                    text,
    state                         text,
    authorization_code_value      text,
    authorization_code_issued_at  timestamptz,
    authorization_code_expires_at timestamptz,
    authorization_code_metadata   text,
    access_token_value            text,
    access_token_issued_at        timestamptz,
    access_token_expires_at       timestamptz,
    access_token_metadata         text,
    access_token_type             text,
    access_token_scopes           text,
    oidc_id_token_value           text,
    oidc_id_token_issued_at       timestamptz,
    oidc_id_token_expires_at      timestamptz,
    oidc_id_token_metadata        text,
    refresh_token_value           text,
    refresh_token_issued_at       timestamptz,
    refresh_token_expires_at      timestamptz,
    refresh_token_metadata        text,
    user_code_value               text,
    user_code_issued_at           timestamptz,
    user_code_expires_at          timestamptz,
    user_code_metadata            text,
    device_code_value             text,
    device_code_issued_at         timestamptz,
    device_code_expires_at        timestamptz,
    device_code_metadata          text,
    -- Kapi's: the browser session the grant came from (none for client_credentials), its
    -- account, when the code was exchanged (once), and when the newest token of the row dies.
    session_id                    uuid        REFERENCES sessions (id) ON DELETE CASCADE,
    account_id                    bigint      REFERENCES accounts (id) ON DELETE CASCADE,
    code_used_at                  timestamptz,
    row_expires_at                timestamptz
);

CREATE INDEX oauth2_authorization_state ON oauth2_authorization (state) WHERE state IS NOT NULL;
CREATE INDEX oauth2_authorization_code ON oauth2_authorization (authorization_code_value)
    WHERE authorization_code_value IS NOT NULL;
CREATE INDEX oauth2_authorization_access ON oauth2_authorization (access_token_value)
    WHERE access_token_value IS NOT NULL;
CREATE INDEX oauth2_authorization_id_token ON oauth2_authorization (oidc_id_token_value)
    WHERE oidc_id_token_value IS NOT NULL;
CREATE INDEX oauth2_authorization_refresh ON oauth2_authorization (refresh_token_value)
    WHERE refresh_token_value IS NOT NULL;
CREATE INDEX oauth2_authorization_user_code ON oauth2_authorization (user_code_value)
    WHERE user_code_value IS NOT NULL;
CREATE INDEX oauth2_authorization_device_code ON oauth2_authorization (device_code_value)
    WHERE device_code_value IS NOT NULL;
CREATE INDEX oauth2_authorization_session ON oauth2_authorization (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX oauth2_authorization_account ON oauth2_authorization (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX oauth2_authorization_client ON oauth2_authorization (registered_client_id);
CREATE INDEX oauth2_authorization_expiry ON oauth2_authorization (row_expires_at);

-- Refresh tokens an authorization has rotated away from (hashed like the row's values): one
-- presented again within the reuse grace is honoured, later it ends the whole family.
CREATE TABLE oauth2_refresh_token_history (
    token_hash       text        PRIMARY KEY,
    authorization_id text        NOT NULL REFERENCES oauth2_authorization (id) ON DELETE CASCADE,
    used_at          timestamptz NOT NULL
);

CREATE INDEX oauth2_refresh_token_history_authorization ON oauth2_refresh_token_history (authorization_id);
