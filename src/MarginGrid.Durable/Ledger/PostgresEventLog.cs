using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// The event store and money ledger in PostgreSQL. An append is one database transaction: the events at
/// the next versions (only if the stream is still at the expected version: compare-and-append), the
/// ledger legs the stream owns, and its balance snapshots. It is committed before the command is
/// acknowledged; a failure or an unconfirmed commit is <see cref="EventLogUnavailableException"/>.
/// </summary>
public sealed class PostgresEventLog(NpgsqlDataSource dataSource) : IEventLog, ILedgerReader
{
    private const string InsertEvents = """
        INSERT INTO mg_events (stream, version, event_type, payload, command_key, at)
        SELECT $1, $2 + e.ord, e.type, e.payload::jsonb, e.command_key, e.at
        FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[]) WITH ORDINALITY AS e(type, payload, command_key, at, ord)
        WHERE (SELECT coalesce(max(version), 0) FROM mg_events WHERE stream = $1) = $2
        """;

    private const string InsertEntries = """
        INSERT INTO mg_ledger_entries (stream, entry_id, version, transaction_id, transaction_kind, entry_kind, account_kind, owner, symbol, asset, amount, at)
        SELECT $1, l.entry_id, l.version, l.transaction_id, l.transaction_kind, l.entry_kind, l.account_kind, l.owner, l.symbol, l.asset, l.amount, l.at
        FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::numeric[], $12::timestamptz[])
            AS l(entry_id, version, transaction_id, transaction_kind, entry_kind, account_kind, owner, symbol, asset, amount, at)
        """;

    private const string UpsertBalances = """
        INSERT INTO mg_balances AS b (account_kind, owner, symbol, asset, balance, entries, updated_at)
        SELECT l.account_kind, l.owner, l.symbol, l.asset, sum(l.amount), count(*), now()
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[]) AS l(account_kind, owner, symbol, asset, amount)
        GROUP BY l.account_kind, l.owner, l.symbol, l.asset
        ON CONFLICT (account_kind, owner, symbol, asset)
        DO UPDATE SET balance = b.balance + excluded.balance, entries = b.entries + excluded.entries, updated_at = excluded.updated_at
        """;

    private const string SelectTotals = """
        SELECT coalesce(e.account_kind, b.account_kind), coalesce(e.owner, b.owner), coalesce(e.symbol, b.symbol), coalesce(e.asset, b.asset),
               coalesce(e.total, 0), b.balance, coalesce(e.entries, 0)
        FROM (SELECT account_kind, owner, symbol, asset, sum(amount) AS total, count(*) AS entries
              FROM mg_ledger_entries GROUP BY account_kind, owner, symbol, asset) e
        FULL JOIN mg_balances b USING (account_kind, owner, symbol, asset)
        """;

    public async Task<IReadOnlyList<StoredEvent>> Read(string stream)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT event_type, payload::text, at FROM mg_events WHERE stream = $1 ORDER BY version");
            command.Parameters.Add(new NpgsqlParameter { Value = stream });
            await using var reader = await command.ExecuteReaderAsync();
            var events = new List<StoredEvent>();
            while (await reader.ReadAsync())
            {
                events.Add(new StoredEvent(EventCodec.Decode(reader.GetString(0), reader.GetString(1)), reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return events;
        }
        catch (Exception error) when (IsUnavailable(error))
        {
            throw new EventLogUnavailableException(stream, error);
        }
    }

    public async Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            if (await AppendEvents(connection, stream, expectedVersion, events) != events.Count)
            {
                throw new EventLogConflictException(stream, expectedVersion, await Version(connection, stream));
            }

            var legs = Legs(stream, expectedVersion, events);
            if (legs.Count > 0)
            {
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(EntriesCommand(stream, legs));
                batch.BatchCommands.Add(BalancesCommand([.. legs.Where(l => IsSnapshotted(l.Entry.Account))]));
                await batch.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another activation appended at this version first.
            throw new EventLogConflictException(stream, expectedVersion, -1);
        }
        catch (Exception error) when (IsUnavailable(error))
        {
            throw new EventLogUnavailableException(stream, error);
        }
    }

