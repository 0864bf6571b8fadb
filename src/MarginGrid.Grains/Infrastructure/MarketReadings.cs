using System.Collections.Concurrent;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// The source of the market gauges: a reading per market active in this silo (a market that moves to another
/// silo is forgotten here when it deactivates).
/// </summary>
public sealed class MarketReadings
{
    private readonly ConcurrentDictionary<string, MarketReading> _readings = new(StringComparer.Ordinal);

    public void Marked(string market, decimal mark, DateTimeOffset at, TimeSpan staleLimit) =>
        _readings.AddOrUpdate(market, _ => new MarketReading(mark, at, staleLimit, null), (_, r) => r with { Mark = mark, At = at, StaleLimit = staleLimit });

    /// <summary>A funding rate; a market not yet marked counts as never stale until its first mark.</summary>
    public void Funded(string market, decimal rate, DateTimeOffset at) =>
        _readings.AddOrUpdate(market, _ => new MarketReading(0m, at, TimeSpan.MaxValue, rate), (_, r) => r with { FundingRate = rate });

    public void Forget(string market) => _readings.TryRemove(market, out _);

    public IEnumerable<KeyValuePair<string, MarketReading>> All => _readings;
}
