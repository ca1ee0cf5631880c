-- Issue 33, calendars: an iCalendar SEQUENCE per event, bumped by every change and by its cancellation,
-- and each account's secret personal feed (kept as the SHA-256 of its token, revoked by deleting it).

ALTER TABLE events ADD COLUMN sequence integer NOT NULL DEFAULT 0;

-- The public feed shows cancelled (soft-deleted) public events too, so that calendars drop them.
DROP INDEX events_public_start_time_idx;
CREATE INDEX events_public_start_time_idx ON events (start_time, id) WHERE visibility = 'public';

CREATE TABLE event_calendar_tokens (
    -- An account id of the identity module; removed on AccountDeleted.
    account_id bigint PRIMARY KEY,
    token_hash bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);
