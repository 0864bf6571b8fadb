using System.Threading.Channels;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// The event store and money ledger in PostgreSQL, with group commit: appends from many streams queue, and
/// one writer commits whatever queued (up to <see cref="LedgerOptions.GroupCommitMaxAppends"/>) in one database
/// transaction: per append, its events at the next versions only if its stream is still at the expected version
/// (compare-and-append; a stream that moved on inserts nothing and fails alone), then the ledger legs and balance
/// rows of the appends that landed, and their snapshots. An append is acknowledged only after that transaction
/// commits; a failed or unconfirmed commit fails every append of the batch with <see cref="EventLogUnavailableException"/>.
/// Any other error (a row the database refuses) retries the batch's appends one transaction each, so it fails only its own.
/// </summary>
public sealed class PostgresEventLog : IEventLog, ILedgerReader, IAsyncDisposable
{
    // Concurrent writers of one stream (another silo's activation) wait here instead of aborting each other's
    // batches on the primary key; in a sorted order, so two batches cannot deadlock on them.
    private const string LockStreams = """
        SELECT count(pg_advisory_xact_lock(k))
        FROM (SELECT DISTINCT hashtextextended(s, 0) AS k FROM unnest($1::text[]) AS s ORDER BY k) AS locks
        """;

    // A batch is one statement: an append lands whole (its events, its ledger legs, its balance rows, its snapshot)
    // when its stream is still at the version it expects and holds none of its command keys, and not at all
    // otherwise; the streams that landed come back. One statement, not one per append and table: the database's
    // per-statement cost and a round trip each cost more than the rows.
    private const string WriteBatch = """
        WITH e AS (
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                AS e(stream, version, type, payload, command_key, at)),
        fresh AS (
            SELECT a.stream FROM unnest($7::text[], $8::bigint[]) AS a(stream, expected)
            WHERE (SELECT coalesce(max(m.version), 0) FROM mg_events m WHERE m.stream = a.stream) = a.expected
            EXCEPT
            SELECT e.stream FROM e JOIN mg_events m ON m.stream = e.stream AND m.command_key = e.command_key
            WHERE m.command_key IS NOT NULL),
        appended AS (
            INSERT INTO mg_events (stream, version, event_type, payload, command_key, at)
            SELECT e.stream, e.version, e.type, e.payload::jsonb, e.command_key, e.at FROM e
            WHERE e.stream IN (SELECT stream FROM fresh)
            RETURNING stream),
        legs AS (
            SELECT * FROM unnest($9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::text[],
                                 $16::text[], $17::text[], $18::text[], $19::numeric[], $20::timestamptz[], $21::boolean[])
                AS l(stream, entry_id, version, transaction_id, transaction_kind, entry_kind, account_kind, owner, symbol, asset, amount, at, snapshotted)
            WHERE l.stream IN (SELECT stream FROM appended)),
        entries AS (
            INSERT INTO mg_ledger_entries (stream, entry_id, version, transaction_id, transaction_kind, entry_kind, account_kind, owner, symbol, asset, amount, at)
            SELECT stream, entry_id, version, transaction_id, transaction_kind, entry_kind, account_kind, owner, symbol, asset, amount, at FROM legs),
        balances AS (
            INSERT INTO mg_balances AS b (account_kind, owner, symbol, asset, balance, entries, updated_at)
            SELECT l.account_kind, l.owner, l.symbol, l.asset, sum(l.amount), count(*), now()
            FROM legs l WHERE l.snapshotted
            GROUP BY l.account_kind, l.owner, l.symbol, l.asset
            ORDER BY l.account_kind, l.owner, l.symbol, l.asset
            ON CONFLICT (account_kind, owner, symbol, asset)
            DO UPDATE SET balance = b.balance + excluded.balance, entries = b.entries + excluded.entries, updated_at = excluded.updated_at),
        snapshots AS (
            INSERT INTO mg_snapshots AS s (stream, version, snapshot_type, payload, at)
            SELECT x.stream, x.version, x.type, x.payload::jsonb, now()
            FROM unnest($22::text[], $23::bigint[], $24::text[], $25::text[]) AS x(stream, version, type, payload)
            WHERE x.stream IN (SELECT stream FROM appended)
            ON CONFLICT (stream) DO UPDATE SET version = excluded.version, snapshot_type = excluded.snapshot_type, payload = excluded.payload, at = excluded.at
            WHERE s.version < excluded.version)
        SELECT DISTINCT stream FROM appended
        """;

