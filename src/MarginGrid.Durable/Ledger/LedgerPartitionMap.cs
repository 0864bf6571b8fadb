using Npgsql;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Each ledger database records which partition it is, and of how many, when a silo first starts on it; a
/// silo configured otherwise is refused. Streams are placed by their hash modulo the count, so another
/// count (or another order of the connection strings) would look for every stream in the wrong database:
/// moving streams is a migration (docs/operations.md), never a restart.
/// </summary>
public static class LedgerPartitionMap
{
    private const long MapLock = 0x4D47_5041_5254; // "MGPART"

    /// <summary>
    /// Records (index, count) in a database that has none; refuses a database that recorded other values.
    /// Runs after the migrations (it looks at mg_events).
    /// </summary>
    public static async Task Check(NpgsqlDataSource dataSource, int index, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({MapLock})", cancellationToken);
        await Execute(connection, """
            CREATE TABLE IF NOT EXISTS mg_partition_map (
                only_row        boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
                partition_index integer     NOT NULL,
                partition_count integer     NOT NULL,
                recorded_at     timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);

        var stored = await Recorded(connection, cancellationToken);

        // A ledger from before partitioning was one database holding every stream.
        var map = stored ?? (await HasEvents(connection, cancellationToken) ? (0, 1) : null);
        if (map is { } recorded && recorded != (index, count))
        {
            throw new InvalidOperationException(
                $"Ledger database {connection.Database} on {connection.Host}:{connection.Port} ({LedgerPartitionSettings.Name(index)}) is partition {recorded.Index} of {recorded.Count}, " +
                $"but this silo is configured as partition {index} of {count}. Streams are placed by hash modulo the partition count, " +
                "so changing the count or the order of the ledger databases is a data migration, not a restart (docs/operations.md, \"Changing the partition count\").");
        }

        if (stored is null)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO mg_partition_map (partition_index, partition_count) VALUES ($1, $2)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = index });
            insert.Parameters.Add(new NpgsqlParameter { Value = count });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<(int Index, int Count)?> Recorded(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT partition_index, partition_count FROM mg_partition_map", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt32(0), reader.GetInt32(1)) : null;
    }

    private static async Task<bool> HasEvents(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM mg_events)", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
