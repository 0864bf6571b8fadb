using System.Reflection;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Accounts;
using MarginGrid.Grains.Accounts;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// Accounts on <see cref="EventStream{TState}"/>: activation from the newest snapshot and the events after it,
/// replays read from the log (the grain keeps no history), and an opening that appends before it applies.
/// </summary>
public sealed class EventStreamTests
{
    private const int Every = 10;

    [Fact]
    public async Task An_account_activates_from_its_newest_snapshot_and_the_events_after_it()
    {
        await using var grid = await TwoSiloCluster.Start(o => o.SnapshotEvery = Every);
        var account = grid.Client.GetGrain<IAccountGrain>("stream-activate");
        for (var i = 1; i <= 25; i++)
        {
            Assert.True((await account.Deposit($"d{i}", "STR", i)).Succeeded);
        }

        Assert.Equal(20, grid.Log.SnapshotOf("account:stream-activate")?.Version);
        var before = await account.GetHoldings();
        await grid.Cluster.DeactivateAsync(account);

        var served = grid.Log.EventsServed;
        var after = await account.GetHoldings();
        Assert.Equal(5, grid.Log.EventsServed - served);
        Assert.Equal(25, after.Version);
        Assert.Equal(325m, Assert.Single(after.Wallets).Balance);
        Assert.Equal(before.Wallets.Select(w => (w.Asset, w.Balance)).ToList(), after.Wallets.Select(w => (w.Asset, w.Balance)).ToList());

        // And it goes on from there: the next append is at version 25.
        Assert.True((await account.Deposit("d26", "STR", 26m)).Succeeded);
        Assert.Equal(26, (await grid.Log.Read("account:stream-activate")).Count);
    }

    [Fact]
    public async Task A_replay_older_than_the_snapshot_answers_the_original_result_and_moves_nothing()
    {
        await using var grid = await TwoSiloCluster.Start(o => o.SnapshotEvery = Every);
        var account = grid.Client.GetGrain<IAccountGrain>("stream-replay");
        var first = await account.Deposit("d1", "STR", 1m);
        var third = default(Abstractions.Common.CommandResult<AccountMarginView>);
        for (var i = 2; i <= 25; i++)
        {
            var result = await account.Deposit($"d{i}", "STR", i);
            third = i == 3 ? result : third;
        }

        await grid.Cluster.DeactivateAsync(account);
        var replayed = await account.Deposit("d3", "STR", 3m);
        Assert.True(replayed.Succeeded && replayed.Replayed);
        Assert.Equal(6m, Assert.Single(replayed.Value!.Scopes).WalletBalance);
        Assert.Equal(third!.Value!.Scopes.Single().WalletBalance, replayed.Value.Scopes.Single().WalletBalance);
        Assert.Equal(third.Value.Version, replayed.Value.Version);
        Assert.True((await account.Deposit("d1", "STR", 1m)).Replayed);
        Assert.Equal(first.Value!.Version, (await account.Deposit("d1", "STR", 1m)).Value!.Version);

        var changed = await account.Deposit("d3", "STR", 4m);
        Assert.False(changed.Succeeded);
        Assert.Equal(25, (await grid.Log.Read("account:stream-replay")).Count);
        Assert.Equal(325m, Assert.Single((await account.GetHoldings()).Wallets).Balance);
    }

    [Fact]
    public void The_account_grain_holds_no_history()
    {
        // Its state is the fold; events are read from the log when a replay or a ledger page needs them. The one
        // list of events it keeps is funding counted ahead of the log: not history, it is written (and cleared)
        // with the next command or by the shards' compaction.
        var fields = typeof(AccountGrain).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        var lists = fields.Where(f => typeof(IEnumerable<StoredEvent>).IsAssignableFrom(f.FieldType) || typeof(IEnumerable<AccountEvent>).IsAssignableFrom(f.FieldType));
        Assert.Equal(["_unrealisedFunding"], lists.Select(f => f.Name));
    }

    [Fact]
    public async Task An_opening_that_loses_the_race_applies_nothing_and_its_retry_sees_the_log()
    {
        await using var grid = await TwoSiloCluster.Start(o => o.SnapshotEvery = Every);
        const string id = "stream-open";
        var account = grid.Client.GetGrain<IAccountGrain>(id);
        Assert.True((await account.Deposit("first", "STR", 1m)).Succeeded);

        // Another activation's deposit lands in the log behind this activation's back.
        var other = new Account(id);
        foreach (var stored in await grid.Log.Read($"account:{id}"))
        {
            other.Apply((AccountEvent)stored.Event);
        }

        await grid.Log.Append($"account:{id}", other.Version, [new StoredEvent(other.DecideDeposit("elsewhere", "STR", 5m)!, DateTimeOffset.UtcNow)]);

        await Assert.ThrowsAnyAsync<Exception>(() => account.Open(new AccountOpening([new OpeningDeposit("open-1", "STR", 10m)], [])));

        // Nothing of the opening was applied, and the activation that lost went away: the next call reads the log.
        var holdings = await account.GetHoldings();
        Assert.Equal(2, holdings.Version);
        Assert.Equal(6m, Assert.Single(holdings.Wallets).Balance);

        var retried = await account.Open(new AccountOpening([new OpeningDeposit("open-1", "STR", 10m)], []));
        Assert.True(retried.Succeeded && !retried.Replayed, retried.Error?.Detail);
        Assert.Equal(16m, Assert.Single((await account.GetHoldings()).Wallets).Balance);
        Assert.Equal(3, (await grid.Log.Read($"account:{id}")).Count);
    }
}
