-- Messaging (seed 001): sending accounts, customers, groups, black/gray lists, drafts, automation
-- settings, queues and one durable row per recipient of a queue. Every row carries its owner's account id
-- (no foreign key: accounts belong to identity); every lookup is by id and owner.

CREATE TABLE messaging_senders (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id             bigint      NOT NULL,
    name                 text        NOT NULL,
    phone                text        NOT NULL,
    provider             text        NOT NULL CHECK (provider IN ('simulator', 'whatsapp_cloud')),
    phone_number_id      text,
    access_token         text,       -- sealed (SecretSealer), never returned
    rate_per_second      double precision CHECK (rate_per_second > 0),
    daily_cap            integer     CHECK (daily_cap > 0),
    status               text        NOT NULL CHECK (status IN ('active', 'paused', 'banned_suspected')),
    -- token bucket: tokens at bucket_at
    bucket_tokens        double precision NOT NULL DEFAULT 0,
    bucket_at            timestamptz,
    -- daily count of claimed messages, in the owner's time zone
    day                  date,
    day_count            integer     NOT NULL DEFAULT 0,
    -- circuit breaker
    consecutive_failures integer     NOT NULL DEFAULT 0,
    paused_until         timestamptz,
    pause_reason         text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX messaging_senders_owner_idx ON messaging_senders (owner_id, id);
CREATE INDEX messaging_senders_phone_number_idx ON messaging_senders (phone_number_id) WHERE phone_number_id IS NOT NULL;

CREATE TABLE messaging_customers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id   bigint      NOT NULL,
    phone      text        NOT NULL,
    name       text,
    fields     jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (owner_id, phone)
);
CREATE INDEX messaging_customers_owner_idx ON messaging_customers (owner_id, id);

-- The custom field names an owner's customers use: the variables a draft may name.
CREATE TABLE messaging_custom_fields (
    owner_id bigint NOT NULL,
    name     text   NOT NULL,
    PRIMARY KEY (owner_id, name)
);

CREATE TABLE messaging_groups (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id    bigint      NOT NULL,
    name        text        NOT NULL,
    description text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX messaging_groups_name_key ON messaging_groups (owner_id, lower(name));

CREATE TABLE messaging_group_members (
    group_id    bigint NOT NULL REFERENCES messaging_groups (id) ON DELETE CASCADE,
    customer_id bigint NOT NULL REFERENCES messaging_customers (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, customer_id)
);
CREATE INDEX messaging_group_members_customer_idx ON messaging_group_members (customer_id);

-- Blacklist ('black': never sent to) and graylist ('gray': sent only at the graylist pace, or skipped).
CREATE TABLE messaging_list_entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id    bigint      NOT NULL,
    list        text        NOT NULL CHECK (list IN ('black', 'gray')),
    phone       text        NOT NULL,
    customer_id bigint,
    reason      text,
    source      text        NOT NULL CHECK (source IN ('user', 'opt_out')),
    created_at  timestamptz NOT NULL,
    UNIQUE (owner_id, list, phone)
);

CREATE TABLE messaging_drafts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id   bigint      NOT NULL,
    name       text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX messaging_drafts_owner_idx ON messaging_drafts (owner_id, id);

CREATE TABLE messaging_automation_settings (
    owner_id              bigint PRIMARY KEY,
    delay_ms              integer     NOT NULL,
    jitter_ms             integer     NOT NULL,
    sending_hours_start   time,
    sending_hours_end     time,
    time_zone             text        NOT NULL,
    daily_cap             integer,
    graylist_mode         text        NOT NULL CHECK (graylist_mode IN ('slow', 'skip')),
    graylist_delay_seconds integer    NOT NULL,
    opt_out_words         text[]      NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE TABLE messaging_queues (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id     bigint      NOT NULL,
    name         text,
    draft_id     bigint,
    body         text        NOT NULL,   -- the draft's text when the queue was made
    sender_ids   bigint[]    NOT NULL,
    group_ids    bigint[]    NOT NULL,
    customer_ids bigint[]    NOT NULL,
    status       text        NOT NULL CHECK (status IN ('created', 'scheduled', 'running', 'paused', 'cancelled',
                                                        'completed')),
    scheduled_at timestamptz,
    total        integer     NOT NULL DEFAULT 0,
    blacklisted  integer     NOT NULL DEFAULT 0,
    charged      bigint      NOT NULL DEFAULT 0,   -- credits committed so far
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX messaging_queues_owner_idx ON messaging_queues (owner_id, id);
CREATE INDEX messaging_queues_active_idx ON messaging_queues (status) WHERE status IN ('scheduled', 'running');

-- Credits held for a queue (one per start or retry), settled when the queue ends.
CREATE TABLE messaging_queue_reservations (
    reservation_id uuid PRIMARY KEY,
    queue_id       bigint  NOT NULL REFERENCES messaging_queues (id) ON DELETE CASCADE,
    amount         bigint  NOT NULL,
    settled        boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL
);
CREATE INDEX messaging_queue_reservations_queue_idx ON messaging_queue_reservations (queue_id) WHERE NOT settled;

-- One row per recipient of a queue: pending -> sending -> sent -> delivered -> read, or failed (with a code
-- and whether a retry may help), skipped (black/graylisted, opted out) or cancelled. No foreign keys, so
-- that a million rows go in as one INSERT ... SELECT without a lookup per row.
CREATE TABLE messaging_messages (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue_id            bigint      NOT NULL,
    owner_id            bigint      NOT NULL,
    customer_id         bigint,
    phone               text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'read',
                                                               'failed', 'skipped', 'cancelled')),
    graylisted          boolean     NOT NULL DEFAULT false,
    due_at              timestamptz NOT NULL,
    attempts            integer     NOT NULL DEFAULT 0,
    sender_id           bigint,
    claimed_at          timestamptz,
    claimed_by          text,
    provider_message_id text,
    error_code          text,
    error_reason        text,
    retryable           boolean,
    sent_at             timestamptz,
    delivered_at        timestamptz,
    read_at             timestamptz,
    failed_at           timestamptz,
    updated_at          timestamptz NOT NULL,
    UNIQUE (queue_id, phone)
);
CREATE INDEX messaging_messages_queue_idx ON messaging_messages (queue_id, status, id);
CREATE INDEX messaging_messages_pending_idx ON messaging_messages (queue_id, due_at, id) WHERE status = 'pending';
CREATE INDEX messaging_messages_sending_idx ON messaging_messages (claimed_at) WHERE status = 'sending';
CREATE INDEX messaging_messages_owner_idx ON messaging_messages (owner_id, id);
CREATE UNIQUE INDEX messaging_messages_provider_idx ON messaging_messages (provider_message_id)
    WHERE provider_message_id IS NOT NULL;
