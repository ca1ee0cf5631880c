-- Passkey ceremonies were kept as serialised Java objects, read back by Java deserialisation; they are JSON
-- now. A ceremony lives five minutes: the open ones are dropped (their users ask for new options).
ALTER TABLE passkey_ceremonies ALTER COLUMN options TYPE jsonb USING '{}'::jsonb;
DELETE FROM passkey_ceremonies;
