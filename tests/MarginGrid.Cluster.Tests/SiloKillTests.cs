using System.Diagnostics;

namespace MarginGrid.Cluster.Tests;

/// <summary>kill -9 of one of three silos in the middle of a liquidation cascade.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_killed_mid_cascade_loses_nothing_and_liquidates_every_breach_once()
    {
        var figures = new Figures(output, "kill -9 mid-cascade");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "kill");
        await scenario.Open(longs: 60);

        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token));

        // The cascade: the mark falls 10 at a time; each step breaches about one more long. From 29,700 on, the
        // silo with the most running liquidations (its own backlog gauge) is killed as soon as one has any, so
        // the kill is known to cut liquidations in flight.
        SiloNode? victim = null;
        var backlogAtKill = 0d;
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.Zero;
        for (var price = 29900m; price >= 29300m; price -= 10m)
        {
            await scenario.Mark(price);
            if (victim is null && price <= 29700m)
            {
                var backlogs = await Task.WhenAll(cluster.Silos.Select(async s => (Silo: s, Backlog: await s.Metric("margingrid_liquidation_backlog"))));
                var busiest = backlogs.MaxBy(b => b.Backlog);
                if (busiest.Backlog > 0)
                {
                    (victim, backlogAtKill) = busiest;
                    victim.KillNine();
                    killedAt = clock.Elapsed;
                }
            }
        }

        Assert.True(victim is not null, "no silo ever held a running liquidation when the cascade was read: nothing to cut");
        figures.Add("liquidations running on the killed silo (its gauge just before the kill)", backlogAtKill);
        var survivor = cluster.Silos.First(s => s != victim);
        var others = cluster.Silos.Where(s => s != victim).ToList();

        // Every account answers again (its grain reactivated on a survivor from the ledger).
        var refusal = await scenario.AllAnsweredBy(survivor, TimeSpan.FromSeconds(240));
        Assert.True(refusal is null, $"accounts of the dead silo not answering again within 240 s; the last refusal was {refusal}\n"
            + string.Join('\n', others.Select(s => $"silo {s.Number} log:\n{s.Tail(60)}")));
        figures.Seconds("every account answering again after the kill", clock.Elapsed - killedAt);

        // Below every liquidation price: every long must be liquidated, including those of the dead silo.
        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        figures.Seconds("every breach liquidated after the kill", clock.Elapsed - killedAt);

        await stop.CancelAsync();
        await traffic;

        var quantities = await scenario.LiquidatedQuantities();
        var twice = quantities.Where(q => q.Value.Closed != 1m).ToList();
        figures.Add("accounts not closed exactly once", twice.Count);
        figures.Add("client retries during the outage", cluster.Api.Retries);
        await scenario.AssertNothingLost(figures);

        Assert.True(victim.HasExited, "the killed silo is gone");
        Assert.Empty(twice);
    }
}