    private const string SelectVersions = """
        SELECT s, (SELECT coalesce(max(version), 0) FROM mg_events WHERE stream = s) FROM unnest($1::text[]) AS s
        """;

    // Part 0 is the snapshot (at most one row), part 1 the events after it; one statement, so one consistent view.
    private const string SelectLoad = """
        WITH snap AS (SELECT version, snapshot_type, payload FROM mg_snapshots WHERE stream = $1)
        SELECT 0, version, snapshot_type, payload::text, NULL::timestamptz FROM snap
        UNION ALL
        SELECT 1, e.version, e.event_type, e.payload::text, e.at FROM mg_events e
        WHERE e.stream = $1 AND e.version > coalesce((SELECT version FROM snap), 0)
        ORDER BY 1, 2
        """;

    private const string SelectThrough = """
        WITH keyed AS (SELECT version FROM mg_events WHERE stream = $1 AND command_key = $2),
             snap AS (SELECT version, snapshot_type, payload FROM mg_snapshots WHERE stream = $1 AND version < (SELECT version FROM keyed))
        SELECT 0, version, snapshot_type, payload::text, NULL::timestamptz FROM snap
        UNION ALL
        SELECT 1, e.version, e.event_type, e.payload::text, e.at FROM mg_events e
        WHERE e.stream = $1 AND e.version > coalesce((SELECT version FROM snap), 0) AND e.version <= (SELECT version FROM keyed)
        ORDER BY 1, 2
        """;

    private const string SelectPrefixedStreams = """
        SELECT DISTINCT stream FROM mg_events WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS p WHERE starts_with(stream, p)) ORDER BY stream
        """;

    private const string SelectStream = "SELECT event_type, payload::text, at FROM mg_events WHERE stream = $1 ORDER BY version";

    private const string SelectStreams = "SELECT stream, event_type, payload::text, at FROM mg_events WHERE stream = ANY($1) ORDER BY stream, version";

    /// <summary>
    /// Streams read per query by a consistent read: one query per stream cost a round trip each (100k accounts
    /// took minutes under load), one query for all outlived a command's timeout on a large ledger.
    /// </summary>
    private const int StreamsPerQuery = 256;

    // The ledger-wide reads (the stream list, the aggregate) scan every row: minutes, not the seconds a command
    // gets, on a large ledger.
    private const int TotalsTimeoutSeconds = 600;

