using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Grains.Markets;

/// <summary>What a market grain persists: its definitions and funding (its last mark is <see cref="LastMarkState"/>).</summary>
[GenerateSerializer]
public sealed class MarketState
{
    [Id(0)] public List<MarketSpecVersion> Versions { get; set; } = [];
    [Id(1)] public decimal? LastFundingRate { get; set; }
    [Id(2)] public Dictionary<string, FundingSettlement> AppliedSettlements { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public List<decimal> PremiumSamples { get; set; } = [];
    [Id(4)] public decimal UnresolvedDeficit { get; set; }
    [Id(5)] public HashSet<string> DeficitLiquidations { get; set; } = new(StringComparer.Ordinal);
    [Id(6)] public string? FundingDue { get; set; }
}
