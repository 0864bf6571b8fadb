using System.Diagnostics;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// Redis going down in the middle of a liquidation cascade and coming back without its recent writes (an older
/// append-only file, as after a crash under <c>everysec</c> or a failover to a lagging replica): membership,
/// coordinator state and market state all step back in time. No liquidation id may come back, no money may
/// move twice, and every breach is liquidated once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisRollbackTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Redis_down_mid_cascade_and_back_without_its_recent_writes_reuses_no_id_and_liquidates_every_breach_once()
    {
        var figures = new Figures(output, "Redis down mid-cascade, back from an older AOF");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "rollback");
        await scenario.Open(longs: 30);

        // The older state: everything opened, nothing liquidated yet.
        var older = Path.Combine(cluster.Scratch, "redis-older");
        await cluster.Redis.CopyAppendOnlyDir(older);

        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token));

        // The cascade, and Redis killed once liquidations are both finished and running.
        var clock = Stopwatch.StartNew();
        var killed = false;
        var runningAtKill = 0d;
        var finishedAtKill = 0;
        for (var price = 29900m; price >= 29300m; price -= 10m)
        {
            await scenario.Mark(price);
            if (!killed && price <= 29700m)
            {
                var running = (await Task.WhenAll(cluster.Silos.Select(s => s.Metric("margingrid_liquidation_backlog")))).Sum();
                var finished = (await scenario.LiquidatedSoFar()).Count;
                if (running > 0 && finished > 0)
                {
                    (runningAtKill, finishedAtKill) = (running, finished);
                    await cluster.Redis.Kill();
                    killed = true;
                    break;
                }
            }
        }

        Assert.True(killed, "the cascade never had liquidations both finished and running to cut");
        figures.Add("liquidations running when Redis died (backlog gauges)", runningAtKill);
        figures.Add("liquidations already finished when Redis died", finishedAtKill);
        var killedAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        cluster.Redis.ReplaceAppendOnlyDir(older);
        await cluster.Redis.Start();
        figures.Seconds("Redis down", clock.Elapsed - killedAt);

        // Below every liquidation price, with the feed ticking: every long liquidated, once.
        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        figures.Seconds("every breach liquidated after Redis came back", clock.Elapsed - killedAt);
        await stop.CancelAsync();
        await traffic;

        var quantities = await scenario.LiquidatedQuantities();
        figures.Add("accounts not closed exactly once", quantities.Count(q => q.Value.Closed != 1m));
        var ids = await scenario.LiquidationIds();
        figures.Add("liquidation records, distinct ids", $"{ids.Count}, {ids.Distinct(StringComparer.Ordinal).Count()}");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        await scenario.AssertNothingLost(figures);
        Assert.All(quantities.Values, q => Assert.Equal(1m, q.Closed));
    }
}
