-- The event store and the money ledger. Both are append-only: a trigger refuses updates and deletes.

CREATE TABLE mg_events (
    stream      text        NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    event_type  text        NOT NULL,
    payload     jsonb       NOT NULL,
    command_key text,
    at          timestamptz NOT NULL,
    PRIMARY KEY (stream, version)
);

-- A command applied twice to one stream is impossible by construction (the key is checked before the
-- append); the index makes it impossible in the store too.
CREATE UNIQUE INDEX mg_events_command_key ON mg_events (stream, command_key) WHERE command_key IS NOT NULL;

-- One row per ledger leg, in the stream of the party it belongs to (house legs in the stream that posted them).
CREATE TABLE mg_ledger_entries (
    stream           text        NOT NULL,
    entry_id         text        NOT NULL,
    version          bigint      NOT NULL,
    transaction_id   text        NOT NULL,
    transaction_kind text        NOT NULL,
    entry_kind       text        NOT NULL,
    account_kind     text        NOT NULL,
    owner            text        NOT NULL,
    symbol           text        NOT NULL,
    asset            text        NOT NULL,
    amount           numeric     NOT NULL,
    at               timestamptz NOT NULL,
    PRIMARY KEY (stream, entry_id),
    FOREIGN KEY (stream, version) REFERENCES mg_events (stream, version)
);

CREATE INDEX mg_ledger_entries_transaction ON mg_ledger_entries (transaction_id);
CREATE INDEX mg_ledger_entries_account ON mg_ledger_entries (account_kind, owner, symbol, asset);

-- Balance snapshots of trader and fund balances, kept in the same transaction as their entries. House
-- balances (external, clearing, fees, residues, deficits) are summed when needed: a snapshot row for them
-- would be one hot row that every deposit or fill of every account must lock.
CREATE TABLE mg_balances (
    account_kind text        NOT NULL,
    owner        text        NOT NULL,
    symbol       text        NOT NULL,
    asset        text        NOT NULL,
    balance      numeric     NOT NULL,
    entries      bigint      NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (account_kind, owner, symbol, asset)
);

CREATE FUNCTION mg_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'MarginGrid: % is append-only', TG_TABLE_NAME;
END
$$;

CREATE TRIGGER mg_events_append_only BEFORE UPDATE OR DELETE ON mg_events
    FOR EACH ROW EXECUTE FUNCTION mg_refuse_change();
CREATE TRIGGER mg_ledger_entries_append_only BEFORE UPDATE OR DELETE ON mg_ledger_entries
    FOR EACH ROW EXECUTE FUNCTION mg_refuse_change();
