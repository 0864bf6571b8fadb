namespace MarginGrid.Grains.Infrastructure;

/// <summary>Totals of the grid's counters since a <see cref="GridTotals"/> started listening, and the last tick-to-margin.</summary>
public sealed record GridTotalsReading(
    long Marks,
    long Deliveries,
    long Skipped,
    long Conflated,
    long Partial,
    long Full,
    long Adl,
    long Deficits,
    long SweepChecked,
    long SweepFound,
    double LastTickToMarginMs);
