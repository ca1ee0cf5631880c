-- Issue 31: a message is charged at the price of the category Meta billed it in (pricing.category of the first
-- billable status callback), not the queue's. What the card priced each category at for the queue's markets when
-- the queue started is kept beside it, so that a card changed mid-campaign does not re-price a running queue: one
-- row per market of its recipients ('*' for numbers of no known country) and category, at most 4 x ~250 rows.
CREATE TABLE messaging_queue_prices (
    queue_id bigint  NOT NULL REFERENCES messaging_queues (id) ON DELETE CASCADE,
    market   text    NOT NULL,
    category text    NOT NULL,
    credits  integer NOT NULL CHECK (credits >= 0),
    PRIMARY KEY (queue_id, market, category)
);

-- A charge keeps what was held for the message (the queue's category at the card's price when it started) beside
-- what was charged (category, credits: the category Meta billed and its price). Older charges were made at what
-- was held.
ALTER TABLE messaging_charges
    ADD COLUMN held_category text,
    ADD COLUMN held_credits  integer;
UPDATE messaging_charges SET held_category = category, held_credits = credits;
ALTER TABLE messaging_charges
    ALTER COLUMN held_category SET NOT NULL,
    ALTER COLUMN held_credits SET NOT NULL;

-- What Meta billed beyond a queue's holds that the owner's balance could not cover when the queue settled.
ALTER TABLE messaging_queues ADD COLUMN credits_uncovered bigint NOT NULL DEFAULT 0;
