-- Grain state that decides money (running liquidations, the insurance fund's reservations), kept where the
-- ledger is: synchronously committed, so that no Redis crash or lagging failover can take back a write that
-- was acknowledged. One row per grain and state; etag is compare-and-set on every write.

CREATE TABLE mg_grain_state (
    grain_id   text        NOT NULL,
    state_name text        NOT NULL,
    etag       bigint      NOT NULL,
    payload    bytea       NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (grain_id, state_name)
);
