namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// One open position as held: signed size, entry, mode, leverage and isolated margin as the ledger holds it, with the
/// funding counted against that margin but not written yet (<see cref="UnrealisedMargin"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.PositionHolding")]
public sealed record PositionHolding(
    [property: Id(0)] string Symbol,
    [property: Id(1)] string SettleAsset,
    [property: Id(2)] PositionMarginMode Mode,
    [property: Id(3)] int Leverage,
    [property: Id(4)] decimal Size,
    [property: Id(5)] decimal EntryPrice,
    [property: Id(6)] decimal IsolatedMargin,
    [property: Id(7)] decimal UnrealisedMargin = 0m);
