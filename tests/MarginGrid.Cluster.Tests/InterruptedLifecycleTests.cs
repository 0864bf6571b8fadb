using System.Diagnostics;
using Npgsql;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// kill -9 at the two moments a silo is most exposed: while it migrates the ledger at start-up, and while it
/// drains after SIGTERM with liquidations running.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class InterruptedLifecycleTests(ITestOutputHelper output)
{
    /// <summary>The advisory lock the ledger's migrations run under (LedgerSchema).</summary>
    private const long MigrationLock = 0x4D47_4C45_4447;

    [Fact]
    public async Task A_silo_killed_while_migrating_leaves_each_partition_migrated_whole_or_not_at_all_and_the_next_start_completes()
    {
        var figures = new Figures(output, "kill -9 during start-up migrations");
        await using var cluster = await DurableCluster.Start(silos: 0);

        // The test holds partition 1's migration lock: the silo migrates partition 0, then waits inside its
        // migration transaction on partition 1, where it is killed.
        await using var holder = new NpgsqlConnection(cluster.Ledgers[1]);
        await holder.OpenAsync();
        await Execute(holder, $"SELECT pg_advisory_lock({MigrationLock})");
        var silo = cluster.Launch();
        var waiting = await Until.Polled(async () => await LedgerFacts.Scalar(cluster.Ledgers[1], """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()
            """) > 0, TimeSpan.FromSeconds(60));
        Assert.True(waiting, $"the silo never reached partition 1's migrations:\n{silo.Tail()}");
        silo.KillNine();
        Assert.True(await silo.WaitForExit(TimeSpan.FromSeconds(10)), "the killed silo is gone");
        await Execute(holder, $"SELECT pg_advisory_unlock({MigrationLock})");

        var applied0 = await LedgerFacts.Scalar(cluster.Ledgers[0], "SELECT count(*) FROM mg_schema_migrations");
        var tables1 = await LedgerFacts.Scalar(cluster.Ledgers[1], "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'mg\\_%'");
        figures.Add("partition 0 migrations applied when the silo was killed", applied0);
        figures.Add("partition 1 tables left by the killed migration", tables1);
        Assert.True(applied0 > 0, "partition 0 had not been migrated before the kill");
        Assert.Equal(0, tables1);

        // Started again on the same databases: it finishes the migrations and serves.
        var clock = Stopwatch.StartNew();
        var again = await cluster.AddSilo();
        figures.Seconds("the next start ready", clock.Elapsed);
        Assert.Equal(applied0, await LedgerFacts.Scalar(cluster.Ledgers[1], "SELECT count(*) FROM mg_schema_migrations"));
        Assert.Equal(applied0, await LedgerFacts.Scalar(cluster.Ledgers[0], "SELECT count(DISTINCT version) FROM mg_schema_migrations"));
        var scenario = new TradingScenario(cluster, "boot");
        await scenario.Open(longs: 4, shorts: 2);
        await scenario.AssertNothingLost(figures);
        Assert.False(again.HasExited);
    }

    [Fact]
    public async Task A_silo_killed_in_the_middle_of_its_SIGTERM_drain_loses_nothing_and_its_liquidations_finish_elsewhere()
    {
        var figures = new Figures(output, "kill -9 during a SIGTERM drain");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "drainkill");
        await scenario.Open(longs: 40);
        using var stop = new CancellationTokenSource();
        var traffic = Task.WhenAll(scenario.DepositTraffic(stop.Token), scenario.DepositTraffic(stop.Token));

        // Every long breaches at once; the silo with the most running liquidations is told to stop, and killed
        // while it is still draining.
        await scenario.Mark(29000m);
        var backlogs = Array.Empty<(SiloNode Silo, double Backlog)>();
        await Until.Polled(async () =>
        {
            backlogs = await Task.WhenAll(cluster.Silos.Select(async s => (Silo: s, Backlog: await s.Metric("margingrid_liquidation_backlog"))));
            return backlogs.Any(b => b.Backlog > 0);
        }, TimeSpan.FromSeconds(30));
        var (leaving, backlog) = backlogs.MaxBy(b => b.Backlog);
        Assert.True(backlog > 0, "no silo held a running liquidation to drain");
        var clock = Stopwatch.StartNew();
        leaving.Terminate();
        await Task.Delay(TimeSpan.FromMilliseconds(150));
        var stillDraining = !leaving.HasExited;
        leaving.KillNine();
        figures.Add("liquidations running on the stopped silo (its gauge before SIGTERM)", backlog);
        figures.Add("still draining when killed 150 ms after SIGTERM", stillDraining);
        Assert.True(stillDraining, "the silo had finished its drain before the kill: nothing was cut");

        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        figures.Seconds("every breach liquidated after the kill", clock.Elapsed);
        await stop.CancelAsync();
        await traffic;
        var quantities = await scenario.LiquidatedQuantities();
        await scenario.AssertNothingLost(figures);
        Assert.All(quantities.Values, q => Assert.Equal(1m, q.Closed));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
