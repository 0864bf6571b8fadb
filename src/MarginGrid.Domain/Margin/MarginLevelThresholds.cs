using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Margin;

/// <summary>
/// Margin-ratio thresholds of the warning levels (margin calls). Breach is not configurable: it is the
/// liquidation trigger <c>marginBalance ≤ MM</c> of margin-rules.md section 4.
/// </summary>
public sealed record MarginLevelThresholds
{
    public MarginLevelThresholds(decimal warning = 0.8m, decimal danger = 0.9m)
    {
        Require.That(warning > 0m && warning < danger && danger < 1m, ErrorCodes.InvalidArgument,
            $"Warning levels must satisfy 0 < warning < danger < 1 (were {warning} and {danger}).");
        Warning = warning;
        Danger = danger;
    }

    public static MarginLevelThresholds Default { get; } = new();

    public decimal Warning { get; }
    public decimal Danger { get; }

    /// <summary>The level of a scope with margin balance <paramref name="marginBalance"/> and maintenance <paramref name="maintenanceMargin"/>.</summary>
    public MarginLevel Classify(decimal marginBalance, decimal maintenanceMargin)
    {
        if (maintenanceMargin <= 0m)
        {
            return MarginLevel.Healthy;
        }

        if (marginBalance <= maintenanceMargin)
        {
            return MarginLevel.Breach;
        }

        // marginBalance > MM > 0 here, so comparing MM with t·MB avoids a division on the hot path.
        if (maintenanceMargin >= Danger * marginBalance)
        {
            return MarginLevel.Danger;
        }

        return maintenanceMargin >= Warning * marginBalance ? MarginLevel.Warning : MarginLevel.Healthy;
    }
}
