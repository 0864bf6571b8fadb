namespace MarginGrid.Abstractions.Markets;

/// <summary>What an account needs of a market: its definition at a version and the newest mark.</summary>
[GenerateSerializer, Immutable, Alias("mg.MarketQuote")]
public sealed record MarketQuote(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long Version,
    [property: Id(2)] MarketSpec Spec,
    [property: Id(3)] MarkUpdate? Mark);
