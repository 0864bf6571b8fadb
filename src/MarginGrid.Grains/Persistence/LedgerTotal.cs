using MarginGrid.Domain.Ledger;

namespace MarginGrid.Grains.Persistence;

/// <summary>One ledger balance as the store keeps it: the sum of its entries and its snapshot.</summary>
public sealed record LedgerTotal(LedgerAccount Account, decimal EntrySum, decimal Snapshot, long Entries);