    public async Task<IReadOnlyList<string>> Streams(string prefix)
    {
        await using var command = dataSource.CreateCommand("SELECT DISTINCT stream FROM mg_events WHERE starts_with(stream, $1) ORDER BY stream");
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync();
        var streams = new List<string>();
        while (await reader.ReadAsync())
        {
            streams.Add(reader.GetString(0));
        }

        return streams;
    }

    public async Task<IReadOnlyList<LedgerTotal>> Totals()
    {
        await using var command = dataSource.CreateCommand(SelectTotals);
        await using var reader = await command.ExecuteReaderAsync();
        var totals = new List<LedgerTotal>();
        while (await reader.ReadAsync())
        {
            var account = new LedgerAccount(Enum.Parse<LedgerAccountKind>(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            var sum = reader.GetDecimal(4);
            var snapshot = reader.IsDBNull(5) ? (IsSnapshotted(account) ? 0m : sum) : reader.GetDecimal(5);
            totals.Add(new LedgerTotal(account, sum, snapshot, reader.GetInt64(6)));
        }

        return totals;
    }

    private static async Task<int> AppendEvents(NpgsqlConnection connection, string stream, long expectedVersion, IReadOnlyList<StoredEvent> events)
    {
        var encoded = events.Select(e => EventCodec.Encode(e.Event)).ToArray();
        await using var command = new NpgsqlCommand(InsertEvents, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = stream });
        command.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });
        command.Parameters.Add(new NpgsqlParameter { Value = encoded.Select(e => e.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = encoded.Select(e => e.Json).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => EventCodec.CommandKey(e.Event)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.At.ToUniversalTime()).ToArray() });
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Version(NpgsqlConnection connection, string stream)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM mg_events WHERE stream = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = stream });
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    private static List<OwnedLeg> Legs(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events)
    {
        var legs = new List<OwnedLeg>();
        for (var i = 0; i < events.Count; i++)
        {
            foreach (var (transaction, entry) in LedgerOwnership.OwnedEntries(stream, events[i].Event))
            {
                legs.Add(new OwnedLeg(expectedVersion + i + 1, transaction, entry, events[i].At.ToUniversalTime()));
            }
        }

        return legs;
    }

    private static NpgsqlBatchCommand EntriesCommand(string stream, List<OwnedLeg> legs)
    {
        var command = new NpgsqlBatchCommand(InsertEntries);
        command.Parameters.Add(new NpgsqlParameter { Value = stream });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Entry.EntryId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Transaction.TransactionId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Transaction.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Entry.Kind.ToString()).ToArray() });
        AddAccountColumns(command, legs.Select(l => l.Entry.Account).ToList());
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Entry.Amount).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.At).ToArray() });
        return command;
    }

    private static NpgsqlBatchCommand BalancesCommand(List<OwnedLeg> legs)
    {
        var command = new NpgsqlBatchCommand(UpsertBalances);
        AddAccountColumns(command, legs.Select(l => l.Entry.Account).ToList());
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Entry.Amount).ToArray() });
        return command;
    }

    private static void AddAccountColumns(NpgsqlBatchCommand command, List<LedgerAccount> accounts)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Kind.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Owner).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Symbol).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Asset).ToArray() });
    }

    /// <summary>A leg the appending stream owns, with the version of the event that carries it.</summary>
    private readonly record struct OwnedLeg(long Version, LedgerTransaction Transaction, LedgerEntry Entry, DateTimeOffset At);

    /// <summary>Trader and fund balances keep a snapshot row; house balances are only summed.</summary>
    private static bool IsSnapshotted(LedgerAccount account) =>
        account.Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin or LedgerAccountKind.InsuranceFund;

    /// <summary>The server or the network, not the request: nothing can be known to have been applied.</summary>
    private static bool IsUnavailable(Exception error) => error switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };
}
