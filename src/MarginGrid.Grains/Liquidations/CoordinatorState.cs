using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// A coordinator partition's state in memory: the records of running liquidations and of finished ones the
/// archive has not confirmed yet, which breaches and scopes are being liquidated, and the running work. Stored
/// one liquidation at a time (<see cref="StoredLiquidation"/>); the breach and scope indexes are rebuilt on load.
/// </summary>
public sealed class CoordinatorState
{
    public Dictionary<string, LiquidationRecord> Records { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Breaches { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> ActiveScopes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, LiquidationWork> Work { get; } = new(StringComparer.Ordinal);
}
