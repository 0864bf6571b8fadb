namespace MarginGrid.Domain.Ledger;

/// <summary>A leg before it is numbered into a transaction.</summary>
public readonly record struct LedgerLeg(LedgerAccount Account, decimal Amount, EntryKind Kind);
