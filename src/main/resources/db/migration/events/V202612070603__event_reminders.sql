-- Issue 33, reminders: when a confirmed registration was reminded of its event (once, a day before).
ALTER TABLE event_registrations ADD COLUMN reminded_at timestamptz;
