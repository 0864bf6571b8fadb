using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.LoadTest;

/// <summary>A reading of the grid's process-wide counters; a run reports the difference of two.</summary>
public sealed record GridCounters(long Deliveries, long Skipped, long Conflated, long Partial, long Full, long Adl, long Deficits, long SweepChecked, long SweepFound)
{
    public static GridCounters Read() => new(
        Interlocked.Read(ref GridMetrics.Deliveries), Interlocked.Read(ref GridMetrics.Skipped), Interlocked.Read(ref GridMetrics.ConflatedMarks),
        Interlocked.Read(ref GridMetrics.PartialLiquidations), Interlocked.Read(ref GridMetrics.Liquidations), Interlocked.Read(ref GridMetrics.AdlMatches),
        Interlocked.Read(ref GridMetrics.Deficits), Interlocked.Read(ref GridMetrics.SafetySweepCheckedTotal), Interlocked.Read(ref GridMetrics.SafetySweepFoundTotal));
}
