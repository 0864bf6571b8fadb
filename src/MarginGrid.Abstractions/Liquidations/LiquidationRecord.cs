using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// Everything about one liquidation (margin-rules.md section 8): the breach, each step, and the outcome,
/// so that "why was I liquidated" has an answer that adds up. <see cref="Status"/> is <c>running</c>,
/// <c>recovered</c> (the partial step restored the margin), <c>closed</c>, or <c>cancelled</c> (no longer
/// in breach when it started).
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.LiquidationRecord")]
public sealed record LiquidationRecord(
    [property: Id(0)] string LiquidationId,
    [property: Id(1)] BreachReport Breach,
    [property: Id(2)] string Status,
    [property: Id(3)] ImmutableArray<LiquidationStep> Steps,
    [property: Id(4)] decimal Fee,
    [property: Id(5)] decimal FundPayout,
    [property: Id(6)] decimal Deficit,
    [property: Id(7)] decimal TraderKeeps,
    [property: Id(8)] DateTimeOffset StartedAt,
    [property: Id(9)] DateTimeOffset? EndedAt,
    [property: Id(10)] string? TraceId,
    [property: Id(11)] long Sequence);
