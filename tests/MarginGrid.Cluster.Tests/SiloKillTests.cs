using System.Diagnostics;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// kill -9 of two of four silos at once in the middle of a liquidation cascade: the one hosting the market (its
/// marks, its shards' fan-out) and the one with the most running liquidations, so the kill is known to cut both
/// the price path and liquidations in flight.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_silos_killed_at_once_mid_cascade_lose_nothing_and_liquidate_every_breach_once()
    {
        var figures = new Figures(output, "kill -9 of two silos mid-cascade (market host + largest backlog)");
        await using var cluster = await DurableCluster.Start(silos: 4);
        var scenario = new TradingScenario(cluster, "kill");
        await scenario.Open(longs: 60);

        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token));

        // The cascade: the mark falls 10 at a time; each step breaches about one more long. From 29,700 on, as
        // soon as a silo other than the market's host holds running liquidations (its own backlog gauge), both
        // are killed together.
        List<SiloNode> victims = [];
        var backlogAtKill = 0d;
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.Zero;
        for (var price = 29900m; price >= 29300m; price -= 10m)
        {
            var watching = victims.Count == 0 && price <= 29700m;
            if (!watching)
            {
                await scenario.Mark(price);
            }
            else
            {
                var host = await cluster.SilosWhoseCounterMoved("margingrid_marks_total", () => scenario.Mark(price), TimeSpan.Zero);
                var backlogs = await Task.WhenAll(cluster.Silos.Select(async s => (Silo: s, Backlog: await s.Metric("margingrid_liquidation_backlog"))));
                var busiest = backlogs.Where(b => !host.Contains(b.Silo)).MaxBy(b => b.Backlog);
                if (host.Count == 1 && busiest.Backlog > 0)
                {
                    victims = [host[0], busiest.Silo];
                    backlogAtKill = busiest.Backlog;
                    foreach (var victim in victims)
                    {
                        victim.KillNine();
                    }

                    killedAt = clock.Elapsed;
                }
            }
        }

        Assert.True(victims.Count == 2, "no silo besides the market's host ever held a running liquidation when the cascade was read: nothing to cut");
        figures.Add("silos killed (market host, largest backlog)", string.Join(", ", victims.Select(v => v.Number)));
        figures.Add("liquidations running on the busiest killed silo (its gauge just before the kill)", backlogAtKill);
        var others = cluster.Silos.Where(s => !victims.Contains(s)).ToList();

        // Every account answers again (its grain reactivated on a survivor from the ledger).
        var refusal = await scenario.AllAnsweredBy(others[0], TimeSpan.FromSeconds(240));
        Assert.True(refusal is null, $"accounts of the dead silos not answering again within 240 s; the last refusal was {refusal}\n"
            + string.Join('\n', others.Select(s => $"silo {s.Number} log:\n{s.Tail(60)}")));
        figures.Seconds("every account answering again after the kill", clock.Elapsed - killedAt);

        // Below every liquidation price: every long must be liquidated, including those of the dead silos.
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

        Assert.All(victims, v => Assert.True(v.HasExited, $"killed silo {v.Number} is gone"));
        Assert.Empty(twice);
    }
}
