using System.Diagnostics;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>The activity source of the liquidation path; a liquidation's trace id is kept in its record.</summary>
public static class GridTracing
{
    public const string SourceName = "MarginGrid.Liquidation";

    public static readonly ActivitySource Source = new(SourceName);
}
