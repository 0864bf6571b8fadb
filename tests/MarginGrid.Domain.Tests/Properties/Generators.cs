using CsCheck;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>Random markets and positions, built from integers so every price is on its tick and every quantity on its lot.</summary>
public static class Generators
{
    /// <summary>A valid bracket table: 1–5 rows, floors rising, rates rising, leverage falling, MMR·maxLeverage ≤ 1.</summary>
    public static Gen<RiskBracketSpec[]> Brackets(decimal floorUnit) =>
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 50], Gen.Int[1, 1000].Array[4], Gen.Int[0, 30].Array[4]).Select((count, firstMmrBasisPoints, floorSteps, mmrSteps) =>
        {
            var rows = new RiskBracketSpec[count];
            decimal floor = 0m, mmr = firstMmrBasisPoints / 10_000m;
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    floor += floorSteps[i - 1] * floorUnit;
                    mmr += mmrSteps[i - 1] / 10_000m;
                }

                var maxLeverage = (int)Math.Min(125m, decimal.Floor(1m / mmr));
                rows[i] = new RiskBracketSpec(floor, Math.Min(maxLeverage, i == 0 ? 125 : rows[i - 1].MaxLeverage), mmr);
            }

            return rows;
        });

    public static Gen<MarketDefinition> Linear { get; } =
        Gen.Select(Brackets(1_000m), Gen.OneOfConst(0.01m, 0.1m, 0.5m, 1m), Gen.OneOfConst(0.001m, 0.01m, 1m)).Select((brackets, tick, lot) =>
            new MarketDefinition("LIN", MarketKind.Linear, "USDT", 1m, tick, lot, brackets, TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, 0.0125m, TimeSpan.FromSeconds(10)));

    public static Gen<MarketDefinition> Inverse { get; } =
        Gen.Select(Brackets(0.5m), Gen.OneOfConst(0.5m, 0.1m), Gen.OneOfConst(1m, 100m)).Select((brackets, tick, contractSize) =>
            new MarketDefinition("INV", MarketKind.Inverse, "BTC", contractSize, tick, 1m, brackets, TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, 0.0125m, TimeSpan.FromSeconds(10)));

    public static Gen<MarketDefinition> AnyMarket { get; } = Gen.Frequency((1, Linear), (1, Inverse));

    /// <summary>A price on the market's tick, between 1 and 200,000 ticks' worth of realistic levels.</summary>
    public static Gen<decimal> Price(MarketDefinition market) =>
        Gen.Int[100, 2_000_000].Select(ticks => Math.Max(market.TickSize, decimal.Round(ticks * 0.05m / market.TickSize) * market.TickSize));

    /// <summary>A quantity of 1–20,000 lots.</summary>
    public static Gen<decimal> Quantity(MarketDefinition market) => Gen.Int[1, 20_000].Select(lots => lots * market.LotSize);
}
