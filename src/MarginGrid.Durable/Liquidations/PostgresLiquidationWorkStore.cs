using MarginGrid.Durable.Ledger;
using MarginGrid.Grains.Liquidations;
using MarginGrid.Grains.Persistence;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginGrid.Durable.Liquidations;

/// <summary>
/// Coordinator partitions' work in the ledger's home database (<c>mg_liquidation_work</c>, migration 013), one
/// row per liquidation in the Orleans binary form. A write is one transaction: it first re-sets the partition's
/// fence to the value it holds (locking the row, so writers of one partition queue), and commits only when that
/// matched, so an activation that was taken over changes nothing.
/// </summary>
public sealed class PostgresLiquidationWorkStore(NpgsqlDataSource dataSource, Serializer serializer, TimeProvider clock) : ILiquidationWorkStore
{
    private const string Raise = """
        INSERT INTO mg_liquidation_partitions AS p (partition_id, fence) VALUES ($1, 1)
        ON CONFLICT (partition_id) DO UPDATE SET fence = p.fence + 1
        RETURNING fence
        """;

    private const string Select = "SELECT payload FROM mg_liquidation_work WHERE partition_id = $1";

    private const string Hold = "UPDATE mg_liquidation_partitions SET fence = fence WHERE partition_id = $1 AND fence = $2";

    private const string Upsert = """
        INSERT INTO mg_liquidation_work (partition_id, liquidation_id, payload, updated_at)
        SELECT $1, id, payload, $4 FROM unnest($2::text[], $3::bytea[]) AS w(id, payload)
        ON CONFLICT (partition_id, liquidation_id) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
        """;

    private const string Delete = "DELETE FROM mg_liquidation_work WHERE partition_id = $1 AND liquidation_id = ANY($2)";

    public async Task<PartitionTakeover> TakeOver(long partition)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            long fence;
            await using (var raise = new NpgsqlCommand(Raise, connection, transaction))
            {
                raise.Parameters.Add(new NpgsqlParameter { Value = partition });
                fence = (long)(await raise.ExecuteScalarAsync())!;
            }

            var entries = new List<StoredLiquidation>();
            await using (var select = new NpgsqlCommand(Select, connection, transaction))
            {
                select.Parameters.Add(new NpgsqlParameter { Value = partition });
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    entries.Add(serializer.Deserialize<StoredLiquidation>(reader.GetFieldValue<byte[]>(0))
                        ?? throw new InvalidDataException($"An empty liquidation entry in partition {partition}."));
                }
            }

            await transaction.CommitAsync();
            return new PartitionTakeover(fence, entries);
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(Stream(partition), error);
        }
    }

    public async Task Write(long partition, long fence, IReadOnlyList<StoredLiquidation> changed, IReadOnlyList<string> removed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(removed);
        // Serialized before the first await: the caller goes on changing these objects.
        var ids = changed.Select(entry => entry.Record.LiquidationId).ToArray();
        var payloads = changed.Select(entry => serializer.SerializeToArray(entry)).ToArray();
        var gone = removed.ToArray();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(Command(Hold, partition, fence));
            if (ids.Length > 0)
            {
                batch.BatchCommands.Add(Command(Upsert, partition, ids, payloads, clock.GetUtcNow()));
            }

            if (gone.Length > 0)
            {
                batch.BatchCommands.Add(Command(Delete, partition, gone));
            }

            await batch.ExecuteNonQueryAsync();
            if (batch.BatchCommands[0].RecordsAffected != 1)
            {
                await transaction.RollbackAsync();
                throw new InconsistentStateException($"Liquidation partition {partition} was taken over (fence {fence} is not the newest); this write is refused.");
            }

            await transaction.CommitAsync();
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(Stream(partition), error);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static string Stream(long partition) => $"liquidation-partition:{partition}";
}
