namespace MarginGrid.Domain.Positions;

/// <summary>
/// What a fill does to a position: its new signed size and entry, the quantity it closed and opened, and the
/// PnL the closed part realized (exact, before rounding to the asset's precision).
/// </summary>
public readonly record struct FillOutcome(decimal NewSize, decimal NewEntryPrice, decimal ClosedQuantity, decimal OpenedQuantity, decimal RealizedPnl);
