using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// Market instruments: the mark, its age, stale markets and the funding rate, for the markets active in this
/// silo (a market that moves to another silo is forgotten here when it deactivates).
/// </summary>
public static partial class GridMetrics
{
    private static readonly ConcurrentDictionary<string, MarketReading> MarketReadings = new(StringComparer.Ordinal);

    private static readonly ObservableGauge<double> MarkGauge = Meter.CreateObservableGauge(
        "margingrid.mark_price", () => MarketReadings.Select(m => Reading(m.Key, (double)m.Value.Mark)), null, "The market's current mark price.");

    private static readonly ObservableGauge<double> MarkAgeGauge = Meter.CreateObservableGauge(
        "margingrid.mark_age", () => MarketReadings.Select(m => Reading(m.Key, (DateTimeOffset.UtcNow - m.Value.At).TotalSeconds)), "s",
        "Time since the market accepted its last mark.");

    private static readonly ObservableGauge<int> StaleGauge = Meter.CreateObservableGauge(
        "margingrid.markets_stale", () => MarketReadings.Count(m => DateTimeOffset.UtcNow - m.Value.At > m.Value.StaleLimit), null,
        "Markets whose mark is older than their staleness limit (nobody is liquidated on a stale mark).");

    private static readonly ObservableGauge<double> FundingRateGauge = Meter.CreateObservableGauge(
        "margingrid.funding_rate", () => MarketReadings.Where(m => m.Value.FundingRate is not null).Select(m => Reading(m.Key, (double)m.Value.FundingRate!.Value)), null,
        "The rate of the market's last funding settlement (fraction of notional per interval).");

    public static void MarketMarked(string market, decimal mark, DateTimeOffset at, TimeSpan staleLimit) =>
        MarketReadings.AddOrUpdate(market, _ => new MarketReading(mark, at, staleLimit, null), (_, r) => r with { Mark = mark, At = at, StaleLimit = staleLimit });

    public static void MarketFunding(string market, decimal rate) =>
        MarketReadings.AddOrUpdate(market, _ => new MarketReading(0m, DateTimeOffset.UtcNow, TimeSpan.MaxValue, rate), (_, r) => r with { FundingRate = rate });

    public static void MarketGone(string market) => MarketReadings.TryRemove(market, out _);

    private static Measurement<double> Reading(string market, double value) => new(value, new KeyValuePair<string, object?>("market", market));

    private sealed record MarketReading(decimal Mark, DateTimeOffset At, TimeSpan StaleLimit, decimal? FundingRate);
}
