-- Every finished liquidation record, appended once (by liquidation id) and never trimmed or changed.
-- position is the archive order: drawn from the sequence while the appender holds an advisory lock until
-- it commits, so positions become visible in increasing order and a paging cursor never skips one.

CREATE SEQUENCE mg_liquidation_position;

CREATE TABLE mg_liquidations (
    position       bigint      PRIMARY KEY,
    liquidation_id text        NOT NULL UNIQUE,
    account_id     text        NOT NULL,
    status         text        NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    record         jsonb       NOT NULL,
    archived_at    timestamptz NOT NULL DEFAULT now()
);

-- "An account's liquidations, newest first" and "in a time range" walk these in position order.
CREATE INDEX mg_liquidations_account ON mg_liquidations (account_id, position);
CREATE INDEX mg_liquidations_started ON mg_liquidations (started_at, position);

-- One row per symbol a record is found by (the marks at breach, the symbols its steps traded).
CREATE TABLE mg_liquidation_symbols (
    symbol   text   NOT NULL,
    position bigint NOT NULL REFERENCES mg_liquidations (position),
    PRIMARY KEY (symbol, position)
);

CREATE TRIGGER mg_liquidations_append_only BEFORE UPDATE OR DELETE ON mg_liquidations
    FOR EACH ROW EXECUTE FUNCTION mg_refuse_change();
CREATE TRIGGER mg_liquidation_symbols_append_only BEFORE UPDATE OR DELETE ON mg_liquidation_symbols
    FOR EACH ROW EXECUTE FUNCTION mg_refuse_change();
