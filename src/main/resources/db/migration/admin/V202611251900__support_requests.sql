-- Admin: the request inbox of seed 001 ("istek kutuları"). Users write to the admins; admins answer and close.
-- account_id and the public id name the author in the identity module without a foreign key across modules.

CREATE TABLE support_requests (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id     bigint      NOT NULL,
    user_public_id text        NOT NULL,
    subject        text        NOT NULL,
    body           text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    language       text        NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    closed_at      timestamptz
);
CREATE INDEX support_requests_account ON support_requests (account_id, id DESC);
CREATE INDEX support_requests_status ON support_requests (status, id DESC);

CREATE TABLE support_answers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id bigint      NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    admin_id   bigint      NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX support_answers_request ON support_answers (request_id, id);
