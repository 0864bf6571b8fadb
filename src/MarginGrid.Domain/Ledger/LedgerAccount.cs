namespace MarginGrid.Domain.Ledger;

/// <summary>
/// One balance of the ledger. <see cref="Owner"/> is the trader's account id for trader balances and the
/// market symbol for market accounts; <see cref="Symbol"/> is set for isolated margin only.
/// </summary>
public readonly record struct LedgerAccount(LedgerAccountKind Kind, string Owner, string Symbol, string Asset)
{
    public static LedgerAccount Wallet(string accountId, string asset) => new(LedgerAccountKind.Wallet, accountId, "", asset);

    public static LedgerAccount Isolated(string accountId, string symbol, string asset) => new(LedgerAccountKind.IsolatedMargin, accountId, symbol, asset);

    public static LedgerAccount InsuranceFund(string asset) => new(LedgerAccountKind.InsuranceFund, "insurance-fund", "", asset);

    public static LedgerAccount FeeIncome(string asset) => new(LedgerAccountKind.FeeIncome, "fees", "", asset);

    public static LedgerAccount Residue(string symbol, string asset) => new(LedgerAccountKind.Residue, symbol, "", asset);

    public static LedgerAccount External(string asset) => new(LedgerAccountKind.External, "external", "", asset);

    public static LedgerAccount Clearing(string symbol, string asset) => new(LedgerAccountKind.Clearing, symbol, "", asset);

    public static LedgerAccount Deficit(string symbol, string asset) => new(LedgerAccountKind.Deficit, symbol, "", asset);

    /// <summary>True for a balance that belongs to the trader <paramref name="accountId"/>.</summary>
    public bool BelongsTo(string accountId) =>
        Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin && Owner == accountId;

    public override string ToString() => Symbol.Length == 0 ? $"{Kind}:{Owner}:{Asset}" : $"{Kind}:{Owner}:{Symbol}:{Asset}";
}
