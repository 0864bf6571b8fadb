using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A holder's ADL score at this silo's newest marks, from the state its last report carried (size, entry,
/// scope balance, the scope's other positions): a holder whose marks stayed inside its bands is ranked at the
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

        var balance = report.ScopeBalance + ContractMath.Pnl(market, report.Size, report.EntryPrice, mark);
        foreach (var other in report.OthersOrEmpty)
        {
            if (directory.CachedDefinition(other.Symbol) is not { } otherMarket || directory.Cached(other.Symbol) is not { } otherMark)
            {
                return report.AdlScore;
            }

            balance += ContractMath.Pnl(otherMarket, other.Size, other.EntryPrice, otherMark.Price);
        }

        var position = new Position(market.Symbol, market.SettleAsset, MarginMode.Cross, 1, report.Size, report.EntryPrice, 0m);
        return AdlRanking.ScoreOf(market, position, mark, balance);
    }
}
