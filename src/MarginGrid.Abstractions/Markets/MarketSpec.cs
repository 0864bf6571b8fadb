using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Markets;

/// <summary>A market definition as <c>PUT /v1/markets/{symbol}</c> carries it.</summary>
[GenerateSerializer, Immutable, Alias("mg.MarketSpec")]
public sealed record MarketSpec(
    [property: Id(0)] string Kind,
    [property: Id(1)] string SettleAsset,
    [property: Id(2)] decimal ContractSize,
    [property: Id(3)] decimal TickSize,
    [property: Id(4)] decimal LotSize,
    [property: Id(5)] ImmutableArray<BracketSpec> Brackets,
    [property: Id(6)] int FundingIntervalHours,
    [property: Id(7)] decimal InterestRate,
    [property: Id(8)] decimal PremiumClamp,
    [property: Id(9)] decimal FundingCap,
    [property: Id(10)] decimal LiquidationFeeRate,
    [property: Id(11)] int StalePriceSeconds);
