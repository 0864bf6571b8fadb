-- A liquidation coordinator partition's running liquidations and the finished records the archive has not
-- confirmed, one row per liquidation, so a step rewrites only what it changed. The fence is raised by every
-- activation that takes a partition over; a write names the fence it holds and is refused once it is not the
-- newest, so a stale activation can never overwrite a newer one.

CREATE TABLE mg_liquidation_partitions (
    partition_id bigint PRIMARY KEY,
    fence        bigint NOT NULL
);

CREATE TABLE mg_liquidation_work (
    partition_id   bigint      NOT NULL,
    liquidation_id text        NOT NULL,
    payload        bytea       NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (partition_id, liquidation_id)
);
