-- A WhatsApp phone number id belongs to one sender: Meta's inbound messages for it reach only that owner.
-- Where two senders already share one, the oldest keeps it; the others lose it and are paused, so that
-- their owners see why and enter their own.
WITH later AS (
    SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY phone_number_id ORDER BY id) AS n
        FROM messaging_senders WHERE phone_number_id IS NOT NULL) numbered
    WHERE n > 1)
UPDATE messaging_senders s SET phone_number_id = NULL, status = 'paused', pause_reason = 'phone-number-id-taken'
FROM later WHERE s.id = later.id;

DROP INDEX messaging_senders_phone_number_idx;
CREATE UNIQUE INDEX messaging_senders_phone_number_idx ON messaging_senders (phone_number_id)
    WHERE phone_number_id IS NOT NULL;
