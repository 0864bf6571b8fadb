using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// An account's raw holdings (wallets and positions, no valuation), so that an auditor can value them
/// independently at marks of its own; whether a breach of it is with a coordinator now; and the isolated scopes a
/// liquidation has closed but not settled yet (empty at rest), so that every ledger balance the account owns is shown.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.AccountHoldings")]
public sealed record AccountHoldings(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Version,
    [property: Id(2)] ImmutableArray<WalletHolding> Wallets,
    [property: Id(3)] ImmutableArray<PositionHolding> Positions,
    [property: Id(4)] bool LiquidationPending,
    [property: Id(5)] ImmutableArray<UnsettledScopeHolding> UnsettledScopes);
