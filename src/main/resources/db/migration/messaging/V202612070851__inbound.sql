-- Issue 31: every reply kept. What recipients write to a user's WhatsApp numbers, stored once per Meta message
-- id (wamid; Meta retries a callback for days): texts, button and list replies, media ids, reactions, and the
-- campaign message a reply answers (context).
CREATE TABLE messaging_inbound (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id      bigint      NOT NULL,
    sender_id     bigint      NOT NULL,
    wamid         text        NOT NULL,
    phone         text        NOT NULL,
    customer_id   bigint,
    type          text        NOT NULL,
    text          text,                  -- a text's body, a button's text
    reply_id      text,                  -- a reply button's or list row's id, a template button's payload
    reply_title   text,
    media_id      text,
    mime_type     text,
    caption       text,
    filename      text,
    emoji         text,                  -- a reaction (null: a reaction taken back)
    reacted_to    text,                  -- the wamid a reaction is on
    context_wamid text,                  -- the wamid a reply answers
    message_id    bigint,                -- Kapi's message with that wamid, when it is one
    received_at   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    UNIQUE (owner_id, wamid)
);
CREATE INDEX messaging_inbound_phone_idx ON messaging_inbound (owner_id, phone, received_at DESC, id DESC);

-- When a recipient first answered a campaign message (a reply whose context names it).
ALTER TABLE messaging_messages ADD COLUMN replied_at timestamptz;

-- A customer's conversation reads its outbound messages by customer.
CREATE INDEX messaging_messages_customer_idx ON messaging_messages (customer_id) WHERE customer_id IS NOT NULL;
