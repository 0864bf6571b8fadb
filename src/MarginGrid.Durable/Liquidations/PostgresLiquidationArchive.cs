using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Durable.Ledger;
using MarginGrid.Grains.Persistence;
using Npgsql;

namespace MarginGrid.Durable.Liquidations;

/// <summary>
/// The liquidation archive in the ledger's home database (<c>mg_liquidations</c>, migration 010). A record is
/// JSON (jsonb) written from the record itself: decimals as JSON numbers, exact and with their scale.
/// Appends take one transaction-scoped advisory lock so positions commit in order (a coordinator appends
/// its finished records as one batch, so the lock is held once per batch, not per record).
/// </summary>
public sealed class PostgresLiquidationArchive(NpgsqlDataSource dataSource) : ILiquidationArchive
{
    private const long AppendLock = 0x4D47_4C49_5155; // "MGLIQU"
    private const string Stream = "liquidations";

    private const string Insert = """
        WITH incoming AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[])
                WITH ORDINALITY AS r(id, account, status, started, ended, record, ord)),
        fresh AS (
            INSERT INTO mg_liquidations (position, liquidation_id, account_id, status, started_at, ended_at, record)
            SELECT nextval('mg_liquidation_position'), i.id, i.account, i.status, i.started, i.ended, i.record::jsonb
            FROM incoming i
            WHERE NOT EXISTS (SELECT 1 FROM mg_liquidations l WHERE l.liquidation_id = i.id)
            ORDER BY i.ord
            ON CONFLICT (liquidation_id) DO NOTHING
            RETURNING position, liquidation_id),
        symbols AS (
            INSERT INTO mg_liquidation_symbols (symbol, position)
            SELECT s.symbol, f.position FROM fresh f JOIN unnest($7::text[], $8::text[]) AS s(id, symbol) ON s.id = f.liquidation_id)
        SELECT liquidation_id FROM fresh
        """;

    // Only the records this append added count: a retried append finds them archived and adds nothing.
    private const string AddTotals = """
        INSERT INTO mg_liquidation_totals AS t (metric, count, amount)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::numeric[])
        ON CONFLICT (metric) DO UPDATE SET count = t.count + excluded.count, amount = t.amount + excluded.amount
        """;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task Append(IReadOnlyList<LiquidationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var unique = records.DistinctBy(r => r.LiquidationId, StringComparer.Ordinal).ToList();
        if (unique.Count == 0)
        {
            return;
        }

        var symbolIds = new List<string>();
        var symbols = new List<string>();
        foreach (var record in unique)
        {
            foreach (var symbol in LiquidationQuery.SymbolsOf(record))
            {
                symbolIds.Add(record.LiquidationId);
                symbols.Add(symbol);
            }
        }

        try
        {
            var fresh = new HashSet<string>(StringComparer.Ordinal);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AppendLock})", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync();
            }

            await using (var insert = new NpgsqlCommand(Insert, connection, transaction))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = unique.Select(r => r.LiquidationId).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = unique.Select(r => r.Breach.AccountId).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = unique.Select(r => r.Status).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = unique.Select(r => r.StartedAt.ToUniversalTime()).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = unique.Select(r => r.EndedAt?.ToUniversalTime()).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = unique.Select(r => JsonSerializer.Serialize(r, Json)).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = symbolIds.ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = symbols.ToArray() });
                await using var reader = await insert.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    fresh.Add(reader.GetString(0));
                }
            }

            var totals = LiquidationTally.Of(unique.Where(r => fresh.Contains(r.LiquidationId)));
            if (totals.Count > 0)
            {
                await using var add = new NpgsqlCommand(AddTotals, connection, transaction);
                add.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.Metric).ToArray() });
                add.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.Count).ToArray() });
                add.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.Amount).ToArray() });
                await add.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(Stream, error);
        }
    }

    public async Task<LiquidationSummary> Summary()
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT metric, count, amount FROM mg_liquidation_totals");
            await using var reader = await command.ExecuteReaderAsync();
            var totals = new List<LiquidationTotal>();
            while (await reader.ReadAsync())
            {
                totals.Add(new LiquidationTotal(reader.GetString(0), reader.GetInt64(1), reader.GetDecimal(2)));
            }

            return LiquidationTally.Summary(totals);
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(Stream, error);
        }
    }

    public async Task<LiquidationRecord?> Find(string liquidationId)
    {
        ArgumentNullException.ThrowIfNull(liquidationId);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT record::text FROM mg_liquidations WHERE liquidation_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = liquidationId });
            return await command.ExecuteScalarAsync() is string json ? Decode(json) : null;
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(Stream, error);
        }
    }

    public async Task<LiquidationPage> Page(LiquidationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Only the filters given become conditions, so each shape of query gets a plan on its own index:
        // a symbol drives from mg_liquidation_symbols (symbol, position), an account from (account_id, position).
        var sql = new StringBuilder(query.Symbol is null
            ? "SELECT l.position, l.record::text FROM mg_liquidations l WHERE true"
            : "SELECT l.position, l.record::text FROM mg_liquidation_symbols s JOIN mg_liquidations l ON l.position = s.position WHERE s.symbol = $1");
        var parameters = new List<object>();
        if (query.Symbol is not null)
        {
            parameters.Add(query.Symbol);
        }

        var order = query.Symbol is null ? "l.position" : "s.position";
        if (query.AccountId is not null)
        {
            parameters.Add(query.AccountId);
            sql.Append($" AND l.account_id = ${parameters.Count}");
        }

        if (query.From is { } from)
        {
            parameters.Add(from.ToUniversalTime());
            sql.Append($" AND l.started_at >= ${parameters.Count}");
        }

        if (query.To is { } to)
        {
            parameters.Add(to.ToUniversalTime());
            sql.Append($" AND l.started_at < ${parameters.Count}");
        }

        if (query.After is { } after)
        {
            parameters.Add(after);
            sql.Append($" AND {order} {(query.OldestFirst ? ">" : "<")} ${parameters.Count}");
        }

        parameters.Add(query.Limit + 1);
        sql.Append($" ORDER BY {order} {(query.OldestFirst ? "ASC" : "DESC")} LIMIT ${parameters.Count}");
        try
        {
            await using var command = dataSource.CreateCommand(sql.ToString());
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<(long Position, LiquidationRecord Record)>();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), Decode(reader.GetString(1))));
            }

            var more = rows.Count > query.Limit;
            var page = rows.Take(query.Limit).ToList();
            return new LiquidationPage([.. page.Select(r => r.Record)], more ? page[^1].Position : null);
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(Stream, error);
        }
    }

    private static LiquidationRecord Decode(string json) =>
        JsonSerializer.Deserialize<LiquidationRecord>(json, Json) ?? throw new InvalidOperationException("An archived liquidation record reads as null.");
}
