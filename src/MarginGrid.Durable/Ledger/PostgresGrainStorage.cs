using System.Globalization;
using MarginGrid.Grains.Persistence;
using Npgsql;
using Orleans.Storage;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Grain storage in the ledger's home database (<c>mg_grain_state</c>, migration 012), for the state that decides
/// money: a write is acknowledged only once committed, and each write is compare-and-set on the row's etag, so
/// a stale activation cannot overwrite a newer one. The payload is the Orleans binary form of the state.
/// </summary>
public sealed class PostgresGrainStorage(NpgsqlDataSource dataSource, IGrainStorageSerializer serializer, TimeProvider clock) : IGrainStorage
{
    private const string Select = "SELECT etag, payload FROM mg_grain_state WHERE grain_id = $1 AND state_name = $2";

    private const string Insert = """
        INSERT INTO mg_grain_state (grain_id, state_name, etag, payload, updated_at) VALUES ($1, $2, 1, $3, $4)
        ON CONFLICT (grain_id, state_name) DO NOTHING
        """;

    private const string Update = """
        UPDATE mg_grain_state SET etag = etag + 1, payload = $3, updated_at = $4
        WHERE grain_id = $1 AND state_name = $2 AND etag = $5
        """;

    private const string Delete = "DELETE FROM mg_grain_state WHERE grain_id = $1 AND state_name = $2 AND etag = $3";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var stream = Key(stateName, grainId);
        try
        {
            await using var command = dataSource.CreateCommand(Select);
            command.Parameters.Add(new NpgsqlParameter { Value = grainId.ToString() });
            command.Parameters.Add(new NpgsqlParameter { Value = stateName });
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
                grainState.State = serializer.Deserialize<T>(new BinaryData(reader.GetFieldValue<byte[]>(1)));
                grainState.RecordExists = true;
            }
            else
            {
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(stream, error);
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var stream = Key(stateName, grainId);
        var payload = serializer.Serialize(grainState.State).ToArray();
        int written;
        try
        {
            await using var command = dataSource.CreateCommand(grainState.ETag is null ? Insert : Update);
            command.Parameters.Add(new NpgsqlParameter { Value = grainId.ToString() });
            command.Parameters.Add(new NpgsqlParameter { Value = stateName });
            command.Parameters.Add(new NpgsqlParameter { Value = payload });
            command.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
            if (grainState.ETag is { } etag)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = long.Parse(etag, CultureInfo.InvariantCulture) });
            }

            written = await command.ExecuteNonQueryAsync();
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(stream, error);
        }

        if (written != 1)
        {
            throw new InconsistentStateException($"{stream} was written by another activation (etag {grainState.ETag ?? "none"} is not the stored one).");
        }

        grainState.ETag = grainState.ETag is null ? "1" : (long.Parse(grainState.ETag, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (grainState.ETag is { } etag)
        {
            try
            {
                await using var command = dataSource.CreateCommand(Delete);
                command.Parameters.Add(new NpgsqlParameter { Value = grainId.ToString() });
                command.Parameters.Add(new NpgsqlParameter { Value = stateName });
                command.Parameters.Add(new NpgsqlParameter { Value = long.Parse(etag, CultureInfo.InvariantCulture) });
                if (await command.ExecuteNonQueryAsync() != 1)
                {
                    throw new InconsistentStateException($"{Key(stateName, grainId)} was written by another activation (etag {etag} is not the stored one).");
                }
            }
            catch (Exception error) when (PostgresFailure.IsUnavailable(error))
            {
                throw new EventLogUnavailableException(Key(stateName, grainId), error);
            }
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static string Key(string stateName, GrainId grainId) => $"state:{stateName}@{grainId}";
}
