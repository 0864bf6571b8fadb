using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Grid.Tests.Support;

/// <summary>Market definitions the tests use: JSON bodies for the API, and specs for direct grain calls.</summary>
public static class Specs
{
    public static object Linear(string settleAsset, params (string Floor, int Leverage, string Mmr)[] brackets) => new
    {
        kind = "linear",
        settleAsset,
        contractSize = "1",
        tickSize = "0.01",
        lotSize = "0.001",
        brackets = (brackets.Length == 0 ? [("0", 50, "0.005")] : brackets)
            .Select(b => new { notionalFloor = b.Floor, maxLeverage = b.Leverage, maintenanceMarginRate = b.Mmr }).ToArray(),
        fundingIntervalHours = 8,
        interestRate = "0.0001",
        premiumClamp = "0.0005",
        fundingCap = "0.003",
        liquidationFeeRate = "0.0125",
        stalePriceSeconds = 600,
    };

    /// <summary>The same linear market with one 50× bracket at 0.5% maintenance, for grain calls.</summary>
    public static MarketSpec LinearSpec(string settleAsset) =>
        new("linear", settleAsset, 1m, 0.01m, 0.001m, [new BracketSpec(0m, 50, 0.005m)], 8, 0.0001m, 0.0005m, 0.003m, 0.0125m, 600);
}
