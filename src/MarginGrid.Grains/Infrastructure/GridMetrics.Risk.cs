using System.Diagnostics.Metrics;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// Risk-desk instruments: liquidated notional, ADL, fund flows, at-risk notional and the safety net. Values
/// are converted to double for the exporter only; money itself stays decimal.
/// </summary>
public static partial class GridMetrics
{
    private static readonly Counter<double> LiquidatedNotional = Meter.CreateCounter<double>(
        "margingrid.liquidated_notional", null, "Notional closed by liquidation steps and ADL matches, in the market's settlement asset.");

    private static readonly Counter<long> AdlEvents = Meter.CreateCounter<long>(
        "margingrid.adl_events", null, "Liquidations that needed auto-deleveraging.");

    private static readonly Counter<double> FundInflows = Meter.CreateCounter<double>(
        "margingrid.insurance_fund.inflows", null, "Amount paid into the insurance fund (liquidation fees), in its asset.");

    private static readonly Counter<double> FundPayouts = Meter.CreateCounter<double>(
        "margingrid.insurance_fund.payouts", null, "Amount paid out of the insurance fund to cover bankrupt scopes, in its asset.");

    private static readonly Counter<long> SweepChecked = Meter.CreateCounter<long>(
        "margingrid.safety_sweep.checked", null, "Accounts re-checked by the safety-net sweep although their band held the mark.");

    private static readonly Counter<long> SweepFound = Meter.CreateCounter<long>(
        "margingrid.safety_sweep.found", null, "Level changes with the account's state unchanged and every mark inside its bands: a skipped change (should stay 0).");

    private static readonly Histogram<double> SweepCycleSeconds = Meter.CreateHistogram<double>(
        "margingrid.safety_sweep.cycle.duration", "s", "How long a shard's safety net took to re-check every holder once (5 minutes unless the silo's budget lengthens it).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60, 300, 320, 600, 1200, 1800, 3600, 7200] });

    private static readonly ObservableGauge<double> AtRiskGauge = Meter.CreateObservableGauge(
        "margingrid.at_risk_notional", ObserveAtRisk, null, "Notional of positions in accounts at danger or in breach, in the market's settlement asset.");

    /// <summary>Process-wide totals of the safety net, for the load test's summary.</summary>
    public static long SafetySweepCheckedTotal;
    public static long SafetySweepFoundTotal;

    /// <summary>
    /// Starts a market's counters at zero, so that rates and "any increase" alerts see the first event (a
    /// counter that first appears at 1 shows no increase) and dashboards find every series from the start.
    /// </summary>
    public static void MarketRegistered(string market, string settleAsset)
    {
        var m = new KeyValuePair<string, object?>("market", market);
        MarksCounter.Add(0, m);
        DeliveriesCounter.Add(0, m);
        SkippedCounter.Add(0, m);
        ConflatedCounter.Add(0, m);
        FundingCounter.Add(0, m);
        DeficitCounter.Add(0, m);
        AdlEvents.Add(0, m);
        foreach (var kind in (string[])["partial", "full", "adl"])
        {
            LiquidationsCounter.Add(0, m, new KeyValuePair<string, object?>("kind", kind));
        }

        LiquidatedNotional.Add(0, m, new KeyValuePair<string, object?>("asset", settleAsset));
    }

    /// <summary>Starts a fund's flow counters at zero (see <see cref="MarketRegistered"/>).</summary>
    public static void FundRegistered(string asset)
    {
        FundInflows.Add(0, new KeyValuePair<string, object?>("asset", asset));
        FundPayouts.Add(0, new KeyValuePair<string, object?>("asset", asset));
    }

    /// <summary>Starts the process-wide counters at zero.</summary>
    public static void ProcessStarted()
    {
        SweepChecked.Add(0);
        SweepFound.Add(0);
    }

    public static void AdlNeeded(string market) => AdlEvents.Add(1, new KeyValuePair<string, object?>("market", market));

    public static void SafetySweepChecked(int accounts)
    {
        Interlocked.Add(ref SafetySweepCheckedTotal, accounts);
        SweepChecked.Add(accounts);
    }

    public static void SafetySweepCycleCompleted(TimeSpan took) => SweepCycleSeconds.Record(took.TotalSeconds);

    public static void SafetySweepFound()
    {
        Interlocked.Increment(ref SafetySweepFoundTotal);
        SweepFound.Add(1);
    }

    private static IEnumerable<Measurement<double>> ObserveAtRisk() =>
        AtRisk.ByMarket().Select(m => new Measurement<double>((double)m.Notional, new KeyValuePair<string, object?>("market", m.Market)));
}
