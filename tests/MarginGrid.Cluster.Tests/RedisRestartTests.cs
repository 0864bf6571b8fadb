using System.Diagnostics;

namespace MarginGrid.Cluster.Tests;

/// <summary>Redis (membership, grain state, reminders) killed with SIGKILL, then started again on its files.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_cluster_recovers_from_a_Redis_crash_and_nothing_is_lost()
    {
        var figures = new Figures(output, "Redis SIGKILL + restart");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "redis");
        await scenario.Open(longs: 20);

        using var stop = new CancellationTokenSource();
        var traffic = scenario.DepositTraffic(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));

        await cluster.Redis.Kill();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        await cluster.Redis.Start();

        // Recovered: every silo ready again, and a market (state in Redis) and an account (ledger) both answer.
        await cluster.WaitReady();
        await cluster.Api.Ok(HttpMethod.Get, $"/v1/markets/{TradingScenario.Symbol}");
        await scenario.Deposit(scenario.Accounts[0], "after-redis", 1m);
        figures.Seconds("recovered after Redis came back", clock.Elapsed);

        // Liquidation still works end to end after the restart (coordinator state and reminders on Redis).
        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        await stop.CancelAsync();
        await traffic;

        var quantities = await scenario.LiquidatedQuantities();
        await scenario.AssertNothingLost(figures);
        Assert.All(quantities.Values, q => Assert.Equal(1m, q.Closed));
    }
}
