namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// One margin scope of an account: a settlement asset's cross wallet, or one isolated position.
/// <see cref="MarginRatio"/> is null when it is infinite (margin balance ≤ 0 with maintenance due).
/// <see cref="PendingFunding"/> is the part of <see cref="WalletBalance"/> that is funding already counted (every
/// figure includes it) but not yet written to the ledger.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.ScopeView")]
public sealed record ScopeView(
    [property: Id(0)] string SettleAsset,
    [property: Id(1)] PositionMarginMode Mode,
    [property: Id(2)] string? Symbol,
    [property: Id(3)] decimal WalletBalance,
    [property: Id(4)] decimal UnrealizedPnl,
    [property: Id(5)] decimal MarginBalance,
    [property: Id(6)] decimal InitialMargin,
    [property: Id(7)] decimal MaintenanceMargin,
    [property: Id(8)] decimal? MarginRatio,
    [property: Id(9)] decimal AvailableBalance,
    [property: Id(10)] decimal Withdrawable,
    [property: Id(11)] RiskLevel Level,
    [property: Id(12)] decimal PendingFunding = 0m);
