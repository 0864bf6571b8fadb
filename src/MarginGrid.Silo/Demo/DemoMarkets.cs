using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Silo.Demo;

/// <summary>The demo's markets: three linear, two inverse, with realistic brackets, and where their marks start.</summary>
public static class DemoMarkets
{
    public static readonly (string Symbol, MarketSpec Spec, decimal Start)[] All =
    [
        ("BTCUSDT", Linear("0.1", "0.001", [("0", 125, "0.004"), ("50000", 100, "0.005"), ("250000", 50, "0.01"), ("1000000", 20, "0.025")]), 60_000m),
        ("ETHUSDT", Linear("0.01", "0.01", [("0", 100, "0.005"), ("10000", 75, "0.0065"), ("100000", 50, "0.01"), ("500000", 25, "0.02")]), 3_000m),
        ("SOLUSDT", Linear("0.001", "0.1", [("0", 50, "0.01"), ("5000", 25, "0.02"), ("50000", 10, "0.05")]), 150m),
        ("BTCUSD", Inverse("100", "0.5", [("0", 100, "0.005"), ("5", 50, "0.01"), ("25", 20, "0.025")]), 60_000m),
        ("ETHUSD", Inverse("10", "0.05", [("0", 75, "0.0065"), ("50", 50, "0.01"), ("250", 20, "0.025")]), 3_000m),
    ];

    private static MarketSpec Linear(string tick, string lot, (string Floor, int Leverage, string Mmr)[] brackets) =>
        new("linear", "USDT", 1m, decimal.Parse(tick, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(lot, System.Globalization.CultureInfo.InvariantCulture),
            Brackets(brackets), 8, 0.0001m, 0.0005m, 0.003m, 0.0125m, 10);

    private static MarketSpec Inverse(string contractSize, string tick, (string Floor, int Leverage, string Mmr)[] brackets) =>
        new("inverse", "BTC", decimal.Parse(contractSize, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(tick, System.Globalization.CultureInfo.InvariantCulture), 1m,
            Brackets(brackets), 8, 0.0001m, 0.0005m, 0.003m, 0.0125m, 10);

    private static System.Collections.Immutable.ImmutableArray<BracketSpec> Brackets((string Floor, int Leverage, string Mmr)[] rows) =>
        [.. rows.Select(r => new BracketSpec(decimal.Parse(r.Floor, System.Globalization.CultureInfo.InvariantCulture), r.Leverage,
            decimal.Parse(r.Mmr, System.Globalization.CultureInfo.InvariantCulture)))];
}
