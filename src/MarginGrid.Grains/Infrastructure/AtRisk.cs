using System.Collections.Concurrent;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// Notional of positions whose accounts are at danger or in breach, per market, summed over the shards
/// active in this silo (each shard replaces its own share after every pass; the pass computes it while it scans
/// its holders' bands anyway). Feeds a gauge only.
/// </summary>
public static class AtRisk
{
    private static readonly ConcurrentDictionary<string, (string Market, decimal Notional)> ByShard = new(StringComparer.Ordinal);

    /// <summary>A shard's at-risk notional as of its last pass (the reports of its holders then).</summary>
    public static void Set(string shard, string market, decimal notional) => ByShard[shard] = (market, notional);

    public static void Forget(string shard) => ByShard.TryRemove(shard, out _);

    public static IEnumerable<(string Market, decimal Notional)> ByMarket() =>
        ByShard.Values.GroupBy(v => v.Market, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(v => v.Notional)));
}
