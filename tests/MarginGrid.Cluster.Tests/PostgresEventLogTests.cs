using MarginGrid.Domain.Ledger;
using MarginGrid.Durable.Ledger;
using MarginGrid.Grains.Persistence;
using Npgsql;

namespace MarginGrid.Cluster.Tests;

/// <summary>The ledger's promises in a real PostgreSQL: compare-and-append, one command once, append-only, exact amounts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresEventLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private readonly string _scratch = Directory.CreateTempSubdirectory("margingrid-ledger-").FullName;
    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _source = null!;
    private PostgresEventLog _log = null!;

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_scratch, (UnixFileMode)0b111_101_101);
        }

        _postgres = await PostgresServer.Create(_scratch);
        _source = NpgsqlDataSource.Create(_postgres.ConnectionString);
        Assert.Equal(LedgerSchema.Migrations.Count, await LedgerSchema.Migrate(_source, CancellationToken.None));
        Assert.Equal(0, await LedgerSchema.Migrate(_source, CancellationToken.None));
        _log = new PostgresEventLog(_source);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        _postgres.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Two_writers_at_the_same_version_cannot_both_append()
    {
        await _log.Append("account:alice", 0, [Stored(Deposit("alice", "a1", 100m))]);

        var first = _log.Append("account:alice", 1, [Stored(Deposit("alice", "a2", 1m))]);
        var second = _log.Append("account:alice", 1, [Stored(Deposit("alice", "a3", 2m))]);
        var outcomes = await Task.WhenAll(Outcome(first), Outcome(second));

        Assert.Equal(["appended", "conflict"], outcomes.Order());
        Assert.Equal(2, (await _log.Read("account:alice")).Count);
        await Assert.ThrowsAsync<EventLogConflictException>(() => _log.Append("account:alice", 5, [Stored(Deposit("alice", "a4", 1m))]));
    }

    [Fact]
    public async Task One_command_is_stored_once_and_amounts_come_back_exact()
    {
        await _log.Append("account:bob", 0, [Stored(Deposit("bob", "b1", 0.000000001m))]);

        await Assert.ThrowsAsync<EventLogConflictException>(() => _log.Append("account:bob", 1, [Stored(Deposit("bob", "b1", 0.000000001m))]));
        var read = Assert.Single(await _log.Read("account:bob"));
        Assert.Equal(0.000000001m, ((LedgerTransaction)read.Event).NetFor(LedgerAccount.Wallet("bob", "USDT")));
        var wallet = Assert.Single(await _log.Totals(), t => t.Account == LedgerAccount.Wallet("bob", "USDT"));
        Assert.Equal((0.000000001m, 0.000000001m, 1L), (wallet.EntrySum, wallet.Snapshot, wallet.Entries));
    }

    [Fact]
    public async Task The_ledger_tables_refuse_updates_and_deletes()
    {
        await _log.Append("account:carol", 0, [Stored(Deposit("carol", "c1", 10m))]);
        await using var connection = await _source.OpenConnectionAsync();
        foreach (var sql in new[] { "UPDATE mg_ledger_entries SET amount = 1000", "DELETE FROM mg_events" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_consistent_read_sees_neither_events_nor_entries_appended_while_it_reads()
    {
        await _log.Append("account:erin", 0, [Stored(Deposit("erin", "e1", 100m))]);
        var seen = new List<(string Stream, int Events)>();

        // Appends committed while the events are being handed on, before the totals are read.
        var totals = await _log.ReadConsistent(["account:"], (stream, events) =>
        {
            seen.Add((stream, events.Count));
            _log.Append("account:erin", 1, [Stored(Deposit("erin", "e2", 5m))]).GetAwaiter().GetResult();
            _log.Append("account:frank", 0, [Stored(Deposit("frank", "f1", 7m))]).GetAwaiter().GetResult();
        });

        Assert.Equal([("account:erin", 1)], seen);
        Assert.Equal(100m, Assert.Single(totals, t => t.Account == LedgerAccount.Wallet("erin", "USDT")).EntrySum);
        Assert.DoesNotContain(totals, t => t.Account == LedgerAccount.Wallet("frank", "USDT"));
        Assert.Equal(105m, Assert.Single(await _log.Totals(), t => t.Account == LedgerAccount.Wallet("erin", "USDT")).EntrySum);
    }

    [Fact]
    public async Task A_consistent_read_hands_on_every_stream_whole_and_in_order_across_its_queries()
    {
        // More streams than one query reads, with one to three events each.
        var expected = new Dictionary<string, decimal[]>(StringComparer.Ordinal);
        for (var i = 0; i < 600; i++)
        {
            var owner = $"many{i:D3}";
            var amounts = Enumerable.Range(1, 1 + i % 3).Select(k => i + k / 10m).ToArray();
            await _log.Append($"account:{owner}", 0, [.. amounts.Select((amount, k) => Stored(Deposit(owner, $"{owner}-{k}", amount)))]);
            expected[$"account:{owner}"] = amounts;
        }

        var seen = new Dictionary<string, decimal[]>(StringComparer.Ordinal);
        await _log.ReadConsistent(["account:many"], (stream, events) =>
            seen.Add(stream, [.. events.Select(e => ((LedgerTransaction)e.Event).Entries[1].Amount)]));

        Assert.Equal(expected.Count, seen.Count);
        foreach (var (stream, amounts) in expected)
        {
            Assert.Equal(amounts, seen[stream]);
        }
    }

    [Fact]
    public async Task An_unreachable_ledger_is_reported_as_unavailable()
    {
        await _postgres.Stop();
        try
        {
            await Assert.ThrowsAsync<EventLogUnavailableException>(() => _log.Append("account:dave", 0, [Stored(Deposit("dave", "d1", 1m))]));
            await Assert.ThrowsAsync<EventLogUnavailableException>(() => _log.Read("account:dave"));
        }
        finally
        {
            await _postgres.Start();
        }

        Assert.Empty(await _log.Read("account:dave"));
    }

    private static async Task<string> Outcome(Task append)
    {
        try
        {
            await append;
            return "appended";
        }
        catch (EventLogConflictException)
        {
            return "conflict";
        }
    }

    private static LedgerTransaction Deposit(string account, string transferId, decimal amount) =>
        LedgerTransaction.Create($"transfer:{transferId}", "deposit",
            new LedgerLeg(LedgerAccount.External("USDT"), -amount, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.Wallet(account, "USDT"), amount, EntryKind.Deposit));

    private static StoredEvent Stored(LedgerTransaction transaction) => new(transaction, At);
}
