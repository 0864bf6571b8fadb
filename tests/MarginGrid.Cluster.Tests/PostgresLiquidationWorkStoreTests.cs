using MarginGrid.Durable.Ledger;
using MarginGrid.Durable.Liquidations;
using MarginGrid.Grid.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// Coordinator partitions' work in a real PostgreSQL: one row per liquidation, writes fenced against an activation
/// that was taken over, and what was written is there after the server is killed and recovers.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresLiquidationWorkStoreTests
{
    [Fact]
    public async Task It_keeps_entries_per_liquidation_refuses_a_stale_activation_and_survives_a_kill_of_PostgreSQL()
    {
        var scratch = DurableCluster.NewScratch();
        var postgres = await PostgresServer.Create(scratch);
        using var services = LiquidationWorkStoreContract.Serialization();
        var serializer = services.GetRequiredService<Serializer>();
        try
        {
            long fence;
            await using (var source = NpgsqlDataSource.Create(postgres.ConnectionString))
            {
                await LedgerSchema.Migrate(source, CancellationToken.None);
                fence = await LiquidationWorkStoreContract.Holds(new PostgresLiquidationWorkStore(source, serializer, TimeProvider.System), 4);
            }

            await postgres.KillNine();
            await postgres.Start();
            await using (var source = NpgsqlDataSource.Create(postgres.ConnectionString))
            {
                var after = await new PostgresLiquidationWorkStore(source, serializer, TimeProvider.System).TakeOver(4);
                Assert.Equal("L4-1", Assert.Single(after.Liquidations).Record.LiquidationId);
                Assert.Equal(fence + 1, after.Fence);
            }
        }
        finally
        {
            postgres.Dispose();
            Directory.Delete(scratch, recursive: true);
        }
    }
}
