using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.LoadTest;

/// <summary>A reading of the silo's counters (through its meter); a run reports the difference of two.</summary>
public sealed record GridCounters(long Deliveries, long Skipped, long Conflated, long Partial, long Full, long Adl, long Deficits, long SweepChecked, long SweepFound)
{
    public static GridCounters Read(GridTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var t = totals.Read();
        return new(t.Deliveries, t.Skipped, t.Conflated, t.Partial, t.Full, t.Adl, t.Deficits, t.SweepChecked, t.SweepFound);
    }
}
