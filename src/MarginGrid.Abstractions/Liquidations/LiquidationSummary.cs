using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Liquidations;

/// <summary>The audit projection of finished liquidations: counts by outcome and step, and the money moved.</summary>
[GenerateSerializer, Immutable, Alias("mg.LiquidationSummary")]
public sealed record LiquidationSummary(
    [property: Id(0)] ImmutableDictionary<string, long> ByStatus,
    [property: Id(1)] ImmutableDictionary<string, long> ByStep,
    [property: Id(2)] decimal Fees,
    [property: Id(3)] decimal FundPayouts,
    [property: Id(4)] decimal Deficits,
    [property: Id(5)] long Events);
