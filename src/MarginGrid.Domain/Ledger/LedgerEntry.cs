namespace MarginGrid.Domain.Ledger;

/// <summary>One leg of a transaction: <see cref="Amount"/> is credited to <see cref="Account"/> (negative: debited).</summary>
public sealed record LedgerEntry(string EntryId, string TransactionId, LedgerAccount Account, decimal Amount, EntryKind Kind);
