using System.Collections.Immutable;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Markets;

namespace MarginGrid.LoadTest.Workload;

/// <summary>
/// The workload's markets: 70% linear (settled in USDT), 30% inverse (settled in their own coin), with
/// exchange-like bracket ladders scaled to each market's size, and start prices spread from 0.5 to 60,000.
/// </summary>
public static class MarketCatalog
{
    public static IReadOnlyList<LoadMarket> Create(int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var markets = new List<LoadMarket>(count);
        for (var k = 0; k < count; k++)
        {
            var inverse = k % 10 >= 7;
            var price = decimal.Round((decimal)Math.Exp(random.NextDouble() * Math.Log(120_000)) / 2m + 0.5m, 2);
            var tick = TickFor(price);
            price = decimal.Round(price / tick) * tick;
            var spec = inverse ? Inverse(k, price, tick) : Linear(price, tick);
            var symbol = inverse ? $"C{k:00}USD" : $"L{k:00}USDT";
            markets.Add(new LoadMarket(symbol, spec, MarketSpecMapper.ToDomain(symbol, spec, 1), price));
        }

        return markets;
    }

    /// <summary>About five significant digits of price, as venues list them.</summary>
    private static decimal TickFor(decimal price) => price switch
    {
        >= 10_000m => 0.1m,
        >= 1_000m => 0.01m,
        >= 100m => 0.001m,
        >= 10m => 0.0001m,
        _ => 0.00001m,
    };

    private static MarketSpec Linear(decimal price, decimal tick)
    {
        // Lots worth about 1 USDT or less, so any notional from 10 to 1,000,000 can be expressed.
        var lot = price >= 1_000m ? 0.0001m : price >= 10m ? 0.01m : 1m;
        return new MarketSpec("linear", "USDT", 1m, tick, lot, Ladder(1m), 8, 0.0001m, 0.0005m, 0.003m, 0.0125m, 30);
    }

    /// <summary>Inverse contracts of 10 USD, settled in the market's coin; brackets in coin notional.</summary>
    private static MarketSpec Inverse(int k, decimal price, decimal tick) =>
        new("inverse", $"C{k:00}", 10m, tick, 1m, Ladder(1m / price), 8, 0.0001m, 0.0005m, 0.003m, 0.0125m, 30);

    /// <summary>A nine-row ladder from 125× to 2×, floors in USD scaled into the settlement asset (1/price for an inverse market).</summary>
    private static ImmutableArray<BracketSpec> Ladder(decimal scale)
    {
        (decimal Floor, int Leverage, decimal Mmr)[] rows =
        [
            (0m, 125, 0.004m), (50_000m, 100, 0.005m), (250_000m, 50, 0.01m), (1_000_000m, 20, 0.025m), (5_000_000m, 10, 0.05m),
            (20_000_000m, 5, 0.1m), (50_000_000m, 4, 0.125m), (100_000_000m, 3, 0.15m), (200_000_000m, 2, 0.25m),
        ];
        return [.. rows.Select(r => new BracketSpec(decimal.Round(r.Floor * scale, 8), r.Leverage, r.Mmr))];
    }
}
