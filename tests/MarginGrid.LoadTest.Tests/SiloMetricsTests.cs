using MarginGrid.LoadTest.Metrics;

namespace MarginGrid.LoadTest.Tests;

public sealed class SiloMetricsTests
{
    private const string SiloA = """
        # TYPE margingrid_liquidations_total counter
        margingrid_liquidations_total{kind="partial",otel_scope_name="MarginGrid"} 7 1700000000000
        margingrid_liquidations_total{kind="full",otel_scope_name="MarginGrid"} 3
        margingrid_tick_to_margin_duration_seconds_bucket{otel_scope_name="MarginGrid",le="0.01"} 90
        margingrid_tick_to_margin_duration_seconds_bucket{otel_scope_name="MarginGrid",le="0.1"} 99
        margingrid_tick_to_margin_duration_seconds_bucket{otel_scope_name="MarginGrid",le="+Inf"} 100
        margingrid_liquidation_backlog{otel_scope_name="MarginGrid"} 2
        """;

    private const string SiloB = """
        margingrid_liquidations_total{kind="partial"} 1
        margingrid_tick_to_margin_duration_seconds_bucket{le="0.01"} 0
        margingrid_tick_to_margin_duration_seconds_bucket{le="0.1"} 0
        margingrid_tick_to_margin_duration_seconds_bucket{le="+Inf"} 0
        """;

    [Fact]
    public void Counters_and_histograms_are_summed_over_silos()
    {
        var scrape = SiloScrape.From([.. PrometheusText.Parse(SiloA), .. PrometheusText.Parse(SiloB)]);

        Assert.Equal(8, scrape.Counters.Partial);
        Assert.Equal(3, scrape.Counters.Full);
        Assert.Equal(2, scrape.LiquidationBacklog);
        Assert.Equal(100, scrape.TickToMargin.Count);
        Assert.Equal(10, scrape.TickToMargin.PercentileMs(50));
        Assert.Equal(100, scrape.TickToMargin.PercentileMs(99));
        Assert.Equal(100, scrape.TickToMargin.PercentileMs(100));
    }

    [Fact]
    public void A_run_is_the_difference_of_two_readings()
    {
        var before = BucketHistogram.From(PrometheusText.Parse(SiloA), "margingrid_tick_to_margin_duration_seconds");
        var after = BucketHistogram.From(PrometheusText.Parse(SiloA.Replace("} 90", "} 190", StringComparison.Ordinal)
            .Replace("} 99", "} 199", StringComparison.Ordinal).Replace("} 100", "} 200", StringComparison.Ordinal)), "margingrid_tick_to_margin_duration_seconds");

        var run = after.Minus(before);

        Assert.Equal(100, run.Count);
        Assert.Equal(10, run.PercentileMs(50));
    }

    [Fact]
    public void The_peak_window_is_the_busiest_ten_seconds()
    {
        // 1 step/s for 20 s, then 50 steps/s for 10 s, then nothing.
        var samples = new List<(double, long)>();
        long count = 0;
        for (var t = 0; t <= 40; t++)
        {
            samples.Add((t, count));
            count += t < 20 ? 1 : t < 30 ? 50 : 0;
        }

        Assert.Equal(50, PeakWindow.PerSecond(samples, 10));
    }

    [Fact]
    public void A_run_shorter_than_the_window_gives_its_whole_rate()
    {
        Assert.Equal(5, PeakWindow.PerSecond([(0, 0), (2, 10), (4, 20)], 10));
        Assert.Equal(0, PeakWindow.PerSecond([(0, 0)], 10));
    }
}
