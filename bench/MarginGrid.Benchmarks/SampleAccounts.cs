using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Benchmarks;

/// <summary>Deterministic accounts for the benchmarks: a mix of linear and inverse, cross and isolated positions.</summary>
public static class SampleAccounts
{
    private static readonly RiskBracketSpec[] LinearBrackets =
        [new(0m, 125, 0.004m), new(50_000m, 100, 0.005m), new(250_000m, 50, 0.01m), new(1_000_000m, 20, 0.025m)];

    private static readonly RiskBracketSpec[] InverseBrackets = [new(0m, 100, 0.005m), new(50m, 50, 0.01m), new(250m, 20, 0.025m)];

    public static MarketDefinition Linear(int i) => new($"L{i}USDT", MarketKind.Linear, "USDT", 1m, 0.01m, 0.001m, LinearBrackets,
        TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, 0.0125m, TimeSpan.FromSeconds(10));

    public static MarketDefinition Inverse(int i) => new($"I{i}USD", MarketKind.Inverse, "BTC", 100m, 0.5m, 1m, InverseBrackets,
        TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, 0.0125m, TimeSpan.FromSeconds(10));

    /// <summary><paramref name="count"/> positions: every fourth inverse, every third isolated, sizes and prices varied.</summary>
    public static MarkedPosition[] Positions(int count)
    {
        var positions = new MarkedPosition[count];
        for (var i = 0; i < count; i++)
        {
            var inverse = i % 4 == 3;
            var market = inverse ? Inverse(i) : Linear(i);
            var mode = i % 3 == 2 ? MarginMode.Isolated : MarginMode.Cross;
            var entry = inverse ? 30_000m + (i * 101.5m) : 1_000m + (i * 977.37m);
            var size = (i % 2 == 0 ? 1m : -1m) * (inverse ? 500m + (i * 37m) : 1.5m + (i * 0.731m));
            var mark = entry * (1m + ((i % 5) - 2) * 0.0137m);
            mark = market.RoundPriceDown(mark);
            var margin = mode == MarginMode.Isolated ? ContractMath.Notional(market, Math.Abs(size), entry) / 10m : 0m;
            positions[i] = new MarkedPosition(market, new Position(market.Symbol, market.SettleAsset, mode, 10, size, entry, margin), mark);
        }

        return positions;
    }

    public static WalletBalance[] Wallets() => [new("USDT", 250_000m), new("BTC", 12.5m)];
}
