using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Margin;

/// <summary>One position as a margin query shows it, with its printed liquidation price and its bankruptcy price.</summary>
public sealed record PositionReport(
    string Symbol,
    string SettleAsset,
    MarginMode Mode,
    int Leverage,
    decimal Size,
    decimal EntryPrice,
    decimal MarkPrice,
    decimal Notional,
    decimal UnrealizedPnl,
    decimal InitialMargin,
    decimal MaintenanceMargin,
    decimal MaintenanceMarginRate,
    decimal? IsolatedMargin,
    decimal? LiquidationPrice,
    decimal? BankruptcyPrice);
