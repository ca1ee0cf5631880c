-- Plans: packages and their contents, users' packages, and the append-only credit ledger.
-- Account ids are stored without foreign keys: accounts belong to identity, and money history
-- outlives a deleted account.

CREATE TABLE packages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    detail     text,
    days       integer     NOT NULL CHECK (days > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX packages_name_key ON packages (lower(name));

CREATE TABLE package_contents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    package_id    bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    name          text   NOT NULL,
    content_value text   NOT NULL
);
CREATE INDEX package_contents_package_idx ON package_contents (package_id, id);
CREATE INDEX package_contents_name_idx ON package_contents (lower(name), id);

-- A package given to an account for [starts_at, ends_at). ends_at is fixed when the package is given
-- (starts_at + the package's days then), so changing a package's days later does not shorten or
-- lengthen what was already given. A package in use cannot be deleted (no cascade).
CREATE TABLE user_packages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint      NOT NULL,
    package_id bigint      NOT NULL REFERENCES packages (id),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
    created_at timestamptz NOT NULL
);
CREATE INDEX user_packages_account_idx ON user_packages (account_id, ends_at);
CREATE INDEX user_packages_package_idx ON user_packages (package_id);

-- The ledger. An entry is never changed or removed; a correction is another entry.
CREATE TABLE credit_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id     bigint      NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('credit', 'debit')),
    amount         bigint      NOT NULL CHECK (amount <> 0),
    reason         text        NOT NULL,
    note           text,
    actor_id       bigint,
    reservation_id uuid,
    created_at     timestamptz NOT NULL
);
CREATE INDEX credit_entries_account_idx ON credit_entries (account_id, id DESC);

CREATE FUNCTION credit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_entries is append-only';
END;
$$;
CREATE TRIGGER credit_entries_append_only BEFORE UPDATE OR DELETE ON credit_entries
    FOR EACH ROW EXECUTE FUNCTION credit_entries_append_only();

-- Per account, the running sums of its entries, written in the same transaction as each entry. The row
-- is also the account's lock: every change locks it first, so concurrent spends are serialised and the
-- credit can never go below zero.
CREATE TABLE credit_balances (
    account_id bigint PRIMARY KEY,
    credit     bigint NOT NULL DEFAULT 0 CHECK (credit >= 0),
    debit      bigint NOT NULL DEFAULT 0 CHECK (debit >= 0)
);

-- Credits held for a spend: taken from the balance when reserved, then committed (spent for good) or
-- refunded (given back with a compensating entry). Exactly one of the two, at most once.
CREATE TABLE credit_reservations (
    id         uuid PRIMARY KEY,
    account_id bigint      NOT NULL,
    amount     bigint      NOT NULL CHECK (amount > 0),
    reason     text,
    state      text        NOT NULL CHECK (state IN ('held', 'committed', 'refunded')),
    created_at timestamptz NOT NULL,
    settled_at timestamptz
);
CREATE INDEX credit_reservations_held_idx ON credit_reservations (created_at) WHERE state = 'held';
