using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Markets;

/// <summary>A market as <c>GET /v1/markets/{symbol}</c> shows it: definition, version, prices and funding.</summary>
[GenerateSerializer, Immutable, Alias("mg.MarketView")]
public sealed record MarketView(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long Version,
    [property: Id(2)] MarketSpec Spec,
    [property: Id(3)] ImmutableArray<BracketView> Brackets,
    [property: Id(4)] decimal? MarkPrice,
    [property: Id(5)] DateTimeOffset? MarkTime,
    [property: Id(6)] decimal? IndexPrice,
    [property: Id(7)] DateTimeOffset? IndexTime,
    [property: Id(8)] bool Stale,
    [property: Id(9)] decimal? LastFundingRate,
    [property: Id(10)] decimal PredictedFundingRate,
    [property: Id(11)] DateTimeOffset NextFundingTime,
    [property: Id(12)] decimal OpenInterest,
    [property: Id(13)] int Holders,
    [property: Id(14)] decimal UnresolvedDeficit);
