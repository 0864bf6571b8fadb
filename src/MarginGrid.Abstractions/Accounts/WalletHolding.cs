namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// A cross wallet balance in one asset: <see cref="Balance"/> as the ledger holds it, and the funding the account
/// counts already but has not written yet (<see cref="Unrealised"/>); the live balance is their sum.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.WalletHolding")]
public sealed record WalletHolding([property: Id(0)] string Asset, [property: Id(1)] decimal Balance, [property: Id(2)] decimal Unrealised = 0m);
