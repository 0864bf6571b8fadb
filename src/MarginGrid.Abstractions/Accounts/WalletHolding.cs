namespace MarginGrid.Abstractions.Accounts;

/// <summary>A cross wallet balance in one asset.</summary>
[GenerateSerializer, Immutable, Alias("mg.WalletHolding")]
public sealed record WalletHolding([property: Id(0)] string Asset, [property: Id(1)] decimal Balance);
