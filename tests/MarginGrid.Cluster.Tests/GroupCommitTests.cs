using System.Globalization;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;
using MarginGrid.Durable.Ledger;
using MarginGrid.Grains.Accounts;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// The ledger's group commit and snapshots in a real PostgreSQL: many streams share a transaction, each still
/// compare-and-append at its version and failing alone; nothing is acknowledged before its batch commits; two
/// appends to one stream keep their order; an account activates from its snapshot and tail after a restart.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupCommitTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
    private readonly string _scratch = Directory.CreateTempSubdirectory("margingrid-group-").FullName;
    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _source = null!;

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_scratch, (UnixFileMode)0b111_101_101);
        }

        _postgres = await PostgresServer.Create(_scratch);
        _source = NpgsqlDataSource.Create(_postgres.ConnectionString);
        await LedgerSchema.Migrate(_source, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        _postgres.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Appends_of_many_streams_share_transactions_and_all_land()
    {
        await using var log = Log(windowMicroseconds: 20_000);
        const int streams = 200;
        await Task.WhenAll(Enumerable.Range(0, streams).Select(i => log.Append($"account:g{i}", 0, [Stored(Deposit($"g{i}", "d", i + 1))])));

        Assert.Equal(streams, log.CommittedAppends);
        Assert.True(log.CommittedBatches < streams / 2, $"{log.CommittedBatches} transactions for {streams} appends");
        var totals = await log.Totals();
        Assert.Equal(Enumerable.Range(1, streams).Sum(i => (decimal)i), totals.Where(t => t.Account.Kind == LedgerAccountKind.Wallet).Sum(t => t.Snapshot));
    }

    [Fact]
    public async Task A_conflict_or_a_refused_row_fails_only_its_own_stream_in_a_batch()
    {
        await using var log = Log(windowMicroseconds: 50_000);
        await log.Append("account:behind", 0, [Stored(Deposit("behind", "b0", 1m))]);
        var batchesBefore = log.CommittedBatches;

        var mates = Enumerable.Range(0, 10).Select(i => log.Append($"account:mate{i}", 0, [Stored(Deposit($"mate{i}", "m", 1m))])).ToList();
        var stale = log.Append("account:behind", 0, [Stored(Deposit("behind", "b1", 1m))]);
        await Task.WhenAll(mates);
        var conflict = await Assert.ThrowsAsync<EventLogConflictException>(() => stale);
        Assert.Contains("version 1", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(batchesBefore + 1, log.CommittedBatches);

        // The batch carried the stale append's ledger legs too: none of them, and no balance, may land with the mates'.
        var behind = Assert.Single(await log.Totals(), t => t.Account == LedgerAccount.Wallet("behind", "USDT"));
        Assert.Equal((1m, 1m, 1L), (behind.EntrySum, behind.Snapshot, behind.Entries));

        // A row the database refuses (one command twice in one append) aborts the shared transaction: each append is
        // then retried alone, and only the bad one fails.
        var good = Enumerable.Range(0, 5).Select(i => log.Append($"account:good{i}", 0, [Stored(Deposit($"good{i}", "g", 1m))])).ToList();
        var bad = log.Append("account:bad", 0, [Stored(Deposit("bad", "x", 1m)), Stored(Deposit("bad", "x", 1m))]);
        await Task.WhenAll(good);
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.Empty(await log.Read("account:bad"));
        foreach (var i in Enumerable.Range(0, 5))
        {
            Assert.Single(await log.Read($"account:good{i}"));
        }

        Assert.Single(await log.Read("account:behind"));
    }

    [Fact]
    public async Task Two_appends_to_one_stream_keep_their_order()
    {
        await using var log = Log(windowMicroseconds: 20_000);
        var first = log.Append("account:order", 0, [Stored(Deposit("order", "o1", 1m))]);
        var second = log.Append("account:order", 1, [Stored(Deposit("order", "o2", 2m))]);
        await Task.WhenAll(first, second);
        Assert.Equal(["transfer:o1", "transfer:o2"], (await log.Read("account:order")).Select(e => ((LedgerTransaction)e.Event).TransactionId));
    }

    [Fact]
    public async Task A_batch_whose_commit_fails_is_unavailable_for_every_append_and_applies_none()
    {
        // A long window: the batch forms, then the server goes away before it commits.
        await using var log = Log(windowMicroseconds: 3_000_000);
        var appends = Enumerable.Range(0, 10).Select(i => log.Append($"account:lost{i}", 0, [Stored(Deposit($"lost{i}", "l", 1m)), Stored(Deposit($"lost{i}", "l2", 2m))])).ToList();
        await _postgres.Stop();
        try
        {
            foreach (var append in appends)
            {
                await Assert.ThrowsAsync<EventLogUnavailableException>(() => append);
            }
        }
        finally
        {
            await _postgres.Start();
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Empty(await log.Read($"account:lost{i}"));
        }

        Assert.DoesNotContain(await log.Totals(), t => t.Account.Owner.StartsWith("lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_account_activates_from_its_snapshot_and_tail_after_a_restart_and_replays_read_the_log()
    {
        const string id = "snap";
        var expected = new Account(id);
        await using (var log = Log(windowMicroseconds: 0))
        {
            var stream = new EventStream<Account>(log, $"account:{id}", new AccountFold(id), snapshotEvery: 5, lost: () => { });
            await stream.Load();
            for (var i = 1; i <= 12; i++)
            {
                var deposit = stream.State.DecideDeposit($"t{i}", "USDT", decimal.Parse($"{i}.10", CultureInfo.InvariantCulture))!;
                await stream.Append([Stored(deposit)]);
                expected.Apply(deposit);
            }
        }

        await _postgres.Stop();
        await _postgres.Start();
        await using var reopened = Log(windowMicroseconds: 0);
        var again = new EventStream<Account>(reopened, $"account:{id}", new AccountFold(id), snapshotEvery: 5, lost: () => { });
        await again.Load();
        Assert.Equal(2, again.LoadedEvents);
        Assert.Equal(12, again.Version);
        Assert.Equal(string.Join(";", expected.Snapshot().Balances), string.Join(";", again.State.Snapshot().Balances));
        Assert.Equal("79.20", again.State.Wallet("USDT").ToString(CultureInfo.InvariantCulture));
        Assert.Equal(string.Join(";", expected.Snapshot().Commands), string.Join(";", again.State.Snapshot().Commands));

        // A command before the snapshot: folded from the start; one after it: from the snapshot.
        var old = await again.Replay("transfer:t3");
        Assert.Equal(3.20m, old!.Before.Wallet("USDT"));
        Assert.Equal(6.30m, old.After.Wallet("USDT"));
        var recent = await again.Replay("transfer:t12");
        Assert.Equal(79.20m, recent!.After.Wallet("USDT"));
        Assert.Null(await again.Replay("transfer:none"));
    }

    private PostgresEventLog Log(int windowMicroseconds) =>
        new(_source, Options.Create(new LedgerOptions { GroupCommitWindowMicroseconds = windowMicroseconds, GroupCommitMaxAppends = 256 }));

    private static LedgerTransaction Deposit(string account, string transferId, decimal amount) =>
        LedgerTransaction.Create($"transfer:{transferId}", "deposit",
            new LedgerLeg(LedgerAccount.External("USDT"), -amount, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.Wallet(account, "USDT"), amount, EntryKind.Deposit));

    private static StoredEvent Stored(object storedEvent) => new(storedEvent, At);
}
