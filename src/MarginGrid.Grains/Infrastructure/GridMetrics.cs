using System.Diagnostics.Metrics;
using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// The grid's own instruments (meter <c>MarginGrid</c>), one set per silo, built from the silo's
/// <see cref="IMeterFactory"/>. Labels never carry an account id; <c>market</c> appears only on counters and
/// gauges. Values are converted to double for the exporter only; money itself stays decimal.
/// </summary>
/// <remarks>
/// The probes (meter <c>MarginGrid.Probes</c>) carry a mark's sequence and a breach's marks, for an in-process
/// listener that measures end to end (the load test). They are never exported: a sequence per series would
/// flood any metrics store. Unobserved, each costs a check of <see cref="Instrument.Enabled"/>.
/// </remarks>
public sealed class GridMetrics
{
    public const string MeterName = "MarginGrid";
    public const string ProbeMeterName = "MarginGrid.Probes";
    public const string MarkAcceptedProbe = "margingrid.probe.mark_accepted";
    public const string FanoutCompletedProbe = "margingrid.probe.fanout_completed";
    public const string BreachAcceptedProbe = "margingrid.probe.breach_accepted";

    private static readonly double[] FastBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10, 30, 60];

    private readonly MarketReadings _markets;
    private readonly FundBalances _funds;
    private readonly AtRiskNotional _atRisk;
    private readonly TimeProvider _clock;

    private readonly Histogram<double> _tickToMarginSeconds;
    private readonly Counter<long> _marks;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _conflated;
    private readonly Counter<long> _funding;
    private readonly Counter<long> _liquidations;
    private readonly Counter<long> _deficits;
    private readonly Histogram<double> _breachToLiquidationSeconds;
    private readonly Histogram<double> _liquidationSeconds;
    private readonly UpDownCounter<long> _accountsByLevel;
    private readonly UpDownCounter<long> _backlog;
    private readonly UpDownCounter<long> _archiveBacklog;
    private readonly Counter<double> _liquidatedNotional;
    private readonly Counter<long> _adlEvents;
    private readonly Counter<double> _fundInflows;
    private readonly Counter<double> _fundPayouts;
    private readonly Counter<long> _sweepChecked;
    private readonly Counter<long> _sweepFound;
    private readonly Histogram<double> _sweepCycleSeconds;
    private readonly Counter<long> _markAcceptedProbe;
    private readonly Counter<long> _fanoutCompletedProbe;
    private readonly Counter<long> _breachAcceptedProbe;

    public GridMetrics(IMeterFactory meterFactory, MarketReadings markets, FundBalances funds, AtRiskNotional atRisk, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _markets = markets;
        _funds = funds;
        _atRisk = atRisk;
        _clock = clock;
        Meter = meterFactory.Create(MeterName);
        var meter = Meter;

        _tickToMarginSeconds = meter.CreateHistogram<double>(
            "margingrid.tick_to_margin.duration", "s", "From a market accepting a mark until every holder has evaluated it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FastBuckets });
        _marks = meter.CreateCounter<long>("margingrid.marks", null, "Marks accepted by markets.");
        _deliveries = meter.CreateCounter<long>("margingrid.fanout.deliveries", null, "Marks delivered to accounts.");
        _skipped = meter.CreateCounter<long>("margingrid.fanout.skipped", null, "Deliveries skipped because the account's band held the mark.");
        _conflated = meter.CreateCounter<long>("margingrid.fanout.conflated", null, "Marks replaced by a newer one before delivery.");
        _funding = meter.CreateCounter<long>("margingrid.funding.settlements", null, "Funding settlements.");
        _liquidations = meter.CreateCounter<long>("margingrid.liquidations", null, "Liquidation steps by kind (partial, full, adl).");
        _deficits = meter.CreateCounter<long>("margingrid.deficits", null, "Liquidations that left a deficit neither the fund nor ADL covered.");
        _breachToLiquidationSeconds = meter.CreateHistogram<double>(
            "margingrid.breach_to_liquidation.duration", "s", "From an account detecting a breach until its coordinator accepted it.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FastBuckets });
        _liquidationSeconds = meter.CreateHistogram<double>(
            "margingrid.liquidation.duration", "s", "From a liquidation's start until its record was closed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _accountsByLevel = meter.CreateUpDownCounter<long>("margingrid.accounts", null, "Active accounts by their worst margin level.");
        _backlog = meter.CreateUpDownCounter<long>("margingrid.liquidation.backlog", null, "Liquidations accepted and not yet finished.");
        _archiveBacklog = meter.CreateUpDownCounter<long>("margingrid.liquidation.archive_backlog", null,
            "Finished liquidation records held by their coordinator until the archive confirms them.");
        meter.CreateObservableGauge("margingrid.insurance_fund.balance", ObserveFunds, null,
            "Balance of each insurance fund, in its asset (for monitoring only; money stays decimal).");

        meter.CreateObservableGauge("margingrid.mark_price", ObserveMarks, null, "The market's current mark price.");
        meter.CreateObservableGauge("margingrid.mark_age", ObserveMarkAges, "s", "Time since the market accepted its last mark.");
        meter.CreateObservableGauge("margingrid.markets_stale", ObserveStale, null,
            "Markets whose mark is older than their staleness limit (nobody is liquidated on a stale mark).");
        meter.CreateObservableGauge("margingrid.funding_rate", ObserveFundingRates, null,
            "The rate of the market's last funding settlement (fraction of notional per interval).");

        _liquidatedNotional = meter.CreateCounter<double>(
            "margingrid.liquidated_notional", null, "Notional closed by liquidation steps and ADL matches, in the market's settlement asset.");
        _adlEvents = meter.CreateCounter<long>("margingrid.adl_events", null, "Liquidations that needed auto-deleveraging.");
        _fundInflows = meter.CreateCounter<double>(
            "margingrid.insurance_fund.inflows", null, "Amount paid into the insurance fund (liquidation fees), in its asset.");
        _fundPayouts = meter.CreateCounter<double>(
            "margingrid.insurance_fund.payouts", null, "Amount paid out of the insurance fund to cover bankrupt scopes, in its asset.");
        _sweepChecked = meter.CreateCounter<long>(
            "margingrid.safety_sweep.checked", null, "Accounts re-checked by the safety-net sweep although their band held the mark.");
        _sweepFound = meter.CreateCounter<long>(
            "margingrid.safety_sweep.found", null, "Level changes with the account's state unchanged and every mark inside its bands: a skipped change (should stay 0).");
        _sweepCycleSeconds = meter.CreateHistogram<double>(
            "margingrid.safety_sweep.cycle.duration", "s", "How long a shard's safety net took to re-check every holder once (5 minutes unless the silo's budget lengthens it).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [60, 300, 320, 600, 1200, 1800, 3600, 7200] });
        meter.CreateObservableGauge("margingrid.at_risk_notional", ObserveAtRisk, null,
            "Notional of positions in accounts at danger or in breach, in the market's settlement asset.");

        var probes = meterFactory.Create(ProbeMeterName);
        _markAcceptedProbe = probes.CreateCounter<long>(MarkAcceptedProbe, null, "A market accepted a mark (tags: market, sequence). In-process only.");
        _fanoutCompletedProbe = probes.CreateCounter<long>(FanoutCompletedProbe, null,
            "Every shard of a market delivered a mark, and so every older one (tags: market, sequence). In-process only.");
        _breachAcceptedProbe = probes.CreateCounter<long>(BreachAcceptedProbe, null, "A coordinator accepted a breach (tags: breach, marks). In-process only.");
    }

    /// <summary>This silo's meter, for a listener that wants this silo's instruments only.</summary>
    public Meter Meter { get; }

    public void MarkAccepted(string market) => _marks.Add(1, Market(market));

    public void TickToMargin(TimeSpan elapsed) => _tickToMarginSeconds.Record(elapsed.TotalSeconds);

    public void Delivered(string market, int delivered, int skipped)
    {
        _deliveries.Add(delivered, Market(market));
        _skipped.Add(skipped, Market(market));
    }

    public void Conflated(string market) => _conflated.Add(1, Market(market));

    public void FundingSettled(string market) => _funding.Add(1, Market(market));

    public void LiquidationStep(string market, string kind, decimal notional, string asset)
    {
        _liquidatedNotional.Add((double)notional, Market(market), Tag("asset", asset));
        _liquidations.Add(1, Market(market), Tag("kind", kind));
    }

    public void FundBalance(string asset, decimal balance) => _funds.Set(asset, balance);

    public void FundGone(string asset) => _funds.Forget(asset);

    /// <summary>A movement of the fund: positive in (fees), negative out (payouts).</summary>
    public void FundFlow(string asset, decimal net)
    {
        if (net > 0m)
        {
            _fundInflows.Add((double)net, Tag("asset", asset));
        }
        else if (net < 0m)
        {
            _fundPayouts.Add((double)-net, Tag("asset", asset));
        }
    }

    public void BreachDetected(TimeSpan sinceDetection) => _breachToLiquidationSeconds.Record(Math.Max(0, sinceDetection.TotalSeconds));

    public void LiquidationEnded(string status, TimeSpan duration) => _liquidationSeconds.Record(duration.TotalSeconds, Tag("status", status));

    /// <summary>An account's level moved (null: it appeared or went away).</summary>
    public void AccountLevel(string? from, string? to)
    {
        if (from is not null)
        {
            _accountsByLevel.Add(-1, Tag("level", from));
        }

        if (to is not null)
        {
            _accountsByLevel.Add(1, Tag("level", to));
        }
    }

    public void BacklogChanged(int delta) => _backlog.Add(delta);

    public void ArchiveBacklogChanged(int delta) => _archiveBacklog.Add(delta);

    public void Deficit(string market) => _deficits.Add(1, Market(market));

    public void MarketMarked(string market, decimal mark, DateTimeOffset at, TimeSpan staleLimit) => _markets.Marked(market, mark, at, staleLimit);

    public void MarketFunding(string market, decimal rate) => _markets.Funded(market, rate, _clock.GetUtcNow());

    public void MarketGone(string market) => _markets.Forget(market);

    /// <summary>
    /// Starts a market's counters at zero, so that rates and "any increase" alerts see the first event (a
    /// counter that first appears at 1 shows no increase) and dashboards find every series from the start.
    /// </summary>
    public void MarketRegistered(string market, string settleAsset)
    {
        var m = Market(market);
        _marks.Add(0, m);
        _deliveries.Add(0, m);
        _skipped.Add(0, m);
        _conflated.Add(0, m);
        _funding.Add(0, m);
        _deficits.Add(0, m);
        _adlEvents.Add(0, m);
        foreach (var kind in (string[])["partial", "full", "adl"])
        {
            _liquidations.Add(0, m, Tag("kind", kind));
        }

        _liquidatedNotional.Add(0, m, Tag("asset", settleAsset));
    }

    /// <summary>Starts a fund's flow counters at zero (see <see cref="MarketRegistered"/>).</summary>
    public void FundRegistered(string asset)
    {
        _fundInflows.Add(0, Tag("asset", asset));
        _fundPayouts.Add(0, Tag("asset", asset));
    }

    /// <summary>Starts the silo-wide counters at zero.</summary>
    public void ProcessStarted()
    {
        _sweepChecked.Add(0);
        _sweepFound.Add(0);
    }

    public void AdlNeeded(string market) => _adlEvents.Add(1, Market(market));

    public void SafetySweepChecked(int accounts) => _sweepChecked.Add(accounts);

    public void SafetySweepCycleCompleted(TimeSpan took) => _sweepCycleSeconds.Record(took.TotalSeconds);

    public void SafetySweepFound() => _sweepFound.Add(1);

    /// <summary>A shard's at-risk notional as of its last pass.</summary>
    public void ShardAtRisk(string shard, string market, decimal notional) => _atRisk.Set(shard, market, notional);

    public void ShardGone(string shard) => _atRisk.Forget(shard);

    /// <summary>Probe: a market accepted the mark of this sequence.</summary>
    public void MarkSequenced(string market, long sequence)
    {
        if (_markAcceptedProbe.Enabled)
        {
            _markAcceptedProbe.Add(1, Market(market), Tag("sequence", sequence));
        }
    }

    /// <summary>Probe: every shard of a market delivered the mark of this sequence (and so every older one).</summary>
    public void FanoutCompleted(string market, long sequence)
    {
        if (_fanoutCompletedProbe.Enabled)
        {
            _fanoutCompletedProbe.Add(1, Market(market), Tag("sequence", sequence));
        }
    }

    /// <summary>Probe: a coordinator accepted a breach; the tag <c>marks</c> holds the breach's marks.</summary>
    public void BreachAccepted(BreachReport breach)
    {
        ArgumentNullException.ThrowIfNull(breach);
        if (_breachAcceptedProbe.Enabled)
        {
            _breachAcceptedProbe.Add(1, Tag("breach", breach.BreachId), Tag("marks", breach.Marks));
        }
    }

    private IEnumerable<Measurement<double>> ObserveFunds() =>
        _funds.All.Select(f => new Measurement<double>((double)f.Value, Tag("asset", f.Key)));

    private IEnumerable<Measurement<double>> ObserveMarks() =>
        _markets.All.Select(m => new Measurement<double>((double)m.Value.Mark, Market(m.Key)));

    private IEnumerable<Measurement<double>> ObserveMarkAges()
    {
        var now = _clock.GetUtcNow();
        return _markets.All.Select(m => new Measurement<double>((now - m.Value.At).TotalSeconds, Market(m.Key)));
    }

    private int ObserveStale()
    {
        var now = _clock.GetUtcNow();
        return _markets.All.Count(m => now - m.Value.At > m.Value.StaleLimit);
    }

    private IEnumerable<Measurement<double>> ObserveFundingRates() =>
        _markets.All.Where(m => m.Value.FundingRate is not null).Select(m => new Measurement<double>((double)m.Value.FundingRate!.Value, Market(m.Key)));

    private IEnumerable<Measurement<double>> ObserveAtRisk() =>
        _atRisk.ByMarket().Select(m => new Measurement<double>((double)m.Notional, Market(m.Market)));

    private static KeyValuePair<string, object?> Market(string market) => Tag("market", market);

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
