using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// What a coordinator partition persists: the records of running liquidations and of finished ones the archive
/// has not confirmed yet, which breaches and scopes are being liquidated, and the running work.
/// </summary>
[GenerateSerializer]
public sealed class CoordinatorState
{
    [Id(0)] public Dictionary<string, LiquidationRecord> Records { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, string> Breaches { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public Dictionary<string, string> ActiveScopes { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public Dictionary<string, LiquidationWork> Work { get; set; } = new(StringComparer.Ordinal);
}
