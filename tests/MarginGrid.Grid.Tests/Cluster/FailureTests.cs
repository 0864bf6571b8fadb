using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Cluster;

public sealed class FailureTests
{
    private static readonly MarketSpec Spec = Specs.LinearSpec("KUSD");

    [Fact]
    public async Task After_a_silo_is_killed_accounts_are_watched_again_and_a_new_breach_is_liquidated()
    {
        await using var grid = await TwoSiloCluster.Start();
        var market = grid.Client.GetGrain<IMarketGrain>("KILLUSDT");
        Assert.True((await market.Define(Spec)).Succeeded);
        await market.SetMarkPrice(1000m);

        // Enough accounts that both silos host some of them.
        var accounts = Enumerable.Range(0, 24).Select(i => $"kill-{i}").ToArray();
        foreach (var id in accounts)
        {
            var account = grid.Client.GetGrain<IAccountGrain>(id);
            Assert.True((await account.Deposit("d1", "KUSD", 1000m)).Succeeded);
            Assert.True((await account.ChangeSettings("KILLUSDT", PositionMarginMode.Cross, 10)).Succeeded);
            Assert.True((await account.ApplyFill("f1", "KILLUSDT", OrderSide.Buy, 10m, 1000m, 0m)).Succeeded);
        }

        await grid.Cluster.KillSiloAsync(grid.Cluster.Silos[1]);
        await grid.Cluster.WaitForLivenessToStabilizeAsync();

        // Liquidation price of 10 @ 1,000 with 1,000 of margin and MMR 0.5%: 904.52. Fall to 900.
        await Eventually.Get(async () => (await market.SetMarkPrice(900m)).Succeeded, ok => ok, "the market answering after the kill");
        await Eventually.Get(() => Closed(grid, accounts), n => n == accounts.Length, "every account liquidated after the kill", seconds: 120);
        foreach (var id in accounts)
        {
            var margin = await grid.Client.GetGrain<IAccountGrain>(id).GetMargin();
            Assert.Empty(margin.Positions);
            Assert.True(margin.Scopes.All(s => s.WalletBalance >= 0m));
        }
    }

    [Fact]
    public async Task An_idle_deactivated_account_is_still_liquidated_when_the_mark_crosses()
    {
        await using var grid = await TwoSiloCluster.Start();
        var market = grid.Client.GetGrain<IMarketGrain>("IDLEUSDT");
        Assert.True((await market.Define(Spec)).Succeeded);
        await market.SetMarkPrice(1000m);
        var account = grid.Client.GetGrain<IAccountGrain>("idle-1");
        await account.Deposit("d1", "KUSD", 1000m);
        await account.ChangeSettings("IDLEUSDT", PositionMarginMode.Isolated, 10);
        await account.ApplyFill("f1", "IDLEUSDT", OrderSide.Buy, 10m, 1000m, 0m);

        await grid.Cluster.DeactivateAsync(account);
        await market.SetMarkPrice(850m);
        await Eventually.Get(() => Closed(grid, ["idle-1"]), n => n == 1, "the idle account liquidated");
    }

    [Fact]
    public async Task A_shard_that_missed_the_last_mark_gets_it_again_and_its_holder_in_breach_is_liquidated()
    {
        // The feed's last mark fails to reach one shard (its silo just died) and no further mark ever comes.
        // The safety sweep is off: it would reach the holder too, but only within its cycle (minutes at scale).
        var shards = new FailingShardDeliveries(MarketShards.KeyFor("LASTUSDT", "last-1"));
        await using var grid = await TwoSiloCluster.Start(o => o.SafetySweepInterval = TimeSpan.Zero, calls: shards);
        var (market, _) = await IsolatedLong(grid, "LASTUSDT", "last-1");

        shards.Arm(failures: 2);
        Assert.True((await market.SetMarkPrice(850m)).Succeeded);
        await Eventually.Get(() => Closed(grid, ["last-1"]), n => n == 1, "the holder liquidated on the mark its shard missed", seconds: 30);
        Assert.Equal(2, shards.Failed);
    }

    [Fact]
    public async Task A_breach_the_coordinator_lost_is_sent_again_while_it_lasts_and_liquidated()
    {
        var escalations = new LostEscalations();
        await using var grid = await TwoSiloCluster.Start(o => o.SafetySweepInterval = TimeSpan.Zero, calls: escalations);
        var (market, account) = await IsolatedLong(grid, "LOSTUSDT", "lost-1");

        // The breach is accepted and forgotten; the feed keeps ticking at the same price.
        escalations.Arm(calls: 1);
        await Eventually.Get(async () =>
        {
            Assert.True((await market.SetMarkPrice(850m)).Succeeded);
            return await Closed(grid, ["lost-1"]);
        }, n => n == 1, "the holder liquidated after its breach was lost", seconds: 40);
        Assert.Equal(1, escalations.Lost);
        Assert.Empty((await account.GetMargin()).Positions);
    }

    /// <summary>A market at 1,000 and an account long 10 of it, isolated at 10×: liquidated below 904.52.</summary>
    private static async Task<(IMarketGrain Market, IAccountGrain Account)> IsolatedLong(TwoSiloCluster grid, string symbol, string accountId)
    {
        var market = grid.Client.GetGrain<IMarketGrain>(symbol);
        Assert.True((await market.Define(Spec)).Succeeded);
        Assert.True((await market.SetMarkPrice(1000m)).Succeeded);
        var account = grid.Client.GetGrain<IAccountGrain>(accountId);
        Assert.True((await account.Deposit("d1", "KUSD", 1000m)).Succeeded);
        Assert.True((await account.ChangeSettings(symbol, PositionMarginMode.Isolated, 10)).Succeeded);
        Assert.True((await account.ApplyFill("f1", symbol, OrderSide.Buy, 10m, 1000m, 0m)).Succeeded);
        return (market, account);
    }

    private static async Task<int> Closed(TwoSiloCluster grid, IEnumerable<string> accounts)
    {
        var page = await grid.Client.GetGrain<ILiquidationHistoryGrain>(0).Page(new LiquidationQuery(null, null, null, null, false, null, 1000));
        var closed = page.Items.Where(r => r.Status == "closed").Select(r => r.Breach.AccountId).ToImmutableHashSet();
        return accounts.Count(closed.Contains);
    }
}
