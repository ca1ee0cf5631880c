-- Back-channel logout (OpenID Connect Back-Channel Logout 1.0): one row per client and ended Kapı session,
-- written in the transaction that ended the session. The logout token is signed when it is sent, so the
-- row holds no secret: a client, a session id, the subject (the account id) and where to post.
-- No foreign key to sessions or accounts: an account's deletion removes both, its logouts must still go out.
CREATE TABLE oauth2_logout_deliveries (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registered_client_id text        NOT NULL REFERENCES oauth2_registered_client (id) ON DELETE CASCADE,
    session_id           uuid        NOT NULL,
    subject              text        NOT NULL,
    url                  text        NOT NULL,
    status               text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts             integer     NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz NOT NULL,
    last_status          integer,
    last_error           text,
    created_at           timestamptz NOT NULL,
    ended_at             timestamptz,
    UNIQUE (registered_client_id, session_id)
);

CREATE INDEX oauth2_logout_deliveries_due ON oauth2_logout_deliveries (next_attempt_at) WHERE status = 'pending';
