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

    /// <summary>
    /// Bands for every position of one scope at once, valid together: while each market's mark stays inside
    /// its band, the scope's level cannot change, however the marks move jointly. The scope's distance to
    /// each neighbouring threshold is a sum of per-position terms (UPnL − MM/ratio), so it is split between
    /// the positions by notional, and each position's band is where its own term stays inside its share.
    /// For a single position this is exactly <see cref="For"/>.
    /// </summary>
    /// <param name="wallet">Cross wallet of the scope's asset, or the isolated margin of a one-position scope.</param>
    /// <param name="scope">The scope's open positions, each at the mark it was evaluated at.</param>
    /// <param name="bands">Receives one band per position of <paramref name="scope"/>, in the same order.</param>
    public static void ForScope(decimal wallet, ReadOnlySpan<MarkedPosition> scope, MarginLevelThresholds thresholds, Span<PriceBand> bands)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (bands.Length < scope.Length)
        {
            throw new ArgumentException("One band per position is needed.", nameof(bands));
        }

        if (scope.Length == 1)
        {
            bands[0] = For(scope[0].Market, scope[0].Position, wallet, 0m, 0m, scope[0].Mark, thresholds);
            return;
        }

        decimal balance = wallet, maintenance = 0m, notional = 0m;
        foreach (var (market, position, mark) in scope)
        {
            var f = MarginCalculator.ForPosition(market, position, mark);
            balance += f.UnrealizedPnl;
            maintenance += f.MaintenanceMargin;
            notional += f.Notional;
        }

        var level = thresholds.Classify(balance, maintenance);
        decimal? worseRatio = level == MarginLevel.Breach ? null : RatioOf(level + 1, thresholds);
        decimal? betterRatio = level == MarginLevel.Healthy ? null : RatioOf(level, thresholds);
        for (var i = 0; i < scope.Length; i++)
        {
            var (market, position, mark) = scope[i];
            if (position.Size == 0m)
            {
                bands[i] = PriceBand.Unbounded;
                continue;
            }

            var f = MarginCalculator.ForPosition(market, position, mark);
            var share = notional == 0m ? 1m / scope.Length : f.Notional / notional;

            // The term g = UPnL − MM/ratio may fall by at most its share of the scope's F = MB − MM/ratio towards the
            // worse threshold (F > 0 there), and rise by at most its share of −F towards the better one (F ≤ 0).
            // Both boundaries are where g = own − share·F; Threshold() finds that with "wallet" = −target, alone.
            decimal? Crossing(decimal ratio)
            {
                var distance = balance - (maintenance / ratio);
                var target = f.UnrealizedPnl - (f.MaintenanceMargin / ratio) - (share * distance);
                return LiquidationPriceCalculator.Threshold(market, position.Size, position.EntryPrice, -target, 0m, 0m, ratio);
            }

            var worse = worseRatio is { } w ? Crossing(w) : null;
            var better = betterRatio is { } b ? Crossing(b) : null;
            var (lowRoot, highRoot) = position.Size > 0m ? (worse, better) : (better, worse);
            decimal? low = lowRoot is { } l ? Math.Min(mark, market.RoundPriceUp(l) + market.TickSize) : null;
            decimal? high = highRoot is { } h ? Math.Max(mark, market.RoundPriceDown(h) - market.TickSize) : null;
            bands[i] = new PriceBand(low, high);
        }
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
