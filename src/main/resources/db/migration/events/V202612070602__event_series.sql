-- Issue 33, recurring series: a rule (RFC 5545 RRULE in the series' time zone) whose occurrences are events
-- of their own. An occurrence edited on its own keeps its edits when the series changes.

CREATE TABLE event_series (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rrule      text        NOT NULL,
    -- Excluded occurrences as given: ISO dates (a local day) or date-times with an offset, space-separated.
    exdates    text        NOT NULL DEFAULT '',
    timezone   text        NOT NULL,
    created_by bigint,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz
);

ALTER TABLE events
    ADD COLUMN series_id     bigint REFERENCES event_series (id) ON DELETE SET NULL,
    ADD COLUMN series_edited boolean NOT NULL DEFAULT false;
CREATE INDEX events_series_idx ON events (series_id, start_time) WHERE series_id IS NOT NULL;
