-- Counters for ids that key money, reserved in blocks. A row update (not a sequence) so that a reservation
-- is flushed at its commit: nextval() alone writes no transaction id, and after a crash PostgreSQL may hand
-- out again a value whose WAL was never flushed.

CREATE TABLE mg_id_blocks (
    counter text   PRIMARY KEY,
    next    bigint NOT NULL CHECK (next > 0)
);
