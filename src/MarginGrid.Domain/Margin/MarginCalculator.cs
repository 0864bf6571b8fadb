using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Margin;

/// <summary>
/// Per-position and per-scope margin (margin-rules.md section 4). <see cref="Assess"/> is the hot path: it
/// reads spans and allocates nothing.
/// </summary>
public static class MarginCalculator
{
    /// <summary>Notional, UPnL, IM and MM of one position at a mark.</summary>
    public static PositionMargin ForPosition(MarketDefinition market, Position position, decimal mark)
    {
        var quantity = Math.Abs(position.Size);
        var notional = ContractMath.Notional(market, quantity, mark);
        var upnl = ContractMath.Pnl(market, position.Size, position.EntryPrice, mark);
        var index = market.Brackets.IndexOf(notional);
        var bracket = market.Brackets[index];
        var mm = (notional * bracket.MaintenanceMarginRate) - bracket.MaintenanceAmount;
        var im = notional / position.Leverage;
        return new PositionMargin(notional, upnl, im, mm, bracket.MaintenanceMarginRate, bracket.MaintenanceAmount, index);
    }

    /// <summary>The margin of an isolated position's own scope.</summary>
    public static ScopeMargin IsolatedScope(MarketDefinition market, Position position, decimal mark, MarginLevelThresholds thresholds)
    {
        var figures = ForPosition(market, position, mark);
        var balance = position.IsolatedMargin + figures.UnrealizedPnl;
        return new ScopeMargin(
            market.SettleAsset, MarginMode.Isolated, position.Symbol, position.IsolatedMargin, figures.UnrealizedPnl, balance,
            figures.InitialMargin, figures.MaintenanceMargin, Ratio(figures.MaintenanceMargin, balance),
            Math.Max(0m, balance - figures.InitialMargin), 0m, thresholds.Classify(balance, figures.MaintenanceMargin));
    }

    /// <summary>The cross scope of <paramref name="asset"/>: its wallet and every cross position settling in it.</summary>
    public static ScopeMargin CrossScope(string asset, decimal wallet, ReadOnlySpan<MarkedPosition> positions, MarginLevelThresholds thresholds)
    {
        var (upnl, im, mm) = SumCross(asset, positions);
        var balance = wallet + upnl;
        var available = Math.Max(0m, balance - im);
        return new ScopeMargin(
            asset, MarginMode.Cross, null, wallet, upnl, balance, im, mm, Ratio(mm, balance),
            available, Math.Max(0m, Math.Min(wallet, available)), thresholds.Classify(balance, mm));
    }

    /// <summary>
    /// The worst level over every scope of an account. Cross positions whose asset has no wallet are
    /// evaluated against a zero wallet.
    /// </summary>
    public static AccountHealth Assess(ReadOnlySpan<WalletBalance> wallets, ReadOnlySpan<MarkedPosition> positions, MarginLevelThresholds thresholds)
    {
        var worst = MarginLevel.Healthy;
        var breaches = 0;
        var open = 0;
        for (var i = 0; i < positions.Length; i++)
        {
            var p = positions[i];
            if (p.Position.Size == 0m)
            {
                continue;
            }

            open++;
            MarginLevel level;
            if (p.Position.Mode == MarginMode.Isolated)
            {
                var (upnl, mm) = Risk(p);
                level = thresholds.Classify(p.Position.IsolatedMargin + upnl, mm);
            }
            else
            {
                var asset = p.Market.SettleAsset;
                if (SeenCrossAssetBefore(positions, i, asset))
                {
                    continue;
                }

                var (upnl, mm) = SumCrossRisk(asset, positions[i..]);
                level = thresholds.Classify(WalletOf(wallets, asset) + upnl, mm);
            }

            if (level == MarginLevel.Breach)
            {
                breaches++;
            }

            if (level > worst)
            {
                worst = level;
            }
        }

        return new AccountHealth(worst, breaches, open);
    }

    public static decimal WalletOf(ReadOnlySpan<WalletBalance> wallets, string asset)
    {
        foreach (var w in wallets)
        {
            if (string.Equals(w.Asset, asset, StringComparison.Ordinal))
            {
                return w.Balance;
            }
        }

        return 0m;
    }

    private static (decimal Upnl, decimal Im, decimal Mm) SumCross(string asset, ReadOnlySpan<MarkedPosition> positions)
    {
        decimal upnl = 0m, im = 0m, mm = 0m;
        foreach (var p in positions)
        {
            if (p.Position.Mode != MarginMode.Cross || p.Position.Size == 0m || !string.Equals(p.Market.SettleAsset, asset, StringComparison.Ordinal))
            {
                continue;
            }

            var f = ForPosition(p.Market, p.Position, p.Mark);
            upnl += f.UnrealizedPnl;
            im += f.InitialMargin;
            mm += f.MaintenanceMargin;
        }

        return (upnl, im, mm);
    }

    /// <summary>UPnL and MM only: what a level needs. Initial margin would cost a decimal division per position.</summary>
    private static (decimal Upnl, decimal Mm) Risk(in MarkedPosition p)
    {
        var market = p.Market;
        var position = p.Position;
        var notional = ContractMath.Notional(market, Math.Abs(position.Size), p.Mark);
        var brackets = market.Brackets;
        var bracket = brackets[brackets.IndexOf(notional)];
        var mm = (notional * bracket.MaintenanceMarginRate) - bracket.MaintenanceAmount;
        return (ContractMath.Pnl(market, position.Size, position.EntryPrice, p.Mark), mm);
    }

    private static (decimal Upnl, decimal Mm) SumCrossRisk(string asset, ReadOnlySpan<MarkedPosition> positions)
    {
        decimal upnl = 0m, mm = 0m;
        foreach (ref readonly var p in positions)
        {
            if (p.Position.Mode != MarginMode.Cross || p.Position.Size == 0m || !string.Equals(p.Market.SettleAsset, asset, StringComparison.Ordinal))
            {
                continue;
            }

            var (u, m) = Risk(p);
            upnl += u;
            mm += m;
        }

        return (upnl, mm);
    }

    private static bool SeenCrossAssetBefore(ReadOnlySpan<MarkedPosition> positions, int index, string asset)
    {
        for (var j = 0; j < index; j++)
        {
            var q = positions[j].Position;
            if (q.Mode == MarginMode.Cross && q.Size != 0m && string.Equals(positions[j].Market.SettleAsset, asset, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static decimal? Ratio(decimal mm, decimal balance)
    {
        if (balance > 0m)
        {
            return mm / balance;
        }

        return mm > 0m ? null : 0m;
    }
}
