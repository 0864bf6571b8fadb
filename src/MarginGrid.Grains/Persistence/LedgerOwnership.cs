using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Markets;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Which legs of its transactions a stream records as its own. A transaction between a trader and the fund
/// is kept by both streams (each applies its own legs); counting each leg once, in the stream of the party
/// it belongs to, makes the ledger sum to zero per asset. House balances (external, clearing, fees,
/// residues, deficits) belong to no grain: the stream that posted the transaction keeps them.
/// </summary>
public static class LedgerOwnership
{
    public const string AccountPrefix = "account:";
    public const string FundPrefix = "fund:";

    /// <summary>The transactions an event of a money stream carries; none for other streams.</summary>
    public static IEnumerable<LedgerTransaction> Transactions(object storedEvent) => storedEvent switch
    {
        AccountEvent accountEvent => accountEvent.Transactions,
        LedgerTransaction transaction => [transaction],
        HolderChange or FundingSettlement => [],
        _ => throw new InvalidOperationException($"Unknown event type {storedEvent.GetType().Name}."),
    };

    /// <summary>The legs of <paramref name="storedEvent"/> that <paramref name="stream"/> owns.</summary>
    public static IEnumerable<(LedgerTransaction Transaction, LedgerEntry Entry)> OwnedEntries(string stream, object storedEvent)
    {
        foreach (var transaction in Transactions(storedEvent))
        {
            foreach (var entry in transaction.Entries.Where(e => Owns(stream, e.Account)))
            {
                yield return (transaction, entry);
            }
        }
    }

    public static bool Owns(string stream, LedgerAccount account) => account.Kind switch
    {
        LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin => stream == AccountPrefix + account.Owner,
        LedgerAccountKind.InsuranceFund => stream == FundPrefix + account.Asset,
        _ => true,
    };
}
