using System.Text.Json;
using MarginGrid.Durable.Ledger;
using Npgsql;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// The ledger over two PostgreSQL databases: every stream lands in the partition its hash names and only
/// there, reconciliation counts each partition and finds a difference planted in one, and a silo started
/// on another partition count is refused.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PartitionedLedgerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Streams_land_in_both_partitions_and_reconciliation_checks_each()
    {
        var figures = new Figures(output, "partitioned ledger");
        await using var cluster = await DurableCluster.Start(silos: 1);
        var scenario = new TradingScenario(cluster, "part");
        var accounts = Enumerable.Range(0, 24).Select(i => $"part-{i:D3}").ToList();
        foreach (var account in accounts)
        {
            await scenario.Deposit(account, $"first-{account}", 100m);
        }

        var held = await cluster.StreamsByPartition();
        Assert.Equal(2, held.Count);
        foreach (var stream in accounts.Select(a => $"account:{a}"))
        {
            var home = LedgerPartitioner.PartitionOf(stream, 2);
            Assert.True(held[home].Contains(stream), $"{stream} is not in partition {home}");
            Assert.False(held[1 - home].Contains(stream), $"{stream} is also in partition {1 - home}");
        }

        Assert.All(held, streams => Assert.NotEmpty(streams));
        figures.Add("account streams per partition", string.Join(" / ", held.Select(h => h.Count)));

        var exact = await scenario.ReconcileExact();
        var counted = Partitions(exact);
        Assert.Equal([0, 1], counted.Select(p => p.Partition));
        Assert.Equal(held.Select(h => h.Count), counted.Select(p => p.Accounts));

        // A deposit is two owned legs in the account's stream: the wallet's and the external house balance's.
        Assert.All(counted, p => Assert.Equal((2L * p.Accounts, 0), (p.Entries, p.Differences)));

        // A balance snapshot in partition 1 that no longer matches its entries, as a bad restore or a manual edit would leave it.
        var planted = accounts.First(a => LedgerPartitioner.PartitionOf($"account:{a}", 2) == 1);
        await Execute(cluster.Ledgers[1], $"UPDATE mg_balances SET balance = balance + 7 WHERE account_kind = 'Wallet' AND owner = '{planted}'");

        var report = await cluster.Reconcile();
        Assert.False(report.GetProperty("exact").GetBoolean());
        var difference = Assert.Single(report.GetProperty("differences").EnumerateArray());
        Assert.Equal("snapshot", difference.GetProperty("check").GetString());
        Assert.Contains(planted, difference.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains("(ledger partition 1)", difference.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal([0, 1], Partitions(report).Select(p => p.Differences));
        figures.Add("planted difference", difference.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task A_silo_configured_with_another_partition_count_is_refused()
    {
        await using var cluster = await DurableCluster.Start(silos: 1);
        await cluster.Postgres.CreateDatabase(DurableCluster.LedgerDatabase(2));
        var three = cluster.Ledgers.Append(cluster.Postgres.ConnectionStringFor(DurableCluster.LedgerDatabase(2))).ToList();

        using var silo = SiloNode.Start(9, cluster.Scratch, three, cluster.Redis.ConnectionString, cluster.Certificates);

        Assert.True(await silo.WaitForExit(TimeSpan.FromSeconds(120)), $"the silo kept running:\n{silo.Tail()}");
        Assert.NotEqual(0, silo.ExitCode);
        Assert.Contains("is partition 0 of 2, but this silo is configured as partition 0 of 3", silo.Tail(200), StringComparison.Ordinal);
        Assert.Equal(0, await Count(cluster.Postgres.ConnectionStringFor(DurableCluster.LedgerDatabase(2)), "SELECT count(*) FROM pg_tables WHERE tablename = 'mg_partition_map'"));
    }

    [Fact]
    public async Task Each_database_keeps_its_partition_map_and_refuses_another()
    {
        var scratch = DurableCluster.NewScratch();
        var postgres = await PostgresServer.Create(scratch);
        try
        {
            await using var first = NpgsqlDataSource.Create(postgres.ConnectionString);
            await using var second = NpgsqlDataSource.Create(await postgres.CreateDatabase("margingrid_1"));
            await using var old = NpgsqlDataSource.Create(await postgres.CreateDatabase("margingrid_old"));
            foreach (var source in new[] { first, second, old })
            {
                await LedgerSchema.Migrate(source, CancellationToken.None);
            }

            await LedgerPartitionMap.Check(first, 0, 2, CancellationToken.None);
            await LedgerPartitionMap.Check(second, 1, 2, CancellationToken.None);
            await LedgerPartitionMap.Check(first, 0, 2, CancellationToken.None);

            var grown = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerPartitionMap.Check(first, 0, 3, CancellationToken.None));
            Assert.Contains("is partition 0 of 2, but this silo is configured as partition 0 of 3", grown.Message, StringComparison.Ordinal);
            Assert.Contains("a data migration, not a restart", grown.Message, StringComparison.Ordinal);

            var swapped = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerPartitionMap.Check(second, 0, 2, CancellationToken.None));
            Assert.Contains("is partition 1 of 2, but this silo is configured as partition 0 of 2", swapped.Message, StringComparison.Ordinal);

            // A ledger from before partitions has events and no map: it was the one partition of one.
            await Execute(old.ConnectionString, "INSERT INTO mg_events (stream, version, event_type, payload, at) VALUES ('account:x', 1, 'none', '{}', now())");
            var split = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerPartitionMap.Check(old, 0, 2, CancellationToken.None));
            Assert.Contains("is partition 0 of 1", split.Message, StringComparison.Ordinal);
            await LedgerPartitionMap.Check(old, 0, 1, CancellationToken.None);
            Assert.Equal(1, await Count(old.ConnectionString, "SELECT count(*) FROM mg_partition_map WHERE partition_index = 0 AND partition_count = 1"));
        }
        finally
        {
            postgres.Dispose();
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static List<(int Partition, int Accounts, long Entries, int Differences)> Partitions(JsonElement report) =>
        [.. report.GetProperty("partitions").EnumerateArray().Select(p => (
            p.GetProperty("partition").GetInt32(), p.GetProperty("accounts").GetInt32(), p.GetProperty("entries").GetInt64(), p.GetProperty("differences").GetInt32()))];

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Count(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
