-- Back-channel logout for sessions that end by expiry (idle or absolute lifetime), which no event marks: a sweep
-- writes their logouts and marks each grant it handled here, so a session's clients hear of it once, even after
-- the delivery row itself is pruned, and an explicit end afterwards (an admin) sends nothing again.
ALTER TABLE oauth2_authorization ADD COLUMN expiry_logout_at timestamptz;

CREATE INDEX oauth2_authorization_expiry_logout_due ON oauth2_authorization (session_id)
    WHERE session_id IS NOT NULL AND expiry_logout_at IS NULL;
