namespace MarginGrid.Grid.Tests.Support;

/// <summary>Market definitions the API tests use, as JSON bodies.</summary>
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
}
