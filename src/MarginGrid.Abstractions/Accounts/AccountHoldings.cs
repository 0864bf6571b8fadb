using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// An account's raw holdings (wallets and positions, no valuation), so that an auditor can value them
/// independently at marks of its own; and whether a breach of it is with a coordinator now.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.AccountHoldings")]
public sealed record AccountHoldings(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Version,
    [property: Id(2)] ImmutableArray<WalletHolding> Wallets,
    [property: Id(3)] ImmutableArray<PositionHolding> Positions,
    [property: Id(4)] bool LiquidationPending);
