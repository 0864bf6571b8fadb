using System.Collections.Immutable;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Grains.Markets;

/// <summary>Between the wire's market spec and the domain's market definition.</summary>
public static class MarketSpecMapper
{
    public static MarketDefinition ToDomain(string symbol, MarketSpec spec, long version)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var kind = spec.Kind switch
        {
            "linear" => MarketKind.Linear,
            "inverse" => MarketKind.Inverse,
            _ => throw new DomainException(ErrorCodes.InvalidMarket, $"A market kind is 'linear' or 'inverse' (was '{spec.Kind}')."),
        };
        Require.That(!spec.Brackets.IsDefault, ErrorCodes.InvalidMarket, "A market needs risk brackets.");
        Require.That(spec.FundingIntervalHours is >= 1 and <= 168, ErrorCodes.InvalidMarket, "The funding interval is 1 to 168 hours.");
        Require.That(spec.StalePriceSeconds is >= 1 and <= 3600, ErrorCodes.InvalidMarket, "The stale price limit is 1 to 3600 seconds.");
        return new MarketDefinition(symbol, kind, spec.SettleAsset, spec.ContractSize, spec.TickSize, spec.LotSize,
            [.. spec.Brackets.Select(b => new RiskBracketSpec(b.NotionalFloor, b.MaxLeverage, b.MaintenanceMarginRate))],
            TimeSpan.FromHours(spec.FundingIntervalHours), spec.InterestRate, spec.PremiumClamp, spec.FundingCap,
            spec.LiquidationFeeRate, TimeSpan.FromSeconds(spec.StalePriceSeconds), version: version);
    }

    public static ImmutableArray<BracketView> Brackets(MarketDefinition market) =>
        [.. market.Brackets.Brackets.Select(b => new BracketView(b.NotionalFloor, b.MaxLeverage, b.MaintenanceMarginRate, b.MaintenanceAmount))];
}
