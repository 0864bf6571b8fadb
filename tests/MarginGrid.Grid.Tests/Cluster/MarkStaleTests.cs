using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// A cold start (the market reactivates from its kept mark, no new mark yet): reads answer, flagged stale;
/// decisions on money wait for a fresh mark with <c>mark_stale</c>, while deposits and top-ups go on.
/// </summary>
public sealed class MarkStaleTests
{
    [Fact]
    public async Task After_a_cold_start_reads_are_flagged_stale_and_withdrawals_wait_for_a_new_mark_while_top_ups_go_on()
    {
        await using var grid = await TwoSiloCluster.Start();
        var market = grid.Client.GetGrain<IMarketGrain>("STALEUSDT");
        Assert.True((await market.Define(Specs.LinearSpec("STL"))).Succeeded);
        await market.AcceptMark(100m);
        var account = grid.Client.GetGrain<IAccountGrain>("stale-1");
        Assert.True((await account.Deposit("d1", "STL", 1000m)).Succeeded);
        Assert.True((await account.ChangeSettings("STALEUSDT", PositionMarginMode.Isolated, 10)).Succeeded);
        Assert.True((await account.ApplyFill("f1", "STALEUSDT", OrderSide.Buy, 1m, 100m, 0m)).Succeeded);
        Assert.True((await account.Withdraw("w0", "STL", 1m)).Succeeded);

        // The cold start: the market comes back with its kept mark, flagged as not accepted since.
        await Eventually.Get(async () =>
        {
            await grid.Cluster.DeactivateAsync(market);
            return await market.Quote();
        }, q => q?.Mark is { Stale: true }, "the market reactivating with its kept mark, flagged stale");
        await grid.Cluster.DeactivateAsync(account);

        var before = await Eventually.Get(account.GetMargin, m => m.Positions.Single().MarkStale, "the read flagged stale");
        Assert.Equal(100m, before.Positions.Single().MarkPrice);
        var ledgerBefore = await account.GetLedger(0, 1000);

        var withdrawal = await account.Withdraw("w1", "STL", 10m);
        Assert.Equal("mark_stale", withdrawal.Error?.Code);
        Assert.Equal("unavailable", withdrawal.Error?.Kind);
        var removal = await account.ChangeIsolatedMargin("r1", "STALEUSDT", -1m);
        Assert.Equal("mark_stale", removal.Error?.Code);
        Assert.Equal("mark_stale", (await account.CheckOrder("STALEUSDT", OrderSide.Buy, 1m, 100m)).Error?.Code);
        Assert.Equal("mark_stale", (await account.MaxOrder("STALEUSDT", OrderSide.Buy, 100m)).Error?.Code);

        // Refused means nothing changed: same version, same ledger, same wallet.
        var after = await account.GetMargin();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(ledgerBefore.Length, (await account.GetLedger(0, 1000)).Length);
        Assert.Equal(before.Scopes.Single(s => s.Symbol is null).WalletBalance, after.Scopes.Single(s => s.Symbol is null).WalletBalance);

        // Money coming in needs no mark; a replay of an earlier withdrawal answers as before.
        Assert.True((await account.Deposit("d2", "STL", 50m)).Succeeded);
        var topUp = await account.ChangeIsolatedMargin("t1", "STALEUSDT", 5m);
        Assert.True(topUp.Succeeded, topUp.Error?.Detail);
        Assert.True((await account.Withdraw("w0", "STL", 1m)).Replayed);

        // The feed resumes: the same withdrawal is accepted.
        await market.AcceptMark(101m);
        var accepted = await Eventually.Get(() => account.Withdraw("w1", "STL", 10m), r => r.Error?.Code != "mark_stale", "the withdrawal accepted on a fresh mark");
        Assert.True(accepted.Succeeded, accepted.Error?.Detail);
        Assert.False((await account.GetMargin()).Positions.Single().MarkStale);
    }

    [Fact]
    public async Task A_mark_older_than_the_configured_maximum_age_refuses_a_withdrawal()
    {
        // A maximum age far below any test's run: every mark is too old for money, none for reads.
        await using var grid = await TwoSiloCluster.Start(o => o.MarkMaxAge = TimeSpan.FromTicks(1));
        var market = grid.Client.GetGrain<IMarketGrain>("AGEDUSDT");
        Assert.True((await market.Define(Specs.LinearSpec("AGE"))).Succeeded);
        await market.AcceptMark(100m);
        var account = grid.Client.GetGrain<IAccountGrain>("aged-1");
        Assert.True((await account.Deposit("d1", "AGE", 1000m)).Succeeded);
        Assert.True((await account.ApplyFill("f1", "AGEDUSDT", OrderSide.Buy, 1m, 100m, 0m)).Succeeded);

        Assert.Equal("mark_stale", (await account.Withdraw("w1", "AGE", 1m)).Error?.Code);
        Assert.False((await account.GetMargin()).Positions.Single().MarkStale);
    }
}
