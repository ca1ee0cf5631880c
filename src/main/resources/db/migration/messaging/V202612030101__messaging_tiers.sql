-- Meta's messaging tiers: the unique recipients a WhatsApp Business Account may reach with business-initiated
-- (template) messages in a rolling 24 hours. One setting per owner and business account, shared by every
-- sender with that waba_id (no row: the default 250; NULL: unlimited), and when each recipient was last
-- reached by a template message of that account; a recipient reached within the last 24 hours counts once.
CREATE TABLE messaging_business_accounts (
    owner_id        bigint      NOT NULL,
    waba_id         text        NOT NULL,
    messaging_limit integer     CHECK (messaging_limit IN (250, 2000, 10000, 100000)),
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (owner_id, waba_id)
);

CREATE TABLE messaging_tier_recipients (
    owner_id   bigint      NOT NULL,
    waba_id    text        NOT NULL,
    phone      text        NOT NULL,
    reached_at timestamptz NOT NULL,
    PRIMARY KEY (owner_id, waba_id, phone)
);
CREATE INDEX messaging_tier_recipients_window_idx ON messaging_tier_recipients (owner_id, waba_id, reached_at);

-- What one message of a queue costs in credits (its category's cost when the queue started).
ALTER TABLE messaging_queues ADD COLUMN credit_cost integer NOT NULL DEFAULT 1 CHECK (credit_cost >= 0);
