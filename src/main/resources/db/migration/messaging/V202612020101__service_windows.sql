-- Meta's 24-hour customer service window: when each number last wrote to one of the owner's accounts.
CREATE TABLE messaging_service_windows (
    owner_id        bigint      NOT NULL,
    phone           text        NOT NULL,
    last_inbound_at timestamptz NOT NULL,
    PRIMARY KEY (owner_id, phone)
);
