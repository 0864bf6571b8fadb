namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// A price from a feed, published on the market's price-feed stream: a mark from the exchange's
/// mark-price service (<see cref="IsIndex"/> false), or an index tick with optional impact prices.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.PriceTick")]
public sealed record PriceTick(
    [property: Id(0)] string Symbol,
    [property: Id(1)] bool IsIndex,
    [property: Id(2)] decimal Price,
    [property: Id(3)] decimal? ImpactBid,
    [property: Id(4)] decimal? ImpactAsk);
