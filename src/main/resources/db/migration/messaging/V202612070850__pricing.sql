-- Issue 31: credits follow Meta's per-message pricing. An admin's rate card prices a message by the recipient's
-- market (ISO 3166-1 alpha-2, or '*' for every other) and its category; with no row the flat
-- kapi.messaging.credit-cost.* prices apply, as before.
CREATE TABLE messaging_rates (
    market     text        NOT NULL CHECK (market = '*' OR market ~ '^[A-Z]{2}$'),
    category   text        NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication', 'service')),
    credits    integer     NOT NULL CHECK (credits >= 0),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (market, category)
);

-- A customer's country, from its number (libphonenumber); NULL until known (rows older than this are filled in
-- when a queue first reaches them).
ALTER TABLE messaging_customers ADD COLUMN country text;

-- What a message was held at when its queue started (the card's price for its market and category), and the
-- last pricing block Meta reported for it.
ALTER TABLE messaging_messages
    ADD COLUMN market       text,
    ADD COLUMN credits_held integer NOT NULL DEFAULT 0,
    ADD COLUMN pricing      jsonb;

-- A message charged once: on the first status callback whose pricing is billable (or when a provider that
-- bills on acceptance, the simulator, accepts it). No foreign key, like messaging_messages.
CREATE TABLE messaging_charges (
    message_id bigint      PRIMARY KEY,
    owner_id   bigint      NOT NULL,
    queue_id   bigint      NOT NULL,
    market     text        NOT NULL,
    category   text        NOT NULL,
    credits    integer     NOT NULL,
    charged_at timestamptz NOT NULL
);
CREATE INDEX messaging_charges_owner_idx ON messaging_charges (owner_id, charged_at);
CREATE INDEX messaging_charges_queue_idx ON messaging_charges (queue_id);

-- The region a sender's numbers are read in when they are written without a country code.
ALTER TABLE messaging_senders ADD COLUMN default_region text;
