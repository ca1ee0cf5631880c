-- Issue 17: parameter sweeps. A sweep runs in the instance that accepted it and beats its heart into
-- heartbeat_at while it runs; one whose heart stopped (a restart, a crash) is marked failed, never left
-- half-stored: results are written once, with the status done, or not at all.
CREATE TABLE trading_sweeps (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id      bigint      NOT NULL,
    status        text        NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
    strategy      text        NOT NULL,
    objective     text        NOT NULL CHECK (objective IN ('sharpe', 'profit', 'calmar')),
    request       jsonb       NOT NULL,
    combinations  integer     NOT NULL,
    skipped       integer     NOT NULL,
    candles       integer     NOT NULL,
    folds         integer,
    done          integer     NOT NULL DEFAULT 0,
    results       jsonb,
    walk_forward  jsonb,
    error         text,
    created_at    timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL,
    finished_at   timestamptz
);
CREATE INDEX trading_sweeps_owner_idx ON trading_sweeps (owner_id, id);
-- One running sweep per user.
CREATE UNIQUE INDEX trading_sweeps_one_running_idx ON trading_sweeps (owner_id) WHERE status = 'running';
