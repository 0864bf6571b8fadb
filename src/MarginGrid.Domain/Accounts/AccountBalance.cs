using MarginGrid.Domain.Ledger;

namespace MarginGrid.Domain.Accounts;

/// <summary>One ledger balance of an account (a wallet or an isolated margin) in a snapshot.</summary>
public sealed record AccountBalance(LedgerAccount Account, decimal Amount);
