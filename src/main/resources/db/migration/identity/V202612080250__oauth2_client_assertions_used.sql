-- Client assertions (RFC 7523, private_key_jwt) already used: OpenID Connect Core 9 says each may be used once. A
-- second use of the same (client_id, jti) before the row expires finds the key taken, on any instance. A row lasts
-- until its assertion's exp plus the clock skew the timestamp check allows; housekeeping removes it after that.
CREATE TABLE oauth2_client_assertions_used (
    client_id  text        NOT NULL,
    jti        text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE INDEX oauth2_client_assertions_used_expires ON oauth2_client_assertions_used (expires_at);
