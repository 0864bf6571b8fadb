using System.Diagnostics;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// A silo frozen (SIGSTOP) for longer than failure detection, with client requests queued to it, then resumed:
/// the others declare it dead and take its grains over; once it runs again, what it still holds must apply
/// nothing stale (each account's append is compare-and-append at its stream version), and it must leave by
/// itself when it learns it was declared dead.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PausedSiloTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Frozen = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_silo_paused_past_failure_detection_applies_nothing_stale_and_leaves_once_resumed()
    {
        var figures = new Figures(output, "silo paused (SIGSTOP) and resumed");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "pause");
        await scenario.Open(longs: 20);

        // Traffic keeps going to all three silos, the frozen one included: a third of it queues there, times
        // out at the client, and is sent again (same id) to another silo.
        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var frozen = cluster.Silos[1];
        var clock = Stopwatch.StartNew();
        frozen.Pause();
        await Task.Delay(Frozen);

        // Past failure detection: the others answer for every account (the frozen silo's grains moved).
        var survivor = cluster.Silos[0];
        var refusal = await scenario.AllAnsweredBy(survivor, TimeSpan.FromSeconds(150));
        Assert.True(refusal is null, $"the survivors did not answer for every account while silo 2 was frozen; the last refusal was {refusal}");
        figures.Seconds("every account answered by the survivors after the freeze", clock.Elapsed);

        var frozenFor = clock.Elapsed;
        clock.Restart();
        frozen.Resume();
        var left = await frozen.WaitForExit(TimeSpan.FromSeconds(90));
        figures.Seconds("silo frozen for", frozenFor);
        figures.Seconds("resumed silo gone by itself after SIGCONT", clock.Elapsed);
        figures.Add("its exit code", left ? frozen.ExitCode : "still running");
        figures.Add("appends it tried at an old stream version (conflicts in its log)",
            File.ReadLines(frozen.LogPath).Count(l => l.Contains("ledger_conflict", StringComparison.Ordinal) || l.Contains("EventLogConflictException", StringComparison.Ordinal)));
        Assert.True(left, $"the resumed silo did not leave after learning it was declared dead:\n{frozen.Tail(60)}");

        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        await stop.CancelAsync();
        await traffic;
        figures.Add("client retries (timeouts at the frozen silo among them)", cluster.Api.Retries);

        var quantities = await scenario.LiquidatedQuantities();
        await scenario.AssertNothingLost(figures);
        Assert.All(quantities.Values, q => Assert.Equal(1m, q.Closed));
    }
}
