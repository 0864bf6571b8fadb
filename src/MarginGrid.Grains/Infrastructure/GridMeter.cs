using System.Diagnostics.Metrics;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>The grid's meter, created once before any of its instruments.</summary>
internal static class GridMeter
{
    public static Meter Instance { get; } = new(GridMetrics.MeterName);
}
