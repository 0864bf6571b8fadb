using System.Diagnostics;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// PostgreSQL failing the way a primary does: commits whose confirmation never reaches the silo (the proxy in
/// front of it cuts the connection right after a COMMIT completed), kill -9 of the postmaster while commits are
/// in flight and a crash-recovery start on the same data, every process of it frozen past the command timeout,
/// and answers slowed until requests wait past Orleans' response timeout. The client's model must hold: a command
/// it was never told about is resent and answered as a replay, nothing is applied twice or lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Lost_confirmations_a_crash_a_freeze_and_a_slow_database_lose_nothing_and_apply_nothing_twice()
    {
        var figures = new Figures(output, "PostgreSQL: lost COMMIT confirmations, kill -9 mid-commit, frozen, slow");
        await using var cluster = await DurableCluster.Start(silos: 2, proxied: true);
        var proxy = cluster.Proxy!;
        var scenario = new TradingScenario(cluster, "pgcrash");
        await scenario.Open(longs: 12, shorts: 3);

        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token));

        // Commits land, their confirmations are swallowed: one at a time until one of them was a deposit the
        // client then resent and got back as a replay (the proxy cannot pick which append a commit carries).
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 30 && scenario.ResendsReplayed == 0; i++)
        {
            var dropped = proxy.Dropped;
            proxy.DropNextCommitConfirmations(1);
            await Until.True(() => Task.FromResult(proxy.Dropped > dropped), TimeSpan.FromSeconds(30), "no COMMIT went through the proxy");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        figures.Add("COMMIT confirmations swallowed (commits durable, silo told nothing)", proxy.Dropped);
        figures.Add("resends answered as a replay by then", scenario.ResendsReplayed);
        Assert.True(scenario.ResendsReplayed > 0, $"none of {proxy.Dropped} commits whose confirmation was lost came back as a replay when resent");

        // kill -9 of the postmaster with deposits committing; PostgreSQL comes back by crash recovery from its WAL.
        var acknowledgedBefore = scenario.Acknowledged;
        await cluster.Postgres.KillNine();
        var killedAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.Postgres.Start();
        figures.Add("deposits acknowledged before the kill", acknowledgedBefore);
        await Until.True(() => Task.FromResult(scenario.Acknowledged > acknowledgedBefore + 20), TimeSpan.FromSeconds(120),
            $"deposits not acknowledged again after PostgreSQL's crash recovery\n{cluster.Logs()}");
        figures.Seconds("kill -9 to deposits flowing again (3 s of it down)", clock.Elapsed - killedAt);

        // Frozen: every PostgreSQL process stopped for longer than the ledger's command timeout (5 s), with commits
        // in flight. Callers give up and are told 503; when it thaws, what it held goes on and may commit after
        // its caller gave up, so the resend must meet it (a replay, or a conflict that reloads, never a second copy).
        var replaysBefore = scenario.ResendsReplayed;
        var frozen = cluster.Postgres.Freeze();
        var frozenAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(12));
        PostgresServer.Thaw(frozen);
        figures.Add("PostgreSQL processes frozen (SIGSTOP) for 12 s", frozen.Count);
        acknowledgedBefore = scenario.Acknowledged;
        await Until.True(() => Task.FromResult(scenario.Acknowledged > acknowledgedBefore + 20), TimeSpan.FromSeconds(120),
            $"deposits not acknowledged again after PostgreSQL thawed\n{cluster.Logs()}");
        figures.Seconds("freeze to deposits flowing again", clock.Elapsed - frozenAt);

        // Slow: 2 s added to everything PostgreSQL says, and six deposits at once to one account. Its grain takes
        // them one at a time, about three round trips each, so the last one waits in its queue past Orleans' 30 s
        // response timeout: its caller is told 503 while it is still to run, and it runs later. The latency ends
        // just after that (the rest would only queue resends behind slow appends); each resend (same id) must
        // come back as the first one's answer.
        var burstAccount = scenario.Accounts[^1];
        proxy.Latency = TimeSpan.FromSeconds(2);
        var burstAt = clock.Elapsed;
        var burst = Task.WhenAll(Enumerable.Range(0, 6).Select(i => scenario.Deposit(burstAccount, $"pgcrash-burst-{i}", 1m)));
        await Task.WhenAny(burst, Task.Delay(TimeSpan.FromSeconds(33)));
        proxy.Latency = TimeSpan.Zero;
        await burst;
        figures.Seconds("six deposits to one account through 2 s of latency, all answered", clock.Elapsed - burstAt);
        figures.Add("resends answered as a replay during the freeze and the slow spell", scenario.ResendsReplayed - replaysBefore);

        // A cascade on the recovered database: every long liquidated once, with the money in the model.
        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        await stop.CancelAsync();
        await traffic;
        figures.Add("client retries", cluster.Api.Retries);
        var quantities = await scenario.LiquidatedQuantities();
        await scenario.AssertNothingLost(figures);
        Assert.All(quantities.Values, q => Assert.Equal(1m, q.Closed));
    }
}
