-- Identity: an immediate rotation (a suspected leak) revokes every key still published: from revoked_at it is
-- out of the JWKS, its tokens no longer verify, and it never signs again.
ALTER TABLE signing_keys ADD COLUMN revoked_at timestamptz;
