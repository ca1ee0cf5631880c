-- When Meta's word on a sent message's price came in (charged, or a non-billable block once delivered). A queue
-- settles when none of its messages sent within the charge window lacks it; this partial index holds only the
-- messages still waiting, so that check stays small however large the queue.
ALTER TABLE messaging_messages ADD COLUMN priced_at timestamptz;
CREATE INDEX messaging_messages_unpriced_idx ON messaging_messages (queue_id, sent_at)
    WHERE priced_at IS NULL AND sent_at IS NOT NULL AND status <> 'failed';
