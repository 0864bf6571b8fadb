using System.Text.Json;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Vectors;

public sealed class LiquidationPriceVectorTests
{
    public static TheoryData<string> Cases => VectorFile.Ids("liquidation-price");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Liquidation_and_bankruptcy_prices_match(string id)
    {
        var vector = VectorFile.Case("liquidation-price", id);
        var tolerance = vector.Dec("tolerance");
        if (vector.Str("mode") == "cross")
        {
            CheckCross(vector, tolerance);
        }
        else
        {
            CheckIsolated(vector, tolerance);
        }
    }

    private static void CheckIsolated(JsonElement vector, decimal tolerance)
    {
        var kind = Enum.Parse<MarketKind>(vector.Str("kind"), ignoreCase: true);
        var market = TestMarkets.SingleBracket("X", kind, vector.Dec("maintenanceMarginRate"));
        Assert.Equal(vector.Dec("cum"), market.Brackets[0].MaintenanceAmount);
        var quantity = vector.Dec("quantity");
        var entry = vector.Dec("entryPrice");
        var margin = vector.Has("isolatedMargin")
            ? vector.Dec("isolatedMargin")
            : ContractMath.Notional(market, quantity, entry) / vector.GetProperty("leverage").GetInt32();

        foreach (var (side, sign) in new[] { ("Long", 1m), ("Short", -1m) })
        {
            var position = new Position("X", market.SettleAsset, MarginMode.Isolated, 1, sign * quantity, entry, margin);
            AssertClose(vector.Dec($"expect{side}"), LiquidationPriceCalculator.ForIsolated(market, position), tolerance);
            if (vector.Has($"expect{side}Bankruptcy"))
            {
                AssertClose(vector.Dec($"expect{side}Bankruptcy"), LiquidationPriceCalculator.Bankruptcy(market, sign * quantity, entry, margin, 0m), tolerance);
            }
        }
    }

    private static void CheckCross(JsonElement vector, decimal tolerance)
    {
        var wallet = vector.Dec("wallet");
        var marked = vector.GetProperty("positions").EnumerateArray().Select(p =>
        {
            var market = TestMarkets.SingleBracket(p.Str("market"), MarketKind.Linear, p.Dec("maintenanceMarginRate"));
            var position = new Position(market.Symbol, "USDT", MarginMode.Cross, 10, p.Dec("quantity"), p.Dec("entryPrice"), 0m);
            return new MarkedPosition(market, position, p.Dec("mark"));
        }).ToArray();

        var expect = vector.GetProperty("expect");
        var scope = MarginCalculator.CrossScope("USDT", wallet, marked, MarginLevelThresholds.Default);
        Assert.Equal(expect.Dec("marginBalance"), scope.MarginBalance);
        Assert.Equal(expect.Dec("maintenanceMargin"), scope.MaintenanceMargin);
        Assert.Equal(expect.Dec("marginRatio"), decimal.Round(scope.MarginRatio!.Value, 10));

        for (var i = 0; i < marked.Length; i++)
        {
            var name = $"liquidationPrice{marked[i].Position.Symbol}";
            AssertClose(expect.Dec(name), LiquidationPriceCalculator.ForCross(wallet, marked, i), tolerance);
        }
    }

    private static void AssertClose(decimal expected, decimal? actual, decimal tolerance)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(decimal.Round(actual.Value, 8) - expected) <= tolerance, $"expected {expected}, got {actual}");
    }
}
