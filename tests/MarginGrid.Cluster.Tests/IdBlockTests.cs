using MarginGrid.Durable.Ledger;
using MarginGrid.Grains.Persistence;
using Npgsql;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// The blocks that liquidation ids are drawn from, in a real PostgreSQL: never shared between reservers that
/// race, and never handed out again after the server is killed and recovers from its WAL.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IdBlockTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Blocks_are_disjoint_under_contention_and_none_comes_back_after_a_kill_of_PostgreSQL()
    {
        var figures = new Figures(output, "id blocks");
        var scratch = DurableCluster.NewScratch();
        var postgres = await PostgresServer.Create(scratch);
        try
        {
            long highest;
            await using (var source = NpgsqlDataSource.Create(postgres.ConnectionString))
            {
                await LedgerSchema.Migrate(source, CancellationToken.None);
                var ids = new PostgresIdBlockSource(source);
                var firsts = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => ids.Reserve(IdCounter.Liquidation, 64)));
                var sorted = firsts.Order().ToList();
                Assert.Equal(1, sorted[0]);
                Assert.All(sorted.Zip(sorted.Skip(1)), pair => Assert.Equal(pair.First + 64, pair.Second));
                highest = sorted[^1] + 63;
                figures.Add("blocks reserved by 40 racing callers", sorted.Count);
            }

            await postgres.KillNine();
            await postgres.Start();
            await using (var source = NpgsqlDataSource.Create(postgres.ConnectionString))
            {
                var after = await new PostgresIdBlockSource(source).Reserve(IdCounter.Liquidation, 1);
                Assert.Equal(highest + 1, after);
                figures.Add("first number after the kill and crash recovery", after);
            }
        }
        finally
        {
            postgres.Dispose();
            Directory.Delete(scratch, recursive: true);
        }
    }
}
