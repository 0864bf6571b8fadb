using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.LoadTest.Workload;

/// <summary>
/// Draws the accounts: 1–10 positions each (Poisson, mean 2.5), markets by a Zipf law (a few markets held by
/// many), 30% of positions isolated, notionals log-normal around 5,000 USD, and leverage from a distance to
/// liquidation: about 1% of accounts within 4–10% of a breach, the rest 15–80% away, always within the
/// leverage the position's bracket allows. Deposits cover exactly the initial margin plus a hair.
/// </summary>
public sealed class AccountPlanner(IReadOnlyList<LoadMarket> markets, Random random)
{
    private readonly double[] _zipf = ZipfCumulative(markets.Count, 1.1);

    public PlannedAccount Plan(int index)
    {
        var id = $"lt-{index:0000000}";
        var near = random.NextDouble() < 0.01;
        var distance = near ? 0.04 + (random.NextDouble() * 0.06) : 0.15 + (random.NextDouble() * 0.65);
        var count = Math.Min(markets.Count, Math.Clamp(Poisson(2.5), 1, 10));
        var chosen = new HashSet<int>();
        while (chosen.Count < count)
        {
            chosen.Add(ZipfIndex());
        }

        var positions = new List<PlannedPosition>(count);
        var deposits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var k in chosen)
        {
            var position = PlanPosition(markets[k], distance);
            positions.Add(position);
            var asset = position.Market.Spec.SettleAsset;
            deposits[asset] = deposits.GetValueOrDefault(asset) + position.InitialMargin;
        }

        // A hair above the initial margin (and whole satoshis), so every fill is accepted.
        foreach (var asset in deposits.Keys.ToList())
        {
            deposits[asset] = decimal.Round((deposits[asset] * 1.002m) + 0.00000100m, 8, MidpointRounding.AwayFromZero);
        }

        // Isolated first: each takes its margin from the wallet, and the cross positions count on what is left.
        return new PlannedAccount(id, deposits, [.. positions.OrderByDescending(p => p.Isolated)], near);
    }

    private PlannedPosition PlanPosition(LoadMarket market, double distance)
    {
        var spec = market.Spec;
        var usd = (decimal)Math.Clamp(5_000 * Math.Exp(NextGaussian() * 1.2), 50, 2_000_000);
        decimal quantity, notional;
        if (spec.Kind == "inverse")
        {
            quantity = Math.Max(1m, decimal.Floor(usd / spec.ContractSize));
            notional = quantity * spec.ContractSize / market.StartPrice;
        }
        else
        {
            quantity = Math.Max(spec.LotSize, decimal.Floor(usd / market.StartPrice / spec.LotSize) * spec.LotSize);
            notional = quantity * market.StartPrice;
        }

        var bracket = spec.Brackets.Last(b => b.NotionalFloor <= notional);
        var leverage = Math.Clamp((int)Math.Floor(1 / (distance + (double)bracket.MaintenanceMarginRate)), 1, bracket.MaxLeverage);
        var isolated = random.NextDouble() < 0.3;
        var initialMargin = decimal.Round(notional / leverage, 8, MidpointRounding.AwayFromZero) + 0.00000001m;
        return new PlannedPosition(market, random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell, quantity, isolated, leverage, initialMargin);
    }

    private int ZipfIndex()
    {
        var u = random.NextDouble();
        var i = Array.BinarySearch(_zipf, u);
        return Math.Min(i < 0 ? ~i : i, _zipf.Length - 1);
    }

    private int Poisson(double mean)
    {
        // Knuth's method: fine for a small mean.
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var k = 0;
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }

        return k;
    }

    private double NextGaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double[] ZipfCumulative(int n, double exponent)
    {
        var weights = Enumerable.Range(1, n).Select(r => 1 / Math.Pow(r, exponent)).ToArray();
        var total = weights.Sum();
        var cumulative = new double[n];
        var running = 0.0;
        for (var i = 0; i < n; i++)
        {
            running += weights[i] / total;
            cumulative[i] = running;
        }

        return cumulative;
    }
}
