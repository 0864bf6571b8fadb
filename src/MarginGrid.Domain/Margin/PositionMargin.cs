namespace MarginGrid.Domain.Margin;

/// <summary>One position's figures at a mark (margin-rules.md section 4), at full precision.</summary>
public readonly record struct PositionMargin(
    decimal Notional,
    decimal UnrealizedPnl,
    decimal InitialMargin,
    decimal MaintenanceMargin,
    decimal MaintenanceMarginRate,
    decimal MaintenanceAmount,
    int BracketIndex);
