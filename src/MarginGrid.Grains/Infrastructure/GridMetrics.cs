using System.Diagnostics.Metrics;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// The grid's own instruments (meter <c>MarginGrid</c>). Labels never carry an account id; <c>market</c>
/// appears only on counters and gauges.
/// </summary>
public static partial class GridMetrics
{
    public const string MeterName = "MarginGrid";

    // A property, not a field: static field initializers of partial files run in no defined order.
    private static Meter Meter => GridMeter.Instance;

    private static readonly Histogram<double> TickToMarginSeconds = Meter.CreateHistogram<double>(
        "margingrid.tick_to_margin.duration", "s", "From a market accepting a mark until every holder has evaluated it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Counter<long> MarksCounter = Meter.CreateCounter<long>("margingrid.marks", null, "Marks accepted by markets.");
    private static readonly Counter<long> DeliveriesCounter = Meter.CreateCounter<long>("margingrid.fanout.deliveries", null, "Marks delivered to accounts.");
    private static readonly Counter<long> SkippedCounter = Meter.CreateCounter<long>("margingrid.fanout.skipped", null, "Deliveries skipped because the account's band held the mark.");
    private static readonly Counter<long> ConflatedCounter = Meter.CreateCounter<long>("margingrid.fanout.conflated", null, "Marks replaced by a newer one before delivery.");
    private static readonly Counter<long> FundingCounter = Meter.CreateCounter<long>("margingrid.funding.settlements", null, "Funding settlements.");
    private static readonly Counter<long> LiquidationsCounter = Meter.CreateCounter<long>("margingrid.liquidations", null, "Liquidation steps by kind (partial, full, adl).");
    private static readonly Counter<long> DeficitCounter = Meter.CreateCounter<long>("margingrid.deficits", null, "Liquidations that left a deficit neither the fund nor ADL covered.");

    /// <summary>Snapshot counters for the demo's console summary and tests (process-wide).</summary>
    public static long Marks;
    public static long Deliveries;
    public static long Skipped;
    public static long ConflatedMarks;
    public static long Liquidations;
    public static long PartialLiquidations;
    public static long AdlMatches;
    public static long Deficits;
    public static double LastTickToMarginMs;

    public static void MarkAccepted(string market)
    {
        Interlocked.Increment(ref Marks);
        MarksCounter.Add(1, new KeyValuePair<string, object?>("market", market));
    }

    public static void TickToMargin(TimeSpan elapsed)
    {
        LastTickToMarginMs = elapsed.TotalMilliseconds;
        TickToMarginSeconds.Record(elapsed.TotalSeconds);
    }

    public static void Delivered(string market, int delivered, int skipped)
    {
        Interlocked.Add(ref Deliveries, delivered);
        Interlocked.Add(ref Skipped, skipped);
        DeliveriesCounter.Add(delivered, new KeyValuePair<string, object?>("market", market));
        SkippedCounter.Add(skipped, new KeyValuePair<string, object?>("market", market));
    }

    public static void Conflated(string market)
    {
        Interlocked.Increment(ref ConflatedMarks);
        ConflatedCounter.Add(1, new KeyValuePair<string, object?>("market", market));
    }

    public static void FundingSettled(string market) => FundingCounter.Add(1, new KeyValuePair<string, object?>("market", market));

    public static void LiquidationStep(string market, string kind, decimal notional, string asset)
    {
        LiquidatedNotional.Add((double)notional, new KeyValuePair<string, object?>("market", market), new KeyValuePair<string, object?>("asset", asset));
        switch (kind)
        {
            case "partial":
                Interlocked.Increment(ref PartialLiquidations);
                break;
            case "adl":
                Interlocked.Increment(ref AdlMatches);
                break;
            default:
                Interlocked.Increment(ref Liquidations);
                break;
        }

        LiquidationsCounter.Add(1, new KeyValuePair<string, object?>("market", market), new KeyValuePair<string, object?>("kind", kind));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, decimal> FundBalances = new(StringComparer.Ordinal);

    public static void FundBalance(string asset, decimal balance) => FundBalances[asset] = balance;

    public static void FundGone(string asset) => FundBalances.TryRemove(asset, out _);

    /// <summary>A movement of the fund: positive in (fees), negative out (payouts).</summary>
    public static void FundFlow(string asset, decimal net)
    {
        if (net > 0m)
        {
            FundInflows.Add((double)net, new KeyValuePair<string, object?>("asset", asset));
        }
        else if (net < 0m)
        {
            FundPayouts.Add((double)-net, new KeyValuePair<string, object?>("asset", asset));
        }
    }

    private static readonly Histogram<double> BreachToLiquidationSeconds = Meter.CreateHistogram<double>(
        "margingrid.breach_to_liquidation.duration", "s", "From an account detecting a breach until its coordinator accepted it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Histogram<double> LiquidationSeconds = Meter.CreateHistogram<double>(
        "margingrid.liquidation.duration", "s", "From a liquidation's start until its record was closed.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static void BreachDetected(TimeSpan sinceDetection) => BreachToLiquidationSeconds.Record(Math.Max(0, sinceDetection.TotalSeconds));

    public static void LiquidationEnded(string status, TimeSpan duration) =>
        LiquidationSeconds.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status));

    private static readonly UpDownCounter<long> AccountsByLevel = Meter.CreateUpDownCounter<long>(
        "margingrid.accounts", null, "Active accounts by their worst margin level.");

    private static readonly UpDownCounter<long> Backlog = Meter.CreateUpDownCounter<long>(
        "margingrid.liquidation.backlog", null, "Liquidations accepted and not yet finished.");

    private static readonly ObservableGauge<double> FundGauge = Meter.CreateObservableGauge(
        "margingrid.insurance_fund.balance", ObserveFunds, null, "Balance of each insurance fund, in its asset (for monitoring only; money stays decimal).");

    /// <summary>An account's level moved (null: it appeared or went away).</summary>
    public static void AccountLevel(string? from, string? to)
    {
        if (from is not null)
        {
            AccountsByLevel.Add(-1, new KeyValuePair<string, object?>("level", from));
        }

        if (to is not null)
        {
            AccountsByLevel.Add(1, new KeyValuePair<string, object?>("level", to));
        }
    }

    public static void BacklogChanged(int delta) => Backlog.Add(delta);

    private static IEnumerable<Measurement<double>> ObserveFunds() =>
        FundBalances.Select(f => new Measurement<double>((double)f.Value, new KeyValuePair<string, object?>("asset", f.Key)));

    public static void Deficit(string market)
    {
        Interlocked.Increment(ref Deficits);
        DeficitCounter.Add(1, new KeyValuePair<string, object?>("market", market));
    }
}
