using MarginGrid.Durable.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// The grain storage for state that decides money, in a real PostgreSQL: a write is there after the server is
/// killed and recovers, and a stale activation (an older etag) can never overwrite a newer write.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresGrainStorageTests
{
    [Fact]
    public async Task A_write_survives_a_kill_of_PostgreSQL_and_a_stale_writer_is_refused()
    {
        var scratch = DurableCluster.NewScratch();
        var postgres = await PostgresServer.Create(scratch);
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        var grain = GrainId.Create("fund", "USDT");
        try
        {
            await using (var source = NpgsqlDataSource.Create(postgres.ConnectionString))
            {
                await LedgerSchema.Migrate(source, CancellationToken.None);
                var storage = new PostgresGrainStorage(source, serializer, TimeProvider.System);

                var absent = new GrainState<Dictionary<string, decimal>>(new Dictionary<string, decimal>());
                await storage.ReadStateAsync("fund-reservations", grain, absent);
                Assert.False(absent.RecordExists);
                Assert.Null(absent.ETag);

                var first = new GrainState<Dictionary<string, decimal>>(new Dictionary<string, decimal> { ["L0-1"] = 125.5m });
                await storage.WriteStateAsync("fund-reservations", grain, first);
                var stale = new GrainState<Dictionary<string, decimal>>(new Dictionary<string, decimal>());
                await storage.ReadStateAsync("fund-reservations", grain, stale);
                Assert.Equal("1", stale.ETag);

                first.State!["L0-2"] = 10m;
                await storage.WriteStateAsync("fund-reservations", grain, first);
                stale.State!["L0-9"] = 999m;
                await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("fund-reservations", grain, stale));

                // Neither a first write racing an existing row.
                var racer = new GrainState<Dictionary<string, decimal>>(new Dictionary<string, decimal> { ["L0-7"] = 1m });
                await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("fund-reservations", grain, racer));
            }

            await postgres.KillNine();
            await postgres.Start();
            await using (var source = NpgsqlDataSource.Create(postgres.ConnectionString))
            {
                var after = new GrainState<Dictionary<string, decimal>>(new Dictionary<string, decimal>());
                await new PostgresGrainStorage(source, serializer, TimeProvider.System).ReadStateAsync("fund-reservations", grain, after);
                Assert.Equal("2", after.ETag);
                Assert.Equal(new Dictionary<string, decimal> { ["L0-1"] = 125.5m, ["L0-2"] = 10m }, after.State);
            }
        }
        finally
        {
            postgres.Dispose();
            Directory.Delete(scratch, recursive: true);
        }
    }
}
