-- Issue 29: a Kapı session is the browser's single sign-on session. The cookie that points to it holds a random
-- 256-bit value; only its SHA-256 is stored, so a copy of the database cannot be turned into a signed-in browser.
ALTER TABLE sessions ADD COLUMN sso_token_hash bytea UNIQUE;
