namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// One position as the live margin query shows it; <see cref="Quantity"/> is signed. <see cref="MarkSequence"/> is the
/// sequence of the mark it was valued at (0 before the market's first mark); <see cref="MarkStale"/> says that mark
/// is older than the market's staleness limit (a halted feed, or a cold start before the first new mark).
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.PositionView")]
public sealed record PositionView(
    [property: Id(0)] string Symbol,
    [property: Id(1)] PositionMarginMode MarginMode,
    [property: Id(2)] int Leverage,
    [property: Id(3)] decimal Quantity,
    [property: Id(4)] decimal EntryPrice,
    [property: Id(5)] decimal MarkPrice,
    [property: Id(6)] decimal Notional,
    [property: Id(7)] decimal UnrealizedPnl,
    [property: Id(8)] decimal InitialMargin,
    [property: Id(9)] decimal MaintenanceMargin,
    [property: Id(10)] decimal MaintenanceMarginRate,
    [property: Id(11)] decimal? IsolatedMargin,
    [property: Id(12)] decimal? LiquidationPrice,
    [property: Id(13)] decimal? BankruptcyPrice,
    [property: Id(14)] int? AdlQuantile,
    [property: Id(15)] long MarkSequence = 0,
    [property: Id(16)] bool MarkStale = false);
