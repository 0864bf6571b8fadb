namespace MarginGrid.Grains.Persistence;

/// <summary>One additive line of the liquidation summary: a count and an amount under a metric name.</summary>
public sealed record LiquidationTotal(string Metric, long Count, decimal Amount);
