using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Margin;

/// <summary>
/// Liquidation and bankruptcy prices (margin-rules.md section 5).
/// </summary>
/// <remarks>
/// The bracket re-check is done exactly rather than by iteration: with cum derived from the floors,
/// <c>MM(N)</c> is the maximum of the brackets' lines <c>N·MMR_j − cum_j</c>, so the scope's
/// <c>marginBalance − MM</c> is the minimum of one monotone function per bracket. Its root is therefore the
/// largest of the per-bracket roots for a long and the smallest for a short, which is the same price the
/// spec's "recompute with the bracket at the result" converges to, without a loop that can oscillate at a floor.
/// </remarks>
public static class LiquidationPriceCalculator
{
    private const int MaxTickCorrections = 4;

    /// <summary>
    /// The mark at which the scope reaches <c>marginBalance = MM</c>, every other mark held; null when no
    /// positive price liquidates the position.
    /// </summary>
    /// <param name="wallet">Cross wallet, or the isolated margin.</param>
    /// <param name="otherMaintenance">TMM1: MM of the scope's other positions (0 for isolated).</param>
    /// <param name="otherUnrealizedPnl">UPNL1: UPnL of the scope's other positions (0 for isolated).</param>
    public static decimal? Raw(MarketDefinition market, decimal signedSize, decimal entryPrice, decimal wallet, decimal otherMaintenance, decimal otherUnrealizedPnl) =>
        Threshold(market, signedSize, entryPrice, wallet, otherMaintenance, otherUnrealizedPnl, 1m);

    /// <summary>
    /// The mark at which the scope reaches <c>marginBalance = MM / ratio</c>: the price at which its margin
    /// ratio crosses <paramref name="ratio"/> (1 is the liquidation price; 0.8 the warning level).
    /// Dividing MM by the ratio keeps it the maximum of the brackets' (scaled) lines, so the same exact
    /// per-bracket roots apply.
    /// </summary>
    public static decimal? Threshold(MarketDefinition market, decimal signedSize, decimal entryPrice, decimal wallet, decimal otherMaintenance, decimal otherUnrealizedPnl, decimal ratio)
    {
        ArgumentNullException.ThrowIfNull(market);
        var scale = 1m / ratio;
        if (signedSize == 0m)
        {
            return null;
        }

        var isLong = signedSize > 0m;
        decimal? result = null;
        var brackets = market.Brackets;
        for (var i = 0; i < brackets.Count; i++)
        {
            var bracket = brackets[i];
            var root = Solve(market, signedSize, entryPrice,
                wallet - (otherMaintenance * scale) + otherUnrealizedPnl + (bracket.MaintenanceAmount * scale), bracket.MaintenanceMarginRate * scale);
            if (root is not { } price || price <= 0m)
            {
                // No positive root: this bracket's line is either never binding or in breach at every
                // price. Which one depends on the direction in which it crosses zero.
                if (isLong == (market.Kind == MarketKind.Inverse))
                {
                    return null;
                }

                continue;
            }

            if (result is null || (isLong ? price > result : price < result))
            {
                result = price;
            }
        }

        return result;
    }

    /// <summary>
    /// The printed liquidation price: rounded to the tick away from the mark (a long down, a short up), so
    /// that a mark at it is a breach and one tick safer is not. The raw price is a correctly rounded
    /// 28-digit quotient; when the true price sits exactly on a tick, rounding can land one tick off, so
    /// the result is checked against <paramref name="breachAt"/> (the engine's own evaluation) and moved
    /// by at most a few ticks until both hold.
    /// </summary>
    public static decimal? Printed(MarketDefinition market, decimal signedSize, decimal? raw, Func<decimal, bool> breachAt)
    {
        ArgumentNullException.ThrowIfNull(breachAt);
        if (raw is not { } price || signedSize == 0m)
        {
            return null;
        }

        var safer = signedSize > 0m ? market.TickSize : -market.TickSize;
        var printed = signedSize > 0m ? market.RoundPriceDown(price) : market.RoundPriceUp(price);
        for (var i = 0; i < MaxTickCorrections && printed > 0m && !breachAt(printed); i++)
        {
            printed -= safer;
        }

        for (var i = 0; i < MaxTickCorrections && printed + safer > 0m && breachAt(printed + safer); i++)
        {
            printed += safer;
        }

        return printed > 0m ? printed : null;
    }

