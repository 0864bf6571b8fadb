using MarginGrid.Domain.Ledger;
using MarginGrid.Durable.Ledger;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grid.Tests.Ledger;

/// <summary>
/// The routing ledger over in-memory partitions: each stream is written to and read from the partition its
/// hash names and no other; the ledger-wide reads merge every partition.
/// </summary>
public sealed class PartitionedEventLogTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_stream_is_appended_to_and_read_from_its_own_partition_only()
    {
        var (ledger, partitions) = Ledger(3);
        foreach (var account in Accounts)
        {
            await ledger.Append($"account:{account}", 0, [Deposit(account, 10m)]);
        }

        foreach (var account in Accounts)
        {
            var stream = $"account:{account}";
            var home = LedgerPartitioner.PartitionOf(stream, 3);
            Assert.Single(await ledger.Read(stream));
            for (var p = 0; p < 3; p++)
            {
                Assert.Equal(p == home ? 1 : 0, (await partitions[p].Read(stream)).Count);
            }
        }

        Assert.All(partitions, p => Assert.NotEmpty(p.Streams("account:").Result));
    }

    [Fact]
    public async Task A_conflict_is_the_partitions_own()
    {
        var (ledger, _) = Ledger(2);
        await ledger.Append("account:alice", 0, [Deposit("alice", 10m)]);

        await Assert.ThrowsAsync<EventLogConflictException>(() => ledger.Append("account:alice", 0, [Deposit("alice", 5m)]));
        await ledger.Append("account:bob", 0, [Deposit("bob", 5m)]);
    }

    [Fact]
    public async Task Streams_and_totals_merge_every_partition()
    {
        var (ledger, partitions) = Ledger(2);
        foreach (var account in Accounts)
        {
            await ledger.Append($"account:{account}", 0, [Deposit(account, 10m)]);
        }

        Assert.Equal(Accounts.Select(a => $"account:{a}").Order(StringComparer.Ordinal), await ledger.Streams("account:"));

        // Every deposit's external leg is a house balance kept by the depositing stream, so both partitions hold a part of it.
        var external = LedgerAccount.External("USDT");
        Assert.All(partitions, p => Assert.Contains(p.Totals().Result, t => t.Account == external));
        var merged = await ledger.Totals();
        var total = Assert.Single(merged, t => t.Account == external);
        Assert.Equal((-10m * Accounts.Length, -10m * Accounts.Length, (long)Accounts.Length), (total.EntrySum, total.Snapshot, total.Entries));
        Assert.Equal(Accounts.Length + 1, merged.Count);
    }

    [Fact]
    public void The_reader_names_each_partition_in_order()
    {
        var (ledger, partitions) = Ledger(2);

        Assert.Equal(partitions, ((ILedgerReader)ledger).Partitions);
        Assert.Equal(2, ledger.Count);
    }

    [Fact]
    public void A_single_store_is_its_own_only_partition()
    {
        ILedgerReader store = new InMemoryEventLog();

        Assert.Same(store, Assert.Single(store.Partitions));
    }

    private static readonly string[] Accounts = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];

    private static (PartitionedEventLog Ledger, InMemoryEventLog[] Partitions) Ledger(int count)
    {
        var partitions = Enumerable.Range(0, count).Select(_ => new InMemoryEventLog()).ToArray();
        return (PartitionedEventLog.Over(partitions), partitions);
    }

    private static StoredEvent Deposit(string account, decimal amount) =>
        new(LedgerTransaction.Create($"transfer:{account}:{amount}", "deposit",
            new LedgerLeg(LedgerAccount.External("USDT"), -amount, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.Wallet(account, "USDT"), amount, EntryKind.Deposit)), At);
}
