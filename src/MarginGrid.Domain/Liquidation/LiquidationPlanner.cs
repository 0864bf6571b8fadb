using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Liquidation;

/// <summary>What each step of a liquidation should do (margin-rules.md section 8); it decides, never applies.</summary>
public static class LiquidationPlanner
{
    /// <summary>
    /// The partial step for a scope in breach: the position with the largest MM that sits above the first
    /// bracket is reduced by the smaller of (a) what takes its notional below its bracket's floor and (b) the
    /// smallest quantity that restores <c>marginBalance &gt; MM</c> at the current mark. Null when no position
    /// is above the first bracket: the full step follows directly.
    /// </summary>
    public static PartialReduction? PlanPartial(Account account, MarginScope scope, IMarketContext context, MarginLevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(context);
        var figures = account.Scope(scope, context, thresholds);
        var candidates = account.Positions.Values
            .Where(p => InScope(p, scope, context))
            .Select(p => (Position: p, Market: context.Market(p.Symbol), Mark: context.Mark(p.Symbol)))
            .Select(x => (x.Position, x.Market, x.Mark, Figures: MarginCalculator.ForPosition(x.Market, x.Position, x.Mark)))
            .Where(x => x.Figures.BracketIndex > 0)
            .OrderByDescending(x => x.Figures.MaintenanceMargin)
            .ThenBy(x => x.Position.Symbol, StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var (position, market, mark, own) = candidates[0];
        var lots = (long)(position.Quantity / market.LotSize);
        var belowFloorLots = LotsToLeaveBracket(market, position, mark, own.BracketIndex);
        var othersMm = figures.MaintenanceMargin - own.MaintenanceMargin;

        // Reducing at the mark moves UPnL into realized PnL: the scope's margin balance is unchanged, its MM falls.
        bool Restores(long reduceLots)
        {
            var remaining = position.Quantity - (reduceLots * market.LotSize);
            var mm = market.Brackets.MaintenanceMargin(ContractMath.Notional(market, remaining, mark));
            return figures.MarginBalance > othersMm + mm;
        }

        long low = 1, high = Math.Min(belowFloorLots, lots);
        if (high < 1)
        {
            return null;
        }

        if (!Restores(high))
        {
            return new PartialReduction(position.Symbol, high * market.LotSize);
        }

        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (Restores(mid))
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return new PartialReduction(position.Symbol, low * market.LotSize);
    }

    /// <summary>
    /// Splits the full step of a scope so that no deficit remains beyond what the fund can pay: when closing
    /// every position at its close price leaves <c>r</c> with <c>−r</c> above <paramref name="fundCanPay"/>,
    /// the largest position is closed in part at its bankruptcy price against counterparties. Closing all of
    /// a position at that price brings r to exactly 0, so a quantity of <c>q·S/(−r)</c> (S the shortfall),
    /// rounded up to the lot, covers the shortfall; the match price is the bankruptcy price rounded to the tick
    /// in the liquidated trader's favour. Null when the fund covers the close.
    /// </summary>
    /// <param name="scopeMargin">The cross wallet, or the isolated margin, before the close.</param>
    public static AdlPlan? PlanAdl(IReadOnlyList<ClosingPosition> closing, decimal scopeMargin, decimal fundCanPay)
    {
        ArgumentNullException.ThrowIfNull(closing);
        if (closing.Count == 0)
        {
            return null;
        }

        var realized = closing.Select(c => ContractMath.Pnl(c.Market, c.Position.Size, c.Position.EntryPrice, c.ClosePrice)).ToArray();
        var remaining = ExpectedRemaining(closing, scopeMargin);
        var shortfall = -remaining - fundCanPay;
        if (shortfall <= 0m)
        {
            return null;
        }

        var target = Enumerable.Range(0, closing.Count)
            .OrderByDescending(i => ContractMath.Notional(closing[i].Market, closing[i].Position.Quantity, closing[i].ClosePrice))
            .ThenBy(i => closing[i].Position.Symbol, StringComparer.Ordinal)
            .First();
        var (market, position, _) = closing[target];
        var othersRealized = realized.Sum() - realized[target];
        if (LiquidationPriceCalculator.Bankruptcy(market, position.Size, position.EntryPrice, scopeMargin, othersRealized) is not { } bankruptcy)
        {
            return null;
        }

        // The match price is the bankruptcy price on the tick grid, rounded in the liquidated trader's favour:
        // a matching engine needs a tick price, and the rounding (with the PnL rounded in the venue's favour)
        // can then never leave a satoshi of deficit behind.
        var price = position.Size > 0m ? market.RoundPriceUp(bankruptcy) : Math.Max(market.TickSize, market.RoundPriceDown(bankruptcy));
        var quantity = Math.Min(position.Quantity, market.RoundQuantityUp(position.Quantity * shortfall / -remaining));
        return new AdlPlan(position.Symbol, quantity, price);
    }

    /// <summary><c>r</c> if every position of the scope closed at its close price: the scope's margin plus the PnL realized.</summary>
    public static decimal ExpectedRemaining(IReadOnlyList<ClosingPosition> closing, decimal scopeMargin)
    {
        ArgumentNullException.ThrowIfNull(closing);
        return scopeMargin + closing.Sum(c => ContractMath.Pnl(c.Market, c.Position.Size, c.Position.EntryPrice, c.ClosePrice));
    }

    private static bool InScope(Position position, MarginScope scope, IMarketContext context) =>
        scope.Symbol is { } symbol
            ? position.Symbol == symbol && position.IsIsolated
            : !position.IsIsolated && position.SettleAsset == scope.Asset;

    /// <summary>How many lots take the notional strictly below the floor of bracket <paramref name="index"/>.</summary>
    private static long LotsToLeaveBracket(MarketDefinition market, Position position, decimal mark, int index)
    {
        var floor = market.Brackets[index].NotionalFloor;
        var unitNotional = ContractMath.Notional(market, market.LotSize, mark);
        var keepLots = (long)decimal.Floor(floor / unitNotional);
        if (keepLots * unitNotional >= floor)
        {
            keepLots--;
        }

        var totalLots = (long)(position.Quantity / market.LotSize);
        return totalLots - Math.Max(0, keepLots);
    }
}
