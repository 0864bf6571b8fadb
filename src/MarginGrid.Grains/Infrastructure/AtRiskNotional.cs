using System.Collections.Concurrent;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// The source of the at-risk gauge: notional of positions whose accounts are at danger or in breach, per
/// market, summed over the shards active in this silo (each shard replaces its own share after every pass; the
/// pass computes it while it scans its holders' bands anyway).
/// </summary>
public sealed class AtRiskNotional
{
    private readonly ConcurrentDictionary<string, (string Market, decimal Notional)> _byShard = new(StringComparer.Ordinal);

    /// <summary>A shard's at-risk notional as of its last pass (the reports of its holders then).</summary>
    public void Set(string shard, string market, decimal notional) => _byShard[shard] = (market, notional);

    public void Forget(string shard) => _byShard.TryRemove(shard, out _);

    public IEnumerable<(string Market, decimal Notional)> ByMarket() =>
        _byShard.Values.GroupBy(v => v.Market, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(v => v.Notional)));
}
