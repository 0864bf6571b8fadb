-- The newest snapshot of each stream: its folded state at a version, written in the same transaction as the
-- append that reaches that version, so activation reads it and only the events after it. Unlike the events it
-- is replaced in place: it is derived from them and can always be rebuilt by folding the stream.

CREATE TABLE mg_snapshots (
    stream        text        PRIMARY KEY,
    version       bigint      NOT NULL CHECK (version > 0),
    snapshot_type text        NOT NULL,
    payload       jsonb       NOT NULL,
    at            timestamptz NOT NULL,
    FOREIGN KEY (stream, version) REFERENCES mg_events (stream, version)
);
