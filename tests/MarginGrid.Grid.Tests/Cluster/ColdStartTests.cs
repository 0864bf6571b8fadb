using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>A market that reactivates (a restart, a restore, a lost silo) starts from its last accepted mark.</summary>
public sealed class ColdStartTests
{
    [Fact]
    public async Task A_reactivated_market_keeps_its_last_mark_and_its_holders_stay_readable()
    {
        await using var grid = await TwoSiloCluster.Start();
        var market = grid.Client.GetGrain<IMarketGrain>("COLDUSDT");
        Assert.True((await market.Define(Specs.LinearSpec("COLD"))).Succeeded);
        var accepted = await market.AcceptMark(1234.5m);
        var account = grid.Client.GetGrain<IAccountGrain>("cold-1");
        Assert.True((await account.Deposit("d1", "COLD", 1000m)).Succeeded);
        Assert.True((await account.ApplyFill("f1", "COLDUSDT", OrderSide.Buy, 1m, 1234.5m, 0m)).Succeeded);

        // The mark is kept after it is accepted, not on the way: deactivate until the market comes back with it.
        var quote = await Eventually.Get(async () =>
        {
            await grid.Cluster.DeactivateAsync(market);
            return await market.Quote();
        }, q => q?.Mark?.Sequence == accepted.Value, "the market reactivating with its last mark");
        Assert.Equal(1234.5m, quote!.Mark!.Price);

        await grid.Cluster.DeactivateAsync(account);
        var margin = await Eventually.Get(account.GetMargin, m => m.Positions.Single().MarkStale, "the read flagged stale");
        Assert.Equal(1234.5m, margin.Positions.Single().MarkPrice);
        // Not accepted since the market reactivated: readable, but flagged stale until the feed resumes.
        Assert.True(margin.Positions.Single().MarkStale);

        // A newer mark follows on from it: sequences never go back.
        var next = await market.AcceptMark(1300m);
        Assert.True(next.Value > accepted.Value);
    }
}
