using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Liquidation;

/// <summary>Auto-deleveraging order (margin-rules.md section 8, step 5) and the quantile each account sees.</summary>
public static class AdlRanking
{
    /// <summary><c>PnL% · effectiveLeverage</c> when PnL% is positive, else <c>PnL% / effectiveLeverage</c>.</summary>
    public static decimal Score(decimal pnlPercent, decimal effectiveLeverage)
    {
        Require.Positive(effectiveLeverage, "Effective leverage", ErrorCodes.InvalidArgument);
        return pnlPercent > 0m ? pnlPercent * effectiveLeverage : pnlPercent / effectiveLeverage;
    }

    /// <summary>
    /// The score of a position at a mark: <c>PnL% = UPnL / |entry value|</c>,
    /// <c>effectiveLeverage = |N| / marginBalance of its scope</c>. A scope with no positive margin balance
    /// ranks first (it is the most leveraged possible).
    /// </summary>
    public static decimal ScoreOf(MarketDefinition market, Position position, decimal mark, decimal scopeMarginBalance)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(position);
        var entryValue = ContractMath.Notional(market, position.Quantity, position.EntryPrice);
        var upnl = ContractMath.Pnl(market, position.Size, position.EntryPrice, mark);
        var pnlPercent = upnl / entryValue;
        if (scopeMarginBalance <= 0m)
        {
            return decimal.MaxValue;
        }

        var effectiveLeverage = ContractMath.Notional(market, position.Quantity, mark) / scopeMarginBalance;
        return Score(pnlPercent, effectiveLeverage);
    }

    /// <summary>Highest score first; ties by account id so that every node ranks alike.</summary>
    public static IReadOnlyList<AdlCandidate> Rank(IEnumerable<AdlCandidate> candidates) =>
        [.. candidates.OrderByDescending(c => c.Score).ThenBy(c => c.AccountId, StringComparer.Ordinal)];

    /// <summary>The quantile 1 (last to be deleveraged) to 5 (first) of the candidate at 0-based <paramref name="rank"/> among <paramref name="count"/>.</summary>
    public static int Quantile(int rank, int count)
    {
        Require.That(count > 0 && rank >= 0 && rank < count, ErrorCodes.InvalidArgument, $"Rank {rank} is not within 0..{count - 1}.");
        return 5 - (rank * 5 / count);
    }
}
