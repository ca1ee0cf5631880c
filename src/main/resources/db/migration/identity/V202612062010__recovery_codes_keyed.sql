-- Recovery codes were kept as a bare SHA-256 of the code: 49 random bits each, within reach of a GPU given a
-- copy of the table. They are kept as HMAC-SHA-256 under a key derived from the master key now, which a
-- database read alone does not give. The rows made before are converted by Kapı as it starts (the HMAC of the
-- stored SHA-256, so no code is lost), which marks them keyed.
ALTER TABLE mfa_recovery_codes ADD COLUMN keyed boolean NOT NULL DEFAULT false;
