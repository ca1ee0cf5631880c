-- Requests that name an email address (a reset mail, a sign-in link, the verification mail again). The request
-- only adds its row, whether or not the address has an account, so that it does the same work for both; a
-- worker looks the address up, writes the audit entry and publishes the mail event, and deletes the row, in one
-- transaction (issue 27). A row lives for milliseconds unless no instance is running.
CREATE TABLE address_requests (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL,
    email        text NOT NULL,
    ip           text,
    requested_at timestamptz NOT NULL
);
