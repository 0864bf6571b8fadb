using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;

namespace MarginGrid.Grains.Funds;

/// <summary>An insurance fund folded from its stream, with its flows (its view lists them and totals fees and payouts).</summary>
public sealed class FundState(string asset)
{
    public InsuranceFund Fund { get; } = new(asset);

    public List<(LedgerTransaction Transaction, DateTimeOffset At)> History { get; } = [];

    /// <summary>Every applied transaction by id: a replayed payout or deposit is answered without scanning the history.</summary>
    public Dictionary<string, LedgerTransaction> ById { get; } = new(StringComparer.Ordinal);
}
