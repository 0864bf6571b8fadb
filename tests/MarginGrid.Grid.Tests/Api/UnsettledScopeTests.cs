using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// Between a liquidation closing an isolated position and its waterfall settling the scope, the scope's margin is
/// still the account's: the holdings show it, so reconciliation in the middle of a cascade has nothing to report.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class UnsettledScopeTests(GridApp app)
{
    [Fact]
    public async Task An_isolated_scope_closed_but_not_settled_is_held_and_reconciles_exactly()
    {
        await app.Admin.DefineMarket("USCUSDT", Specs.Linear("USC"));
        await app.Admin.Mark("USCUSDT", "1000");
        await app.Admin.Deposit("usc-1", "d1", "USC", "500");
        await app.Admin.Settings("usc-1", "USCUSDT", "isolated", 10);
        await app.Admin.Fill("usc-1", "f1", "USCUSDT", "buy", "1", "1000");
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var account = grains.GetGrain<IAccountGrain>("usc-1");
        var scope = new ScopeKey("USC", "USCUSDT");

        // Closed at 950 by hand: the scope's 100 of margin less the 50 lost stays in the scope until the waterfall.
        await grains.GetGrain<IAccountLiquidation>("usc-1").ApplyLiquidationTrade("op-usc", "full:USCUSDT:0", scope, "USCUSDT", 1m, 950m, deleveraged: false);
        var closed = await account.GetHoldings();

        Assert.Empty(closed.Positions);
        Assert.Equal(new UnsettledScopeHolding("USCUSDT", "USC", 50m), Assert.Single(closed.UnsettledScopes));
        Assert.Equal(400m, Assert.Single(closed.Wallets).Balance);
        Assert.Empty(await Differences());

        await grains.GetGrain<IAccountLiquidation>("usc-1").SettleLiquidation("op-usc", scope, "USCUSDT", 0m);
        var settled = await account.GetHoldings();

        Assert.Empty(settled.UnsettledScopes);
        Assert.Equal(450m, Assert.Single(settled.Wallets).Balance);
        Assert.Empty(await Differences());
    }

    // Other tests of the collection leave their own differences on purpose (a settlement without its fund leg).
    private async Task<ReconciliationDifference[]> Differences() =>
        [.. (await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IReconciliationGrain>("ledger").Run()).Differences
            .Where(d => d.Subject.Contains("usc-1", StringComparison.Ordinal))];
}
