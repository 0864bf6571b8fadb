using Npgsql;

namespace MarginGrid.Durable.Ledger;

/// <summary>One data source per ledger partition, partition 0 (the home database) first.</summary>
public sealed class LedgerDataSources(IReadOnlyList<NpgsqlDataSource> partitions) : IAsyncDisposable
{
    public IReadOnlyList<NpgsqlDataSource> Partitions { get; } = partitions;

    public async ValueTask DisposeAsync()
    {
        foreach (var partition in Partitions)
        {
            await partition.DisposeAsync();
        }
    }
}
