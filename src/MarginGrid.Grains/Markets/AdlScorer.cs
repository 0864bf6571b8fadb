using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A holder's ADL score at this silo's newest marks, from the state its last report carried (size, entry,
/// scope balance, the scope's cross positions): a holder whose marks stayed inside its bands is ranked at the
/// current marks like any other. The math is the domain's.
/// </summary>
public sealed class AdlScorer(MarketDirectory directory)
{
    /// <summary>The score in <paramref name="market"/> at <paramref name="mark"/>; the report's own score when a mark or definition is missing here.</summary>
    public decimal ScoreOf(HolderReport report, MarketDefinition market, decimal mark)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(market);
        if (report.Size == 0m || report.EntryPrice <= 0m)
        {
            return report.AdlScore;
        }

        // A cross scope's balance is its wallet and the PnL of all its cross positions; an isolated one's, its margin and its own PnL.
        var balance = report.ScopeBalance;
        if (report.CrossOrEmpty.IsEmpty)
        {
            balance += ContractMath.Pnl(market, report.Size, report.EntryPrice, mark);
        }

        foreach (var held in report.CrossOrEmpty)
        {
            if (held.Symbol == market.Symbol)
            {
                balance += ContractMath.Pnl(market, held.Size, held.EntryPrice, mark);
            }
            else if (directory.CachedDefinition(held.Symbol) is { } otherMarket && directory.Cached(held.Symbol) is { } otherMark)
            {
                balance += ContractMath.Pnl(otherMarket, held.Size, held.EntryPrice, otherMark.Price);
            }
            else
            {
                return report.AdlScore;
            }
        }

        var position = new Position(market.Symbol, market.SettleAsset, MarginMode.Cross, 1, report.Size, report.EntryPrice, 0m);
        return AdlRanking.ScoreOf(market, position, mark, balance);
    }
}
