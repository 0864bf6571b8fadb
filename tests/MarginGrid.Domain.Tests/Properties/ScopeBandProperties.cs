using CsCheck;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>
/// The bands of a whole cross scope hold together: along random joint price paths of 2–4 markets, whenever
/// every market's new mark is inside the band computed at the previous evaluation, the scope's level is
/// unchanged. This is what lets each market's shard skip an account on its own, while the other markets move.
/// </summary>
public sealed class ScopeBandProperties
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;

    [Fact]
    public void Marks_inside_every_band_never_change_the_level_linear() => Check(Generators.Linear, iterations: 2_000);

    [Fact]
    public void Marks_inside_every_band_never_change_the_level_inverse() => Check(Generators.Inverse, iterations: 2_000);

    private static void Check(Gen<MarketDefinition> markets, int iterations)
    {
        int steps = 0, allInside = 0, levels = 0;
        var legs = markets.SelectMany(m => Gen.Select(Gen.Const(m), Gen.Bool, Generators.Quantity(m), Generators.Price(m)));
        var gen = Gen.Select(legs.Array[2, 4], Gen.Int[0, 400], Gen.Int[-80, 80].Array[4].Array[30]);
        gen.Sample((legArray, walletPerMille, path) =>
        {
            var scope = legArray.Select(l => new MarkedPosition(l.Item1,
                new Position($"M{l.Item1.GetHashCode()}", l.Item1.SettleAsset, MarginMode.Cross, 1, l.Item2 ? l.Item3 : -l.Item3, l.Item4, 0m), l.Item4)).ToArray();
            var wallet = scope.Sum(p => MarginCalculator.ForPosition(p.Market, p.Position, p.Mark).Notional) * walletPerMille / 1_000m;
            var bands = new PriceBand[scope.Length];
            PriceBandCalculator.ForScope(wallet, scope, Thresholds, bands);
            var level = Level(wallet, scope);
            for (var i = 0; i < scope.Length; i++)
            {
                Assert.True(bands[i].Contains(scope[i].Mark), $"band {bands[i]} excludes its own mark {scope[i].Mark}");
            }

            var seen = new HashSet<MarginLevel> { level };
            foreach (var moves in path)
            {
                var next = scope.Select((p, i) => p with
                {
                    Mark = Math.Max(p.Market.TickSize, p.Market.RoundPriceDown(p.Mark * (1m + (moves[i] / 1_000m)))),
                }).ToArray();
                var nextLevel = Level(wallet, next);
                seen.Add(nextLevel);
                steps++;
                if (next.Select((p, i) => bands[i].Contains(p.Mark)).All(inside => inside))
                {
                    allInside++;
                    Assert.True(nextLevel == level,
                        $"level changed {level} → {nextLevel} with every mark inside its band: {string.Join("; ", next.Select((p, i) => $"{p.Mark} in {bands[i]}"))}");
                }

                scope = next;
                level = nextLevel;
                PriceBandCalculator.ForScope(wallet, scope, Thresholds, bands);
            }

            levels += seen.Count > 1 ? 1 : 0;
        }, iter: iterations, threads: 1);

        // Conservative and useless would also pass: the bands must hold most steps, and the paths must cross levels.
        Assert.True(allInside * 4 > steps, $"only {allInside} of {steps} steps had every mark inside its band");
        Assert.True(levels * 10 > iterations, $"only {levels} of {iterations} paths changed level");
    }

    private static MarginLevel Level(decimal wallet, MarkedPosition[] scope)
    {
        decimal balance = wallet, maintenance = 0m;
        foreach (var (market, position, mark) in scope)
        {
            var f = MarginCalculator.ForPosition(market, position, mark);
            balance += f.UnrealizedPnl;
            maintenance += f.MaintenanceMargin;
        }

        return Thresholds.Classify(balance, maintenance);
    }
}
