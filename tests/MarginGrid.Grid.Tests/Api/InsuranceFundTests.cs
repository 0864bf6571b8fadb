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
        var fund = await Seeded("RSV", 100m);

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
    public async Task Payouts_and_fees_sent_all_at_once_pay_each_operation_once_and_never_more_than_the_fund_holds()
    {
        var fund = await Seeded("RSX", 1_000m);
        var scope = new ScopeKey("RSX", null);

        // 200 payouts of 10 against 1,000, each sent twice at once (a coordinator that timed out and asked again),
        // with 50 fees of 1 and 50 reservations of 5 arriving among them: the fund interleaves all of them.
        var payouts = Enumerable.Range(0, 200).SelectMany(i => new[] { i, i })
            .Select(i => (Id: i, Paid: fund.Payout($"pay-{i}", $"acct-{i}", scope, 10m))).ToList();
        var fees = Enumerable.Range(0, 50).Select(i => fund.RecordFee($"fee-{i}", $"acct-{i}", 1m)).ToList();
        var reserved = Enumerable.Range(0, 50).Select(i => fund.Reserve($"res-{i}", 5m)).ToList();
        await Task.WhenAll(payouts.Select(p => p.Paid).Concat(fees).Concat(reserved));

        var paid = payouts.GroupBy(p => p.Id).Select(g => g.Select(p => p.Paid.Result).Distinct().Single()).ToList();
        var view = await fund.Get();
        Assert.All(paid, amount => Assert.True(amount is 0m or 10m, $"paid {amount}"));
        Assert.True(paid.Sum() <= 1_000m, $"paid {paid.Sum()} from 1,000");
        Assert.Equal(1_000m - paid.Sum() + 50m, view.Balance);
        Assert.True(view.Reserved <= view.Balance, $"reserved {view.Reserved} of {view.Balance}");
        Assert.Equal(reserved.Sum(r => r.Result), view.Reserved);
        Assert.Equal(paid.Sum(), view.TotalPayouts);
        Assert.Equal(50m, view.TotalFees);
    }

    [Fact]
    public async Task A_liquidation_that_asks_again_for_more_gets_its_reservation_topped_up_from_free_money()
    {
        var fund = await Seeded("RSW", 1000m);

        // Planned at a mark where nothing was expected from the fund, then again (after a restart) at a worse one.
        Assert.Equal(0m, await fund.Reserve("liq-a", 0m));
        Assert.Equal(369m, await fund.Reserve("liq-a", 369m));
        Assert.Equal(631m, await fund.Reserve("liq-b", 900m));
        Assert.Equal(369m, await fund.Reserve("liq-a", 100m));
        Assert.Equal(369m, await fund.Reserve("liq-a", 2000m));
        Assert.Equal(1000m, (await fund.Get()).Reserved);
    }

    private async Task<IInsuranceFundGrain> Seeded(string asset, decimal amount)
    {
        var fund = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IInsuranceFundGrain>(asset);
        Assert.True((await fund.Deposit("seed", amount)).Succeeded);
        return fund;
    }
}