    private const string SelectTotals = """
        SELECT coalesce(e.account_kind, b.account_kind), coalesce(e.owner, b.owner), coalesce(e.symbol, b.symbol), coalesce(e.asset, b.asset),
               coalesce(e.total, 0), b.balance, coalesce(e.entries, 0)
        FROM (SELECT account_kind, owner, symbol, asset, sum(amount) AS total, count(*) AS entries
              FROM mg_ledger_entries GROUP BY account_kind, owner, symbol, asset) e
        FULL JOIN mg_balances b USING (account_kind, owner, symbol, asset)
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeSpan _window;
    private readonly int _maxAppends;
    private readonly Task _writer;
    private long _batches;
    private long _appends;

    public PostgresEventLog(NpgsqlDataSource dataSource)
        : this(dataSource, Options.Create(new LedgerOptions()))
    {
    }

    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public PostgresEventLog(NpgsqlDataSource dataSource, IOptions<LedgerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _window = TimeSpan.FromMicroseconds(Math.Max(0, options.Value.GroupCommitWindowMicroseconds));
        _maxAppends = Math.Max(1, options.Value.GroupCommitMaxAppends);
        _writer = Task.Run(WriteLoop);
    }

    /// <summary>Database transactions the group commit has committed.</summary>
    public long CommittedBatches => Interlocked.Read(ref _batches);

    /// <summary>Appends those transactions carried (conflicts excluded).</summary>
    public long CommittedAppends => Interlocked.Read(ref _appends);

    public async Task<IReadOnlyList<StoredEvent>> Read(string stream)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(SelectStream);
            command.Parameters.Add(new NpgsqlParameter { Value = stream });
            await using var reader = await command.ExecuteReaderAsync();
            var events = new List<StoredEvent>();
            while (await reader.ReadAsync())
            {
                events.Add(EventAt(reader, 0));
            }

            return events;
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(stream, error);
        }
    }

    public Task<StreamSlice> Load(string stream) => ReadSlice(stream, SelectLoad, null)!;

    public Task<StreamSlice?> ReadThrough(string stream, string commandKey) => ReadSlice(stream, SelectThrough, commandKey);

    public async Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events, StreamSnapshot? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var pending = new PendingAppend(stream, expectedVersion, events, snapshot);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new EventLogUnavailableException(stream, new ObjectDisposedException(nameof(PostgresEventLog)));
        }

        await pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    public async Task<IReadOnlyList<string>> Streams(string prefix)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(SelectPrefixedStreams);
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { prefix } });
            return await StreamNames(command);
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            // An outage is a retryable 503 for the reader (reconciliation, listings), never a bare 500.
            throw new EventLogUnavailableException($"{prefix}*", error);
        }
    }

    public async Task<IReadOnlyList<LedgerTotal>> Totals()
    {
        try
        {
            await using var command = _dataSource.CreateCommand(SelectTotals);
            command.CommandTimeout = TotalsTimeoutSeconds;
            return await ReadTotals(command);
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException("ledger totals", error);
        }
    }

    /// <summary>
    /// One repeatable-read transaction: the stream list, each stream's events and the tables are all as of its first
    /// statement, so an append committed meanwhile is in none of them. Each stream is its own short query (the
    /// primary key's order, no sort of the whole table), so no statement outlives the command timeout however large
    /// the ledger; the totals' aggregate gets a longer one.
    /// </summary>
    public async Task<IReadOnlyList<LedgerTotal>> ReadConsistent(IReadOnlyList<string> prefixes, Action<string, IReadOnlyList<StoredEvent>> onStream)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(onStream);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
            List<string> streams;
            await using (var list = new NpgsqlCommand(SelectPrefixedStreams, connection, transaction) { CommandTimeout = TotalsTimeoutSeconds })
            {
                list.Parameters.Add(new NpgsqlParameter { Value = prefixes.ToArray() });
                streams = await StreamNames(list);
            }

            await using (var read = new NpgsqlCommand(SelectStreams, connection, transaction))
            {
                var names = new NpgsqlParameter { Value = Array.Empty<string>() };
                read.Parameters.Add(names);
                foreach (var chunk in streams.Chunk(StreamsPerQuery))
                {
                    names.Value = chunk;
                    string? current = null;
                    var events = new List<StoredEvent>();
                    await using (var reader = await read.ExecuteReaderAsync())
                    {
                        while (await reader.ReadAsync())
                        {
                            var stream = reader.GetString(0);
                            if (current is not null && stream != current)
                            {
                                onStream(current, events);
                                events = [];
                            }

                            current = stream;
                            events.Add(EventAt(reader, 1));
                        }
                    }

                    if (current is not null)
                    {
                        onStream(current, events);
                    }
                }
            }

            await using var totals = new NpgsqlCommand(SelectTotals, connection, transaction) { CommandTimeout = TotalsTimeoutSeconds };
            var result = await ReadTotals(totals);
            await transaction.CommitAsync();
            return result;
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException("ledger (consistent read)", error);
        }
    }

    private static async Task<List<string>> StreamNames(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var streams = new List<string>();
        while (await reader.ReadAsync())
        {
            streams.Add(reader.GetString(0));
        }

        return streams;
    }

    /// <summary>The event whose type, payload and time are the row's columns from <paramref name="first"/> on.</summary>
    private static StoredEvent EventAt(NpgsqlDataReader reader, int first) =>
        new(EventCodec.Decode(reader.GetString(first), reader.GetString(first + 1)), reader.GetFieldValue<DateTimeOffset>(first + 2));

    private static async Task<IReadOnlyList<LedgerTotal>> ReadTotals(NpgsqlCommand command)
    {
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

    /// <summary>One writer: each batch is what queued (at most one append per stream, so two appends to a stream keep their order).</summary>
    private async Task WriteLoop()
    {
        var carried = new List<PendingAppend>();
        var reader = _queue.Reader;
        while (carried.Count > 0 || await reader.WaitToReadAsync())
        {
            if (_window > TimeSpan.Zero)
            {
                await Task.Delay(_window);
            }

            var batch = new List<PendingAppend>();
            var streams = new HashSet<string>(StringComparer.Ordinal);
            var next = new List<PendingAppend>();
            foreach (var pending in carried)
            {
                Place(pending);
            }

            while (batch.Count < _maxAppends && reader.TryRead(out var pending))
            {
                Place(pending);
            }

            carried = next;
            await Commit(batch);

            void Place(PendingAppend pending)
            {
                if (batch.Count < _maxAppends && streams.Add(pending.Stream))
                {
                    batch.Add(pending);
                }
                else
                {
                    next.Add(pending);
                }
            }
        }
    }

    /// <summary>Commits a batch and completes each of its appends; never throws (the writer must go on).</summary>
    private async Task Commit(List<PendingAppend> batch)
    {
        try
        {
            var conflicts = await Write(batch);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _appends, batch.Count - conflicts.Count);
            foreach (var pending in batch)
            {
                if (conflicts.TryGetValue(pending, out var actual))
                {
                    pending.Done.SetException(new EventLogConflictException(pending.Stream, pending.ExpectedVersion, actual));
                }
                else
                {
                    pending.Done.SetResult();
                }
            }
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            foreach (var pending in batch)
            {
                pending.Done.SetException(new EventLogUnavailableException(pending.Stream, error));
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // A row the database refused rolled back the whole batch: each append again in its own transaction, so it fails alone.
            foreach (var pending in batch)
            {
                await Commit([pending]);
            }
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            batch[0].Done.SetException(new EventLogConflictException(batch[0].Stream, batch[0].ExpectedVersion, -1));
        }
        catch (Exception error)
        {
            batch[0].Done.SetException(error);
        }
    }

    /// <summary>One transaction for the batch; returns the appends whose stream had moved on, with its version.</summary>
    private async Task<Dictionary<PendingAppend, long>> Write(List<PendingAppend> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var appended = new HashSet<string>(StringComparer.Ordinal);
        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            var lockStreams = new NpgsqlBatchCommand(LockStreams);
            lockStreams.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Stream).ToArray() });
            write.BatchCommands.Add(lockStreams);
            write.BatchCommands.Add(BatchCommand(batch));
            await using var reader = await write.ExecuteReaderAsync();

            // The lock's count first, then the streams whose appends landed.
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                appended.Add(reader.GetString(0));
            }
        }

        var conflicts = new Dictionary<PendingAppend, long>();
        var lost = batch.Where(p => !appended.Contains(p.Stream)).ToList();
        if (lost.Count > 0)
        {
            await using var versions = new NpgsqlCommand(SelectVersions, connection, transaction);
            versions.Parameters.Add(new NpgsqlParameter { Value = lost.Select(p => p.Stream).ToArray() });
            await using var reader = await versions.ExecuteReaderAsync();
            var actual = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync())
            {
                actual[reader.GetString(0)] = reader.GetInt64(1);
            }

            foreach (var pending in lost)
            {
                conflicts[pending] = actual.GetValueOrDefault(pending.Stream, -1);
            }
        }

        await transaction.CommitAsync();
        return conflicts;
    }

    private async Task<StreamSlice?> ReadSlice(string stream, string sql, string? commandKey)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = stream });
            if (commandKey is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = commandKey });
            }

            await using var reader = await command.ExecuteReaderAsync();
            StreamSnapshot? snapshot = null;
            var events = new List<StoredEvent>();
            while (await reader.ReadAsync())
            {
                if (reader.GetInt32(0) == 0)
                {
                    snapshot = new StreamSnapshot(reader.GetInt64(1), EventCodec.DecodeSnapshot(reader.GetString(2), reader.GetString(3)));
                }
                else
                {
                    events.Add(EventAt(reader, 2));
                }
            }

            return commandKey is not null && events.Count == 0 ? null : new StreamSlice(snapshot, events);
        }
        catch (Exception error) when (PostgresFailure.IsUnavailable(error))
        {
            throw new EventLogUnavailableException(stream, error);
        }
    }

    /// <summary>
    /// The batch's events at the versions each would take, its appends (one per stream) with the versions they
    /// expect, every ledger leg they carry and their snapshots: the statement keeps those of the appends that land.
    /// </summary>
    private static NpgsqlBatchCommand BatchCommand(List<PendingAppend> batch)
    {
        var command = new NpgsqlBatchCommand(WriteBatch);
        AddEvents(command, batch);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Stream).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.ExpectedVersion).ToArray() });
        AddLegs(command, [.. batch.SelectMany(Legs)]);
        AddSnapshots(command, [.. batch.Where(p => p.Snapshot is not null)]);
        return command;
    }

    private static void AddEvents(NpgsqlBatchCommand command, List<PendingAppend> batch)
    {
        var count = batch.Sum(p => p.Events.Count);
        var streams = new string[count];
        var versions = new long[count];
        var types = new string[count];
        var payloads = new string[count];
        var keys = new string?[count];
        var times = new DateTimeOffset[count];
        var row = 0;
        foreach (var pending in batch)
        {
            for (var i = 0; i < pending.Events.Count; i++, row++)
            {
                var stored = pending.Events[i];
                var (type, json) = EventCodec.Encode(stored.Event);
                streams[row] = pending.Stream;
                versions[row] = pending.ExpectedVersion + i + 1;
                types[row] = type;
                payloads[row] = json;
                keys[row] = EventCodec.CommandKey(stored.Event);
                times[row] = stored.At.ToUniversalTime();
            }
        }

        command.Parameters.Add(new NpgsqlParameter { Value = streams });
        command.Parameters.Add(new NpgsqlParameter { Value = versions });
        command.Parameters.Add(new NpgsqlParameter { Value = types });
        command.Parameters.Add(new NpgsqlParameter { Value = payloads });
        command.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = times });
    }

    private static IEnumerable<OwnedLeg> Legs(PendingAppend pending)
    {
        for (var i = 0; i < pending.Events.Count; i++)
        {
            foreach (var (transaction, entry) in LedgerOwnership.OwnedEntries(pending.Stream, pending.Events[i].Event))
            {
                yield return new OwnedLeg(pending.Stream, pending.ExpectedVersion + i + 1, transaction, entry, pending.Events[i].At.ToUniversalTime());
            }
        }
    }

    private static void AddLegs(NpgsqlBatchCommand command, List<OwnedLeg> legs)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Stream).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Entry.EntryId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Transaction.TransactionId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Transaction.Kind).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Entry.Kind.ToString()).ToArray() });
        AddAccountColumns(command, legs.Select(l => l.Entry.Account).ToList());
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.Entry.Amount).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => l.At).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = legs.Select(l => IsSnapshotted(l.Entry.Account)).ToArray() });
    }

    private static void AddSnapshots(NpgsqlBatchCommand command, List<PendingAppend> appends)
    {
        var encoded = appends.Select(p => EventCodec.EncodeSnapshot(p.Snapshot!.State)).ToArray();
        command.Parameters.Add(new NpgsqlParameter { Value = appends.Select(p => p.Stream).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = appends.Select(p => p.Snapshot!.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = encoded.Select(e => e.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = encoded.Select(e => e.Json).ToArray() });
    }

    private static void AddAccountColumns(NpgsqlBatchCommand command, List<LedgerAccount> accounts)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Kind.ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Owner).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Symbol).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.Select(a => a.Asset).ToArray() });
    }

    /// <summary>A leg the appending stream owns, with the version of the event that carries it.</summary>
    private readonly record struct OwnedLeg(string Stream, long Version, LedgerTransaction Transaction, LedgerEntry Entry, DateTimeOffset At);

    /// <summary>Trader and fund balances keep a snapshot row; house balances are only summed.</summary>
    private static bool IsSnapshotted(LedgerAccount account) =>
        account.Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin or LedgerAccountKind.InsuranceFund;
}
