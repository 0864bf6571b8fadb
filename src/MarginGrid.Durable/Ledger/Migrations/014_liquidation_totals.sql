-- The liquidation summary (GET /v1/liquidations/summary) as running totals, added to in the transaction that
-- archives the records, for the records that transaction added: each liquidation counts once, and a summary
-- read costs one small table, not a scan of every record ever archived. Metrics: records, status:<status>,
-- step:<kind> (counts), fees, fund_payouts, deficits (amounts).

CREATE TABLE mg_liquidation_totals (
    metric text    PRIMARY KEY,
    count  bigint  NOT NULL,
    amount numeric NOT NULL
);

-- Records archived before this table existed.
INSERT INTO mg_liquidation_totals (metric, count, amount)
SELECT metric, sum(count), sum(amount) FROM (
    SELECT 'records' AS metric, 1::bigint AS count, 0::numeric AS amount FROM mg_liquidations
    UNION ALL SELECT 'status:' || (record ->> 'status'), 1, 0 FROM mg_liquidations
    UNION ALL SELECT 'step:' || (step ->> 'kind'), 1, 0 FROM mg_liquidations, jsonb_array_elements(record -> 'steps') AS step
    UNION ALL SELECT 'fees', 0, (record ->> 'fee')::numeric FROM mg_liquidations
    UNION ALL SELECT 'fund_payouts', 0, (record ->> 'fundPayout')::numeric FROM mg_liquidations
    UNION ALL SELECT 'deficits', 0, (record ->> 'deficit')::numeric FROM mg_liquidations
) AS lines
GROUP BY metric;
