using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Markets;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// A settlement answers once its round is recorded and in every silo's table, before the holders are told: a
/// read on any silo right after the answer must count it, even on a silo that hosts no holder and had just
/// confirmed the market's rounds (and would otherwise trust its table for a few seconds more).
/// </summary>
public sealed class FundingReachTests
{
    [Fact]
    public async Task Right_after_a_settlement_answers_every_holder_on_every_silo_reads_the_payment()
    {
        await using var grid = await TwoSiloCluster.Start();
        var market = grid.Client.GetGrain<IMarketGrain>("REACHUSDT");
        Assert.True((await market.Define(Specs.LinearSpec("RCH"))).Succeeded);
        Assert.True((await market.AcceptMark(100m)).Succeeded);
        var holders = Enumerable.Range(0, 16).Select(i => $"reach-{i:D2}").ToList();
        foreach (var (id, i) in holders.Select((id, i) => (id, i)))
        {
            var account = grid.Client.GetGrain<IAccountGrain>(id);
            Assert.True((await account.Deposit("d1", "RCH", 10_000m)).Succeeded);
            Assert.True((await account.ApplyFill("f1", "REACHUSDT", i % 2 == 0 ? OrderSide.Buy : OrderSide.Sell, 10m, 100m, 0m)).Succeeded);
        }

        // A silo with no holder (so no holder's nudge can bring it the round), whose table has just confirmed
        // "no rounds yet" and would trust that for a few seconds; the market's publisher knows it once its marks arrive.
        var bystander = await grid.Cluster.StartAdditionalSiloAsync();
        var table = bystander.ServiceProvider.GetRequiredService<MarketDirectory>();
        await Eventually.Get(async () => (await market.AcceptMark(100m)).Value, sequence => table.Cached("REACHUSDT")?.Sequence >= sequence,
            "the new silo's table taking the market's marks");
        Assert.Empty(await table.Rounds("REACHUSDT"));
        foreach (var id in holders)
        {
            Assert.Equal(10_000m, Wallet(await grid.Client.GetGrain<IAccountGrain>(id).GetMargin()));
        }

        var settled = await market.Settle("reach-1", 0.001m);
        Assert.True(settled.Succeeded, settled.Error?.Detail);
        Assert.Equal(holders.Count, settled.Value!.HoldersSettled);
        Assert.Equal(["reach-1"], table.CachedRounds("REACHUSDT").Select(r => r.SettlementId));

        // 10 × 100 × 0.001 = 1: longs pay it, shorts receive it, at once, wherever they live.
        foreach (var (id, i) in holders.Select((id, i) => (id, i)))
        {
            var wallet = Wallet(await grid.Client.GetGrain<IAccountGrain>(id).GetMargin());
            Assert.True(wallet == (i % 2 == 0 ? 9_999m : 10_001m), $"{id} read {wallet} right after the settlement");
        }
    }

    private static decimal Wallet(AccountMarginView margin) => margin.Scopes.Single(s => s.Symbol is null).WalletBalance;
}
