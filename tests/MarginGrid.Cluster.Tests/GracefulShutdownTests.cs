using System.Diagnostics;

namespace MarginGrid.Cluster.Tests;

/// <summary>SIGTERM to a silo while liquidations are in flight: it leaves cleanly and the work completes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_stopped_gracefully_mid_cascade_hands_its_liquidations_over()
    {
        var figures = new Figures(output, "graceful shutdown mid-cascade");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "term");
        await scenario.Open(longs: 40);

        // Every long breaches at once; stop a silo while the coordinators work through them.
        await scenario.Mark(29000m);
        var leaving = cluster.Silos[2];
        var clock = Stopwatch.StartNew();
        leaving.Terminate();
        var exited = await leaving.WaitForExit(TimeSpan.FromSeconds(90));
        figures.Seconds("silo shutdown took", clock.Elapsed);

        // The feed keeps ticking while it waits: when the market itself was on the leaving silo, its next
        // activation holds the last mark as stale, and liquidations wait for a fresh one.
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        figures.Seconds("every breach liquidated after SIGTERM", clock.Elapsed);
        var quantities = await scenario.LiquidatedQuantities();
        figures.Add("exit code", exited ? leaving.ExitCode : "still running");
        await scenario.AssertNothingLost(figures);

        Assert.True(exited, $"the silo did not stop:\n{leaving.Tail()}");
        Assert.Equal(0, leaving.ExitCode);
        Assert.All(quantities.Values, q => Assert.Equal(1m, q.Closed));
    }
}