    /// <summary>The printed liquidation price of an isolated position.</summary>
    public static decimal? PrintedForIsolated(MarketDefinition market, Position position) =>
        Printed(market, position.Size, ForIsolated(market, position),
            mark => MarginCalculator.IsolatedScope(market, position, mark, MarginLevelThresholds.Default).InBreach);

    /// <summary>The printed liquidation price of the cross position at <paramref name="index"/>, the others held at their marks.</summary>
    public static decimal? PrintedForCross(decimal wallet, ReadOnlySpan<MarkedPosition> positions, int index)
    {
        var target = positions[index];
        var copy = positions.ToArray();
        return Printed(target.Market, target.Position.Size, ForCross(wallet, positions, index), mark =>
        {
            copy[index] = target with { Mark = mark };
            return MarginCalculator.CrossScope(target.Market.SettleAsset, wallet, copy, MarginLevelThresholds.Default).InBreach;
        });
    }

    /// <summary>The mark at which the scope's margin balance reaches 0 (MMR = cum = 0, other MM ignored).</summary>
    public static decimal? Bankruptcy(MarketDefinition market, decimal signedSize, decimal entryPrice, decimal wallet, decimal otherUnrealizedPnl)
    {
        if (signedSize == 0m)
        {
            return null;
        }

        var price = Solve(market, signedSize, entryPrice, wallet + otherUnrealizedPnl, 0m);
        return price is > 0m ? price : null;
    }

    /// <summary>The liquidation price of an isolated position.</summary>
    public static decimal? ForIsolated(MarketDefinition market, Position position) =>
        Raw(market, position.Size, position.EntryPrice, position.IsolatedMargin, 0m, 0m);

    /// <summary>The liquidation price of the cross position at <paramref name="index"/>, the others held at their marks.</summary>
    public static decimal? ForCross(decimal wallet, ReadOnlySpan<MarkedPosition> positions, int index)
    {
        var (otherMm, otherUpnl) = OthersInScope(positions, index);
        var target = positions[index];
        return Raw(target.Market, target.Position.Size, target.Position.EntryPrice, wallet, otherMm, otherUpnl);
    }

    /// <summary>The bankruptcy price of the cross position at <paramref name="index"/>, the others held at their marks.</summary>
    public static decimal? BankruptcyForCross(decimal wallet, ReadOnlySpan<MarkedPosition> positions, int index)
    {
        var (_, otherUpnl) = OthersInScope(positions, index);
        var target = positions[index];
        return Bankruptcy(target.Market, target.Position.Size, target.Position.EntryPrice, wallet, otherUpnl);
    }

    /// <summary>TMM1 and UPNL1: the cross positions of the same settlement asset other than <paramref name="index"/>.</summary>
    public static (decimal Maintenance, decimal UnrealizedPnl) OthersInScope(ReadOnlySpan<MarkedPosition> positions, int index)
    {
        var asset = positions[index].Market.SettleAsset;
        decimal mm = 0m, upnl = 0m;
        for (var i = 0; i < positions.Length; i++)
        {
            var p = positions[i];
            if (i == index || p.Position.Mode != MarginMode.Cross || p.Position.Size == 0m || p.Market.SettleAsset != asset)
            {
                continue;
            }

            var f = MarginCalculator.ForPosition(p.Market, p.Position, p.Mark);
            mm += f.MaintenanceMargin;
            upnl += f.UnrealizedPnl;
        }

        return (mm, upnl);
    }

    /// <summary>
    /// Solves one bracket's line. Linear: <c>LP = (C − s·q·cs·EP) / (q·cs·MMR − s·q·cs)</c>;
    /// inverse: <c>LP = (q·cs·MMR + s·q·cs) / (C + s·q·cs/EP)</c>, where C = WB − TMM1 + UPNL1 + cum.
    /// </summary>
    private static decimal? Solve(MarketDefinition market, decimal signedSize, decimal entryPrice, decimal c, decimal mmr)
    {
        var q = Math.Abs(signedSize) * market.ContractSize;
        var s = Math.Sign(signedSize);
        decimal numerator, denominator;
        if (market.Kind == MarketKind.Linear)
        {
            numerator = c - (s * q * entryPrice);
            denominator = (q * mmr) - (s * q);
        }
        else
        {
            numerator = (q * mmr) + (s * q);
            denominator = c + (s * q / entryPrice);
        }

        return denominator == 0m ? null : numerator / denominator;
    }
}
