using System.Collections.Concurrent;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Margin;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// Notional of positions whose accounts are at danger or in breach, per market, summed over the shards
/// active in this silo (each shard replaces its own share after every pass). Feeds a gauge only.
/// </summary>
public static class AtRisk
{
    private static readonly ConcurrentDictionary<string, (string Market, decimal Notional)> ByShard = new(StringComparer.Ordinal);

    public static void Set(string shard, string market, IEnumerable<HolderReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var notional = 0m;
        foreach (var report in reports)
        {
            if (report.Level >= (int)MarginLevel.Danger)
            {
                notional += report.Notional;
            }
        }

        ByShard[shard] = (market, notional);
    }

    public static void Forget(string shard) => ByShard.TryRemove(shard, out _);

    public static IEnumerable<(string Market, decimal Notional)> ByMarket() =>
        ByShard.Values.GroupBy(v => v.Market, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(v => v.Notional)));
}
