namespace MarginGrid.LoadTest.Metrics;

/// <summary>
/// One reading of every silo's <c>/metrics</c>, summed: the grid's counters and the two latency histograms the silos
/// record themselves (tick→margin: a market accepting a mark until every holder evaluated it; breach→liquidation: an
/// account detecting a breach until its coordinator accepted it).
/// </summary>
public sealed record SiloScrape(GridCounters Counters, BucketHistogram TickToMargin, BucketHistogram BreachToLiquidation, long LiquidationBacklog)
{
    public static async Task<SiloScrape> Read(HttpClient http, IEnumerable<Uri> silos)
    {
        ArgumentNullException.ThrowIfNull(http);
        var texts = await Task.WhenAll(silos.Select(s => http.GetStringAsync(new Uri(s, "metrics"))));
        var samples = texts.SelectMany(PrometheusText.Parse).ToList();
        return From(samples);
    }

    public static SiloScrape From(IReadOnlyList<PrometheusSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        long Sum(string name, string? kind = null) => (long)samples
            .Where(s => s.Name == name && (kind is null || (s.Labels.TryGetValue("kind", out var k) && k == kind)))
            .Sum(s => s.Value);
        var counters = new GridCounters(
            Sum("margingrid_fanout_deliveries_total"), Sum("margingrid_fanout_skipped_total"), Sum("margingrid_fanout_conflated_total"),
            Sum("margingrid_liquidations_total", "partial"), Sum("margingrid_liquidations_total", "full"), Sum("margingrid_liquidations_total", "adl"),
            Sum("margingrid_deficits_total"), Sum("margingrid_safety_sweep_checked_total"), Sum("margingrid_safety_sweep_found_total"));
        return new SiloScrape(counters,
            BucketHistogram.From(samples, "margingrid_tick_to_margin_duration_seconds"),
            BucketHistogram.From(samples, "margingrid_breach_to_liquidation_duration_seconds"),
            Sum("margingrid_liquidation_backlog"));
    }
}
