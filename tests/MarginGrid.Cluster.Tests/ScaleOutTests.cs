
namespace MarginGrid.Cluster.Tests;

/// <summary>A fourth silo joins a three-silo cluster under load.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_joining_under_load_takes_work_and_nothing_is_lost()
    {
        var figures = new Figures(output, "fourth silo joins");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "join");
        await scenario.Open(longs: 20);

        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fourth = await cluster.AddSilo();
        figures.Seconds("fourth silo ready under load", clock.Elapsed);

        // New accounts opened after the join are placed across all four silos.
        for (var i = 0; i < 40; i++)
        {
            await scenario.Deposit($"join-new-{i:D3}", $"new-{i}", 100m);
        }

        var hosted = await AccountsActive(fourth);
        figures.Add("accounts active on the fourth silo", hosted);
        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        await stop.CancelAsync();
        await traffic;

        await scenario.AssertNothingLost(figures);
        Assert.True(hosted > 0, "the new silo hosts no account");
    }

    /// <summary>The silo's own gauge of activated accounts (by level), read from its /metrics.</summary>
    private static Task<double> AccountsActive(SiloNode silo) => silo.Metric("margingrid_accounts");
}
