-- Issue 31, Meta's template and number signals. A template's quality as Meta last rated it, how often it was
-- paused (Meta's ladder: 3 h, 6 h, then disabled) and until when Kapı expects the pause to last, and when Meta
-- last reported its status and quality (an older callback, retried by Meta for days, changes nothing).
ALTER TABLE messaging_templates
    ADD COLUMN quality      text CHECK (quality IN ('GREEN', 'YELLOW', 'RED', 'UNKNOWN')),
    ADD COLUMN pause_count  integer NOT NULL DEFAULT 0,
    ADD COLUMN paused_until timestamptz,
    ADD COLUMN status_at    timestamptz,
    ADD COLUMN quality_at   timestamptz;

-- Why a paused queue holds itself: its template was paused by Meta, or is missing; a user's pause leaves it NULL.
ALTER TABLE messaging_queues
    ADD COLUMN pause_reason text CHECK (pause_reason IN ('template-paused', 'template-missing'));
CREATE INDEX messaging_queues_template_idx ON messaging_queues (template_name, template_language)
    WHERE template_name IS NOT NULL;

-- The last number event Meta reported for the sender's phone number (FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE,
-- THROUGHPUT_UPGRADE, ...) and when.
ALTER TABLE messaging_senders
    ADD COLUMN quality_event    text,
    ADD COLUMN quality_event_at timestamptz;
CREATE INDEX messaging_senders_waba_idx ON messaging_senders (waba_id) WHERE waba_id IS NOT NULL;

-- The template and number callbacks already applied, by the SHA-256 of their field, business account, time and
-- value: Meta sends no event id and retries a callback until it is answered, so a retry must find it here.
CREATE TABLE messaging_callback_signals (
    digest      bytea PRIMARY KEY,
    received_at timestamptz NOT NULL
);
CREATE INDEX messaging_callback_signals_received_idx ON messaging_callback_signals (received_at);
