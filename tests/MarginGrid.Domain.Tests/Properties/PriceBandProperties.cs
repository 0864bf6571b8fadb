using CsCheck;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>
/// The price band is conservative: along random price paths, a mark inside the band computed at the
/// previous evaluation never has another level (a level change is never skipped). Brackets and inverse
/// curvature included.
/// </summary>
public sealed class PriceBandProperties
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;
    private int _steps;
    private int _inside;

    [Fact]
    public void A_mark_inside_the_band_never_changes_the_level_isolated()
    {
        var gen = Generators.AnyMarket.SelectMany(m => Gen.Select(Gen.Const(m), Gen.Bool, Generators.Quantity(m), Generators.Price(m), Gen.Int[5, 1_500],
            Gen.Int[-600, 600].Array[30]));
        gen.Sample((market, isLong, quantity, entry, marginPerMille, steps) =>
        {
            var margin = ContractMath.Notional(market, quantity, entry) * marginPerMille / 1_000m;
            var position = new Position(market.Symbol, market.SettleAsset, MarginMode.Isolated, 1, isLong ? quantity : -quantity, entry, margin);
            Walk(market, entry, steps, mark => (Level(market, position, margin, 0m, 0m, mark), PriceBandCalculator.For(market, position, margin, 0m, 0m, mark, Thresholds)));
        }, iter: 3_000, threads: 1);
        AssertBandsAreUseful();
    }

    [Fact]
    public void A_mark_inside_the_band_never_changes_the_level_cross_with_another_position()
    {
        var gen = Gen.Select(Generators.Linear, Generators.AnyMarket).SelectMany((target, other) => Gen.Select(
            Gen.Select(Gen.Const(target), Gen.Bool, Generators.Quantity(target), Generators.Price(target)),
            Gen.Select(Gen.Const(other), Gen.Bool, Generators.Quantity(other), Generators.Price(other)),
            Gen.Int[0, 2_000_000], Gen.Int[-600, 600].Array[30]));
        gen.Sample((t, o, walletUnits, steps) =>
        {
            var (market, isLong, quantity, entry) = t;
            var (otherMarket, otherLong, otherQuantity, otherMark) = o;
            var wallet = walletUnits * 10m;
            var other = new Position("OTHER", otherMarket.SettleAsset, MarginMode.Cross, 1, otherLong ? otherQuantity : -otherQuantity, otherMark, 0m);
            var otherFigures = MarginCalculator.ForPosition(otherMarket, other, otherMark);

            // The other position is held at its mark and, for the walk, counted in this scope's figures.
            var position = new Position(market.Symbol, market.SettleAsset, MarginMode.Cross, 1, isLong ? quantity : -quantity, entry, 0m);
            Walk(market, entry, steps, mark => (
                Level(market, position, wallet, otherFigures.MaintenanceMargin, otherFigures.UnrealizedPnl, mark),
                PriceBandCalculator.For(market, position, wallet, otherFigures.MaintenanceMargin, otherFigures.UnrealizedPnl, mark, Thresholds)));
        }, iter: 3_000, threads: 1);
        AssertBandsAreUseful();
    }

    /// <summary>A band of one price would be conservative and useless: most random steps must fall inside one.</summary>
    private void AssertBandsAreUseful() =>
        Assert.True(_inside * 2 > _steps, $"only {_inside} of {_steps} steps fell inside a band");

    /// <summary>Steps the mark by random per-mille moves; each mark inside the previous band must keep the previous level.</summary>
    private void Walk(MarketDefinition market, decimal start, int[] steps, Func<decimal, (MarginLevel Level, PriceBand Band)> evaluate)
    {
        var mark = start;
        var (level, band) = evaluate(mark);
        Assert.True(band.Contains(mark), $"band {band} excludes its own mark {mark}");
        foreach (var step in steps)
        {
            var next = Math.Max(market.TickSize, market.RoundPriceDown(mark * (1m + (step / 1_000m))));
            var (nextLevel, nextBand) = evaluate(next);
            _steps++;
            if (band.Contains(next))
            {
                _inside++;
                Assert.True(nextLevel == level, $"level changed {level} → {nextLevel} at {next} inside band {band} (from {mark})");
            }

            (mark, level, band) = (next, nextLevel, nextBand);
        }
    }

    private static MarginLevel Level(MarketDefinition market, Position position, decimal wallet, decimal otherMm, decimal otherUpnl, decimal mark)
    {
        var f = MarginCalculator.ForPosition(market, position, mark);
        return Thresholds.Classify(wallet + otherUpnl + f.UnrealizedPnl, otherMm + f.MaintenanceMargin);
    }
}
