-- Identity: keys of machine clients (another service's back office), made by an admin. Only the SHA-256 of
-- a key is kept; scopes are space-separated (introspect, admin:read, admin:write). A key lives as long as
-- the admin who made it stays an admin.
CREATE TABLE service_keys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    key_prefix text        NOT NULL,
    key_hash   text        NOT NULL UNIQUE,
    scopes     text        NOT NULL,
    created_by bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX service_keys_created_by_idx ON service_keys (created_by);
