using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Grid.Tests.Telemetry;

/// <summary>The grid's instruments are a service per silo: counts and gauges of one silo never mix with another's.</summary>
public sealed class GridMetricsTests
{
    [Fact]
    public void Each_silo_counts_only_what_it_recorded()
    {
        using var a = new TestSilo();
        using var b = new TestSilo();
        using var totalsA = new GridTotals(a.Metrics);
        using var totalsB = new GridTotals(b.Metrics);

        a.Metrics.MarkAccepted("AUSDT");
        a.Metrics.MarkAccepted("AUSDT");
        a.Metrics.Delivered("AUSDT", 7, 3);
        b.Metrics.MarkAccepted("BUSDT");
        b.Metrics.SafetySweepChecked(5);
        b.Metrics.SafetySweepFound();

        var readA = totalsA.Read();
        var readB = totalsB.Read();
        Assert.Equal((2, 7, 3, 0L, 0L), (readA.Marks, readA.Deliveries, readA.Skipped, readA.SweepChecked, readA.SweepFound));
        Assert.Equal((1, 0, 0, 5L, 1L), (readB.Marks, readB.Deliveries, readB.Skipped, readB.SweepChecked, readB.SweepFound));
    }

    [Fact]
    public void Liquidation_steps_are_summed_by_kind_and_registration_adds_nothing()
    {
        using var silo = new TestSilo();
        using var totals = new GridTotals(silo.Metrics);

        silo.Metrics.MarketRegistered("LQUSDT", "USDT");
        silo.Metrics.LiquidationStep("LQUSDT", "partial", 10m, "USDT");
        silo.Metrics.LiquidationStep("LQUSDT", "partial", 10m, "USDT");
        silo.Metrics.LiquidationStep("LQUSDT", "full", 10m, "USDT");
        silo.Metrics.LiquidationStep("LQUSDT", "adl", 10m, "USDT");
        silo.Metrics.Deficit("LQUSDT");
        silo.Metrics.TickToMargin(TimeSpan.FromMilliseconds(12.5));

        var read = totals.Read();
        Assert.Equal((2L, 1L, 1L, 1L, 0L), (read.Partial, read.Full, read.Adl, read.Deficits, read.Marks));
        Assert.Equal(12.5, read.LastTickToMarginMs, precision: 6);
    }

    [Fact]
    public void The_market_gauges_read_the_silos_own_readings()
    {
        var clock = new WallClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var silo = new TestSilo(clock);
        using var other = new TestSilo(clock);
        silo.Metrics.MarketMarked("GAUSDT", 101.5m, clock.GetUtcNow(), TimeSpan.FromSeconds(30));
        silo.Metrics.MarketFunding("GAUSDT", 0.0001m);
        other.Metrics.MarketMarked("OTHERUSDT", 7m, clock.GetUtcNow(), TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(45));

        var seen = Observe(silo.Metrics);
        Assert.Equal(101.5, seen[("margingrid.mark_price", "GAUSDT")]);
        Assert.Equal(45, seen[("margingrid.mark_age", "GAUSDT")]);
        Assert.Equal(0.0001, seen[("margingrid.funding_rate", "GAUSDT")], precision: 10);
        Assert.Equal(1, seen[("margingrid.markets_stale", "")]);
        Assert.DoesNotContain(seen.Keys, k => k.Market == "OTHERUSDT");

        silo.Metrics.MarketGone("GAUSDT");
        var after = Observe(silo.Metrics);
        Assert.DoesNotContain(after.Keys, k => k.Market == "GAUSDT");
        Assert.Equal(0, after[("margingrid.markets_stale", "")]);
    }

    [Fact]
    public void Fund_and_at_risk_gauges_follow_what_the_grains_report()
    {
        using var silo = new TestSilo();
        silo.Metrics.FundBalance("FUSD", 12.5m);
        silo.Metrics.ShardAtRisk("FRUSDT/0", "FRUSDT", 100m);
        silo.Metrics.ShardAtRisk("FRUSDT/1", "FRUSDT", 50m);

        var seen = Observe(silo.Metrics);
        Assert.Equal(12.5, seen[("margingrid.insurance_fund.balance", "FUSD")]);
        Assert.Equal(150, seen[("margingrid.at_risk_notional", "FRUSDT")]);

        silo.Metrics.FundGone("FUSD");
        silo.Metrics.ShardGone("FRUSDT/0");
        var after = Observe(silo.Metrics);
        Assert.DoesNotContain(after.Keys, k => k.Market == "FUSD");
        Assert.Equal(50, after[("margingrid.at_risk_notional", "FRUSDT")]);
    }

    [Fact]
    public void The_probes_carry_a_marks_sequence_and_a_breachs_marks()
    {
        using var silo = new TestSilo();
        var seen = new List<(string Probe, string? Market, object? Sequence, object? Marks)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GridMetrics.ProbeMeterName && instrument.Meter.Scope == silo.Metrics.Meter.Scope)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            var byKey = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            seen.Add((instrument.Name, byKey.GetValueOrDefault("market") as string, byKey.GetValueOrDefault("sequence"), byKey.GetValueOrDefault("marks")));
        });
        listener.Start();

        var marks = ImmutableArray.Create(new MarkAtBreach("PRUSDT", 99m, 41L));
        silo.Metrics.MarkSequenced("PRUSDT", 41);
        silo.Metrics.FanoutCompleted("PRUSDT", 41);
        silo.Metrics.BreachAccepted(Breach(marks));

        Assert.Equal(3, seen.Count);
        Assert.Equal((GridMetrics.MarkAcceptedProbe, "PRUSDT", (object?)41L), (seen[0].Probe, seen[0].Market, seen[0].Sequence));
        Assert.Equal((GridMetrics.FanoutCompletedProbe, "PRUSDT", (object?)41L), (seen[1].Probe, seen[1].Market, seen[1].Sequence));
        Assert.Equal(GridMetrics.BreachAcceptedProbe, seen[2].Probe);
        Assert.Equal(marks, Assert.IsType<ImmutableArray<MarkAtBreach>>(seen[2].Marks));
    }

    private static BreachReport Breach(ImmutableArray<MarkAtBreach> marks) =>
        new("probe-breach-1", "probe-account", new ScopeKey("USDT", null), 1m, 2m, marks, DateTimeOffset.UnixEpoch);

    /// <summary>Every observable gauge of the silo's meter, read once, by (instrument, market or asset).</summary>
    private static Dictionary<(string Instrument, string Market), double> Observe(GridMetrics silo)
    {
        var seen = new Dictionary<(string, string), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, silo.Meter) && instrument.GetType().Name.StartsWith("ObservableGauge", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var key = "";
            foreach (var tag in tags)
            {
                if (tag.Key is "market" or "asset")
                {
                    key = (string)tag.Value!;
                }
            }

            seen[(instrument.Name, key)] = value;
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
