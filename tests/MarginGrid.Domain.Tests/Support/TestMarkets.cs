using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Tests.Support;

/// <summary>Markets the tests build on.</summary>
public static class TestMarkets
{
    public static readonly RiskBracketSpec[] BtcBrackets =
    [
        new(0m, 125, 0.004m),
        new(50_000m, 100, 0.005m),
        new(250_000m, 50, 0.01m),
        new(1_000_000m, 20, 0.025m),
    ];

    public static MarketDefinition Linear(
        string symbol = "BTCUSDT",
        IReadOnlyList<RiskBracketSpec>? brackets = null,
        decimal tick = 0.01m,
        decimal lot = 0.001m,
        decimal liquidationFeeRate = 0.0125m,
        decimal contractSize = 1m) =>
        new(symbol, MarketKind.Linear, "USDT", contractSize, tick, lot, brackets ?? BtcBrackets,
            TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, liquidationFeeRate, TimeSpan.FromSeconds(10));

    public static MarketDefinition Inverse(
        string symbol = "BTCUSD",
        IReadOnlyList<RiskBracketSpec>? brackets = null,
        decimal contractSize = 100m,
        decimal tick = 0.5m,
        decimal lot = 1m) =>
        new(symbol, MarketKind.Inverse, "BTC", contractSize, tick, lot, brackets ?? [new(0m, 100, 0.005m), new(50m, 50, 0.01m), new(250m, 20, 0.025m)],
            TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, 0.0125m, TimeSpan.FromSeconds(10));

    /// <summary>A one-bracket market with the given maintenance margin rate (cum 0).</summary>
    public static MarketDefinition SingleBracket(string symbol, MarketKind kind, decimal mmr, int maxLeverage = 100, decimal contractSize = 1m, decimal tick = 0.00000001m, decimal lot = 0.00000001m) =>
        new(symbol, kind, kind == MarketKind.Linear ? "USDT" : "BTC", contractSize, tick, lot, [new(0m, maxLeverage, mmr)],
            TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, 0.0125m, TimeSpan.FromSeconds(10));
}
