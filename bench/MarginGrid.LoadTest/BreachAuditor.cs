using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.LoadTest;

/// <summary>
/// The independent check that no breach is missed: every account's raw holdings are valued with the domain
/// library at the marks the markets accepted. An account in breach and not with a coordinator is a candidate;
/// it is checked again after more than one tick interval, and if it is still in breach and still not being
/// liquidated, the grid missed it.
/// </summary>
public sealed class BreachAuditor(IGrainFactory grains, IReadOnlyDictionary<string, MarketDefinition> markets, MarginLevelThresholds thresholds)
{
    /// <summary>Audits every account; keeps the holdings of the last pass when <paramref name="keep"/> is set (for the sweep floor).</summary>
    public async Task<AuditResult> Audit(IReadOnlyList<string> accountIds, Func<IReadOnlyDictionary<string, decimal>> marks, TimeSpan wait, int concurrency,
        List<AccountHoldings>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        ArgumentNullException.ThrowIfNull(marks);
        var candidates = new System.Collections.Concurrent.ConcurrentBag<string>();
        var kept = keep is null ? null : new System.Collections.Concurrent.ConcurrentBag<AccountHoldings>();
        var unanswered = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(accountIds, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, _) =>
        {
            if (await Holdings(id) is not { } holdings)
            {
                // Busy past the call timeout (in a long liquidation): judged in the second pass instead.
                unanswered.Add(id);
                candidates.Add(id);
                return;
            }

            kept?.Add(holdings);
            if (!holdings.LiquidationPending && InBreach(holdings, marks()))
            {
                candidates.Add(id);
            }
        });
        keep?.AddRange(kept!);

        await Task.Delay(wait);
        var missed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var unknown = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, _) =>
        {
            if (await Holdings(id) is not { } holdings)
            {
                unknown.Add(id);
            }
            else if (!holdings.LiquidationPending && InBreach(holdings, marks()))
            {
                missed.Add(id);
            }
        });
        return new AuditResult(accountIds.Count, candidates.Count, missed.Count, [.. missed.Take(10)], unanswered.Count, unknown.Count);
    }

    /// <summary>The holdings, or null when the account did not answer within the call timeout.</summary>
    private async Task<AccountHoldings?> Holdings(string id)
    {
        try
        {
            return await grains.GetGrain<IAccountGrain>(id).GetHoldings();
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public bool InBreach(AccountHoldings holdings, IReadOnlyDictionary<string, decimal> marks)
    {
        ArgumentNullException.ThrowIfNull(holdings);
        ArgumentNullException.ThrowIfNull(marks);
        var (wallets, positions) = ToDomain(holdings, marks);
        return MarginCalculator.Assess(wallets, positions, thresholds).InBreach;
    }

    /// <summary>
    /// The holdings as the domain library's inputs, valued at <paramref name="marks"/>: the live balances, with the
    /// funding the account counts but has not written yet, since that is what the account judges itself on.
    /// </summary>
    public (WalletBalance[] Wallets, MarkedPosition[] Positions) ToDomain(AccountHoldings holdings, IReadOnlyDictionary<string, decimal> marks)
    {
        ArgumentNullException.ThrowIfNull(holdings);
        ArgumentNullException.ThrowIfNull(marks);
        var wallets = holdings.Wallets.Select(w => new WalletBalance(w.Asset, w.Balance + w.Unrealised)).ToArray();
        var positions = holdings.Positions.Select(p => new MarkedPosition(markets[p.Symbol],
            new Position(p.Symbol, p.SettleAsset, p.Mode == PositionMarginMode.Isolated ? MarginMode.Isolated : MarginMode.Cross, p.Leverage, p.Size, p.EntryPrice, p.IsolatedMargin + p.UnrealisedMargin),
            marks[p.Symbol])).ToArray();
        return (wallets, positions);
    }
}
