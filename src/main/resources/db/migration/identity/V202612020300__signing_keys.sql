-- Identity: the asymmetric keys that sign access tokens (KAPI_JWT_ALGORITHM ES256, EdDSA or RS256). A key
-- is published from created_at, signs from activates_at until the next key activates, and stays published
-- until the last token it signed has expired. The private half is sealed with the master key.
CREATE TABLE signing_keys (
    kid                text PRIMARY KEY,
    algorithm          text        NOT NULL,
    public_jwk         text        NOT NULL,
    private_jwk_sealed text        NOT NULL,
    created_at         timestamptz NOT NULL,
    activates_at       timestamptz NOT NULL
);
CREATE INDEX signing_keys_activates_idx ON signing_keys (activates_at);
