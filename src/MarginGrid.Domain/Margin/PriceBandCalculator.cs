using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Margin;

/// <summary>
/// The band of marks of one position's market inside which its scope's level cannot change. The level is
/// monotone in the mark (a long is safer higher, a short lower), so the band lies between the prices at
/// which the ratio crosses the thresholds next to the current level. Each crossing is found exactly, per
/// bracket, as the liquidation price is. The band is then shrunk by a tick on each side, so that 28-digit
/// rounding of the roots can never put a level change inside it.
/// </summary>
public static class PriceBandCalculator
{
    /// <param name="wallet">Cross wallet, or the isolated margin.</param>
    /// <param name="otherMaintenance">MM of the scope's other positions (0 for isolated).</param>
    /// <param name="otherUnrealizedPnl">UPnL of the scope's other positions (0 for isolated).</param>
    /// <param name="mark">The mark the level was evaluated at; the band always contains it.</param>
    public static PriceBand For(MarketDefinition market, Position position, decimal wallet, decimal otherMaintenance, decimal otherUnrealizedPnl,
        decimal mark, MarginLevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(position);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (position.Size == 0m)
        {
            return PriceBand.Unbounded;
        }

        var figures = MarginCalculator.ForPosition(market, position, mark);
        var level = thresholds.Classify(wallet + otherUnrealizedPnl + figures.UnrealizedPnl, otherMaintenance + figures.MaintenanceMargin);
        decimal? Crossing(decimal ratio) =>
            LiquidationPriceCalculator.Threshold(market, position.Size, position.EntryPrice, wallet, otherMaintenance, otherUnrealizedPnl, ratio);

        // Towards danger: the crossing into the next worse level. Towards safety: the crossing out of this one.
        var worse = level == MarginLevel.Breach ? null : Crossing(RatioOf(level + 1, thresholds));
        var better = level == MarginLevel.Healthy ? null : Crossing(RatioOf(level, thresholds));
        var isLong = position.Size > 0m;
        var (lowRoot, highRoot) = isLong ? (worse, better) : (better, worse);

        // The price at the root itself may already be the other level: stay a tick inside, and never past the mark.
        decimal? low = lowRoot is { } l ? Math.Min(mark, market.RoundPriceUp(l) + market.TickSize) : null;
        decimal? high = highRoot is { } h ? Math.Max(mark, market.RoundPriceDown(h) - market.TickSize) : null;

        // A missing crossing means the level never changes that way (crossing "at every price" cannot be:
        // the level at the mark says otherwise), so that side is unbounded.
        return new PriceBand(low, high);
    }

    /// <summary>The band of the position at <paramref name="index"/> in its cross scope, the others held at their marks.</summary>
    public static PriceBand ForCross(decimal wallet, ReadOnlySpan<MarkedPosition> positions, int index, MarginLevelThresholds thresholds)
    {
        var (otherMm, otherUpnl) = LiquidationPriceCalculator.OthersInScope(positions, index);
        var target = positions[index];
        return For(target.Market, target.Position, wallet, otherMm, otherUpnl, target.Mark, thresholds);
    }

    private static decimal RatioOf(MarginLevel level, MarginLevelThresholds thresholds) => level switch
    {
        MarginLevel.Warning => thresholds.Warning,
        MarginLevel.Danger => thresholds.Danger,
        _ => 1m,
    };
}
