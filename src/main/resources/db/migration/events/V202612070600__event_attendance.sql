-- Issue 33: events people come to. Time zones, capacity, registration settings and visibility on the
-- event; registrations with a waiting list and tickets; counts kept on the event row, which is also the
-- lock every registration of that event takes (so capacity holds across instances).

ALTER TABLE events
    ADD COLUMN timezone          text    NOT NULL DEFAULT 'Europe/Istanbul',
    ADD COLUMN capacity          integer CHECK (capacity >= 0),
    ADD COLUMN registration_opens_at  timestamptz,
    ADD COLUMN registration_closes_at timestamptz,
    ADD COLUMN approval          text    NOT NULL DEFAULT 'auto' CHECK (approval IN ('auto', 'manual')),
    ADD COLUMN waitlist          boolean NOT NULL DEFAULT false,
    ADD COLUMN visibility        text    NOT NULL DEFAULT 'signed_in' CHECK (visibility IN ('signed_in', 'public')),
    -- True once the event uses any of issue 33's fields (or has a registration): only then does it answer
    -- them, so that an event made with seed 003's fields alone answers seed 003's object exactly.
    ADD COLUMN attendance        boolean NOT NULL DEFAULT false,
    ADD COLUMN confirmed_count   integer NOT NULL DEFAULT 0,
    ADD COLUMN waitlisted_count  integer NOT NULL DEFAULT 0,
    ADD COLUMN pending_count     integer NOT NULL DEFAULT 0,
    ADD COLUMN checked_in_count  integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT events_capacity_holds CHECK (capacity IS NULL OR confirmed_count <= capacity);

-- Public events for GET /events/public, in start order.
CREATE INDEX events_public_start_time_idx ON events (start_time, id) WHERE visibility = 'public' AND deleted_at IS NULL;

CREATE TABLE event_registrations (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      bigint      NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- An account id of the identity module; no foreign key across modules, removed on AccountDeleted.
    account_id    bigint      NOT NULL,
    status        text        NOT NULL
        CHECK (status IN ('confirmed', 'waitlisted', 'pending_approval', 'declined', 'cancelled')),
    note          text,
    -- 128 random bits, base64url; given when the registration is first confirmed, kept after.
    ticket_code   text COLLATE "C" UNIQUE,
    -- The waiting list's order: when the registration joined it.
    waitlisted_at timestamptz,
    checked_in_at timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (event_id, account_id)
);
CREATE INDEX event_registrations_event_status_idx ON event_registrations (event_id, status, id);
CREATE INDEX event_registrations_waitlist_idx ON event_registrations (event_id, waitlisted_at, id)
    WHERE status = 'waitlisted';
CREATE INDEX event_registrations_account_idx ON event_registrations (account_id, id);
