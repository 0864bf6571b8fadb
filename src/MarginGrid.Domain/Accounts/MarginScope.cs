namespace MarginGrid.Domain.Accounts;

/// <summary>A margin scope: the cross wallet of an asset (<see cref="Symbol"/> null) or one isolated position.</summary>
public readonly record struct MarginScope(string Asset, string? Symbol)
{
    public bool IsCross => Symbol is null;

    public static MarginScope Cross(string asset) => new(asset, null);

    public static MarginScope Isolated(string asset, string symbol) => new(asset, symbol);

    /// <summary>The ledger account that holds this scope's margin for <paramref name="accountId"/>: the wallet, or the isolated margin.</summary>
    public Ledger.LedgerAccount LedgerAccount(string accountId) =>
        Symbol is { } symbol ? Ledger.LedgerAccount.Isolated(accountId, symbol, Asset) : Ledger.LedgerAccount.Wallet(accountId, Asset);

    public override string ToString() => Symbol is null ? $"cross:{Asset}" : $"isolated:{Symbol}";
}
