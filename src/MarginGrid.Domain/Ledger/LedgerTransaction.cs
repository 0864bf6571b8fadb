using System.Collections.Immutable;
using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Ledger;

/// <summary>
/// A balanced set of entries with one id: its legs sum to zero in each asset, so value only ever moves.
/// Zero legs are dropped. The id is the idempotency key of the command that produced it, plus a suffix
/// where one command posts several transactions.
/// </summary>
public sealed record LedgerTransaction
{
    private LedgerTransaction(string transactionId, string kind, ImmutableArray<LedgerEntry> entries)
    {
        TransactionId = transactionId;
        Kind = kind;
        Entries = entries;
    }

    public string TransactionId { get; }

    /// <summary>A short word for what happened (deposit, fill, funding, liquidation, adl, ...).</summary>
    public string Kind { get; }

    public ImmutableArray<LedgerEntry> Entries { get; }

    public static LedgerTransaction Create(string transactionId, string kind, params ReadOnlySpan<LedgerLeg> legs)
    {
        Require.CompositeId(transactionId, "A transaction id");
        var builder = ImmutableArray.CreateBuilder<LedgerEntry>(legs.Length);
        foreach (var leg in legs)
        {
            if (leg.Amount != 0m)
            {
                builder.Add(new LedgerEntry($"{transactionId}#{builder.Count}", transactionId, leg.Account, leg.Amount, leg.Kind));
            }
        }

        var entries = builder.ToImmutable();
        foreach (var (asset, sum) in Imbalances(entries))
        {
            throw new InvalidOperationException($"Transaction {transactionId} does not balance in {asset}: legs sum to {sum}.");
        }

        return new LedgerTransaction(transactionId, kind, entries);
    }

    /// <summary>Each asset whose legs in <paramref name="entries"/> do not sum to zero, with that sum.</summary>
    public static IEnumerable<(string Asset, decimal Sum)> Imbalances(IEnumerable<LedgerEntry> entries) =>
        entries.GroupBy(e => e.Account.Asset, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(e => e.Amount)))
            .Where(a => a.Item2 != 0m);

    /// <summary>The net amount this transaction credits to <paramref name="account"/>.</summary>
    public decimal NetFor(LedgerAccount account)
    {
        var total = 0m;
        foreach (var entry in Entries)
        {
            if (entry.Account == account)
            {
                total += entry.Amount;
            }
        }

        return total;
    }
}
