-- WhatsApp message templates: a WhatsApp Cloud sender's business account (waba_id), the templates synced from
-- Meta per owner and business account, and drafts and queues that send a template instead of a free text.
ALTER TABLE messaging_senders ADD COLUMN waba_id text;

CREATE TABLE messaging_templates (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id        bigint      NOT NULL,
    waba_id         text        NOT NULL,
    meta_id         text,
    name            text        NOT NULL,
    language        text        NOT NULL,
    category        text        NOT NULL,   -- marketing, utility, authentication (lower case)
    status          text        NOT NULL,   -- APPROVED, PENDING, REJECTED, PAUSED, DISABLED (as Meta says)
    components      jsonb       NOT NULL,   -- Meta's components, as synced
    body_parameters integer     NOT NULL,   -- the {{n}} variables of the body
    header_format   text,                   -- TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION, or none
    synced_at       timestamptz NOT NULL,
    UNIQUE (owner_id, waba_id, name, language)
);
CREATE INDEX messaging_templates_owner_idx ON messaging_templates (owner_id, waba_id, id);

-- A draft or queue is free text (body) or a template message (template_name ...).
ALTER TABLE messaging_drafts ALTER COLUMN body DROP NOT NULL,
    ADD COLUMN template_name     text,
    ADD COLUMN template_language text,
    ADD COLUMN header_type       text CHECK (header_type IN ('image', 'video', 'document')),
    ADD COLUMN header_link       text,
    ADD COLUMN body_parameters   text[];
ALTER TABLE messaging_queues ALTER COLUMN body DROP NOT NULL,
    ADD COLUMN template_name     text,
    ADD COLUMN template_language text,
    ADD COLUMN template_category text,
    ADD COLUMN header_type       text,
    ADD COLUMN header_link       text,
    ADD COLUMN body_parameters   text[];
