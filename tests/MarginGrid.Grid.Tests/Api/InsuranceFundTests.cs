using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

[Collection(GridCollection.Name)]
public sealed class InsuranceFundTests(GridApp app)
{
    [Fact]
    public async Task Liquidations_running_at_once_never_count_on_the_same_fund_money()
    {
        var fund = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IInsuranceFundGrain>("RSV");
        Assert.True((await fund.Deposit("seed", 100m)).Succeeded);

        Assert.Equal(80m, await fund.Reserve("liq-a", 80m));
        Assert.Equal(20m, await fund.Reserve("liq-b", 80m));
        Assert.Equal(80m, await fund.Reserve("liq-a", 80m));
        Assert.Equal(100m, (await fund.Get()).Reserved);

        // A pays 50 of its 80 and releases the rest; C can then set aside what is left of the 100.
        Assert.Equal(50m, await fund.Payout("liq-a", "acct-a", new ScopeKey("RSV", null), 50m));
        Assert.Equal(30m, await fund.Reserve("liq-c", 100m));
        Assert.Equal(50m, (await fund.Get()).Balance);

        // B asks for more than it reserved: it gets its 20 and nothing that C set aside.
        Assert.Equal(20m, await fund.Payout("liq-b", "acct-b", new ScopeKey("RSV", null), 60m));
        Assert.Equal(20m, await fund.Payout("liq-b", "acct-b", new ScopeKey("RSV", null), 60m));
        var view = await fund.Get();
        Assert.Equal(30m, view.Balance);
        Assert.Equal(30m, view.Reserved);
        Assert.Equal(0m, await fund.Payout("liq-c", "acct-c", new ScopeKey("RSV", null), 0m));
        Assert.Equal(0m, (await fund.Get()).Reserved);
    }

    [Fact]
    public async Task A_liquidation_that_asks_again_for_more_gets_its_reservation_topped_up_from_free_money()
    {
        var fund = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IInsuranceFundGrain>("RSW");
        Assert.True((await fund.Deposit("seed", 1000m)).Succeeded);

        // Planned at a mark where nothing was expected from the fund, then again (after a restart) at a worse one.
        Assert.Equal(0m, await fund.Reserve("liq-a", 0m));
        Assert.Equal(369m, await fund.Reserve("liq-a", 369m));
        Assert.Equal(631m, await fund.Reserve("liq-b", 900m));
        Assert.Equal(369m, await fund.Reserve("liq-a", 100m));
        Assert.Equal(369m, await fund.Reserve("liq-a", 2000m));
        Assert.Equal(1000m, (await fund.Get()).Reserved);
    }
}
