namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// An isolated scope whose position a liquidation has closed but whose waterfall has not settled yet: the margin
/// still in it (negative when the position closed beyond bankruptcy) belongs to the account until the settlement
/// moves it to the wallet, the insurance fund or the deficit.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.UnsettledScopeHolding")]
public sealed record UnsettledScopeHolding([property: Id(0)] string Symbol, [property: Id(1)] string Asset, [property: Id(2)] decimal Balance);
