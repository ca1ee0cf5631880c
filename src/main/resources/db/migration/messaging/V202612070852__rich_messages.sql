-- Issue 31: rich messages. A free-form draft (and the queue made from it) is a text (body), a media message or an
-- interactive message (rich: {"media": {...}} or {"interactive": {...}}); a template message may carry button
-- parameters (quick-reply payloads, URL suffixes).
ALTER TABLE messaging_drafts ADD COLUMN rich jsonb, ADD COLUMN template_buttons jsonb;
ALTER TABLE messaging_queues ADD COLUMN rich jsonb, ADD COLUMN template_buttons jsonb;
