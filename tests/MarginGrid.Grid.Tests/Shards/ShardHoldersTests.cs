using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Margin;
using MarginGrid.Grains.Markets;

namespace MarginGrid.Grid.Tests.Shards;

/// <summary>
/// The shard's one holder model: membership, the newest report of each, the band index and the figures kept
/// as reports change, checked against a recount from scratch through random joins, leaves, reports and failures.
/// </summary>
public sealed class ShardHoldersTests
{
    [Fact]
    public void Only_a_holder_keeps_a_report_and_only_a_newer_one_replaces_it()
    {
        var holders = new ShardHolders();
        Assert.False(holders.Keep("a", Report(1m, stamp: 1)));
        Assert.True(holders.Join("a"));
        Assert.False(holders.Join("a"));
        Assert.Null(holders.ReportOf("a"));

        Assert.True(holders.Keep("a", Report(2m, stamp: 5)));
        Assert.False(holders.Keep("a", Report(3m, stamp: 4)));
        Assert.Equal(2m, holders.ReportOf("a")?.Size);
        Assert.Equal(2m, holders.LongQuantity);

        Assert.True(holders.Leave("a"));
        Assert.False(holders.Leave("a"));
        Assert.False(holders.Contains("a"));
        Assert.Equal(0m, holders.LongQuantity);
    }

    [Fact]
    public void A_forgotten_holder_stays_a_holder_with_no_band_and_no_long_interest()
    {
        var holders = new ShardHolders();
        holders.Join("a");
        holders.Keep("a", Report(4m, stamp: 1, low: 900m, high: 1_100m));
        var before = holders.ReportsVersion;

        holders.Forget("a");

        Assert.True(holders.Contains("a"));
        Assert.Null(holders.ReportOf("a"));
        Assert.Equal(0m, holders.LongQuantity);
        Assert.True(holders.ReportsVersion > before);
        var targets = new List<string>();
        holders.Targets(1_000m, targets);
        Assert.Equal(["a"], targets);
    }

    [Fact]
    public void Long_interest_at_risk_notional_and_targets_match_a_recount_through_random_changes()
    {
        var random = new Random(20261127);
        var holders = new ShardHolders();
        var model = new Dictionary<string, HolderReport?>(StringComparer.Ordinal);
        for (var step = 1; step <= 20_000; step++)
        {
            var id = $"a{random.Next(200)}";
            var version = holders.ReportsVersion;
            switch (random.Next(10))
            {
                case 0:
                    Assert.Equal(model.Remove(id), holders.Leave(id));
                    break;
                case 1:
                    Assert.Equal(model.TryAdd(id, null), holders.Join(id));
                    break;
                case 2:
                    holders.Forget(id);
                    if (model.ContainsKey(id))
                    {
                        model[id] = null;
                    }

                    Assert.True(holders.ReportsVersion > version);
                    break;
                default:
                    var report = Report(
                        random.Next(-5, 6) + (random.Next(1_000) / 1_000m),
                        stamp: random.Next(2) == 0 ? step : step - 10,
                        low: random.Next(900, 1_000),
                        high: random.Next(1_000, 1_100),
                        level: random.Next(4));
                    var expected = model.TryGetValue(id, out var held) && (held is null || held.Stamp <= report.Stamp);
                    Assert.Equal(expected, holders.Keep(id, report));
                    if (expected)
                    {
                        model[id] = report;
                        Assert.True(holders.ReportsVersion > version);
                    }

                    break;
            }

            Assert.Equal(model.Count, holders.Count);
            Assert.Equal(model.Values.Sum(r => Math.Max(0m, r?.Size ?? 0m)), holders.LongQuantity);
            Assert.Equal(model.Values.Sum(r => r is { Level: >= (int)MarginLevel.Danger } ? r.Notional : 0m), holders.AtRiskNotional);
            if (step % 100 == 0)
            {
                var price = (decimal)random.Next(850, 1_150);
                var targets = new List<string>();
                holders.Targets(price, targets);
                Assert.Equal(
                    model.Where(h => h.Value is not { } r || !r.Holds(price)).Select(h => h.Key).Order(StringComparer.Ordinal),
                    targets.Order(StringComparer.Ordinal));
                Assert.Equal(model.Keys.Order(StringComparer.Ordinal), holders.Ids().Order(StringComparer.Ordinal));
                Assert.Equal(
                    model.Where(h => h.Value is not null).Select(h => h.Key).Order(StringComparer.Ordinal),
                    holders.Reports.Select(r => r.Key).Order(StringComparer.Ordinal));
            }
        }
    }

    private static HolderReport Report(decimal size, long stamp, decimal? low = null, decimal? high = null, int level = 0) =>
        new(size, 0m, low, high, Banded: low is not null || high is not null, Stamp: stamp, Level: level, Notional: Math.Abs(size) * 1_000m);
}
