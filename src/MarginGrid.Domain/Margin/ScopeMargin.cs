using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Margin;

/// <summary>
/// The margin of one scope: the cross positions of one settlement asset with its wallet, or one isolated
/// position with its isolated margin. <see cref="MarginRatio"/> is null when it is infinite
/// (margin balance ≤ 0 with maintenance margin due).
/// </summary>
public sealed record ScopeMargin(
    string SettleAsset,
    MarginMode Mode,
    string? Symbol,
    decimal WalletBalance,
    decimal UnrealizedPnl,
    decimal MarginBalance,
    decimal InitialMargin,
    decimal MaintenanceMargin,
    decimal? MarginRatio,
    decimal AvailableBalance,
    decimal Withdrawable,
    MarginLevel Level)
{
    public bool InBreach => Level == MarginLevel.Breach;
}
