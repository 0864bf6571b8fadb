namespace MarginGrid.Abstractions.Markets;

/// <summary>One version of a market's definition, with when it took effect.</summary>
[GenerateSerializer, Immutable, Alias("mg.MarketSpecVersion")]
public sealed record MarketSpecVersion(
    [property: Id(0)] long Version,
    [property: Id(1)] MarketSpec Spec,
    [property: Id(2)] DateTimeOffset At);
