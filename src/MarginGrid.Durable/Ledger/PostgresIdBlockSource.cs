using MarginGrid.Grains.Persistence;
using Npgsql;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Id blocks in the ledger's home database (<c>mg_id_blocks</c>, migration 011): one committed row update per
/// block, so a block is durable when it is returned and a lost Redis write can never bring a number back.
/// </summary>
public sealed class PostgresIdBlockSource(NpgsqlDataSource dataSource) : IIdBlockSource
{
    private const string Reservation = """
        INSERT INTO mg_id_blocks AS b (counter, next) VALUES ($1, $2 + 1)
        ON CONFLICT (counter) DO UPDATE SET next = b.next + $2
        RETURNING next - $2
        """;

    public async Task<long> Reserve(IdCounter counter, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        try
        {
            await using var command = dataSource.CreateCommand(Reservation);
            command.Parameters.Add(new NpgsqlParameter { Value = counter.ToString() });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)count });
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException($"id-blocks:{counter}", error);
        }
    }
}
