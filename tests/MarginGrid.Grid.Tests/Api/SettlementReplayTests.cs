using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>A coordinator that dies after an account settled and asks again gets the same figures back.</summary>
[Collection(GridCollection.Name)]
public sealed class SettlementReplayTests(GridApp app)
{
    [Fact]
    public async Task A_replayed_cross_settlement_reports_what_it_did_the_first_time()
    {
        await app.Admin.DefineMarket("SRPUSDT", Specs.Linear("SRP"));
        await app.Admin.Mark("SRPUSDT", "1000");
        await app.Admin.Deposit("srp-1", "d1", "SRP", "500");
        await app.Admin.Fill("srp-1", "f1", "SRPUSDT", "buy", "1", "1000");
        var account = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountLiquidation>("srp-1");
        var scope = new ScopeKey("SRP", null);

        // Closed at 990 by hand: r = 500 − 10 = 490; the fee charge of 12.375 is taken, the trader keeps 477.625.
        await account.ApplyLiquidationTrade("op-srp", "full:SRPUSDT:0", scope, "SRPUSDT", 1m, 990m, deleveraged: false);
        var first = await account.SettleLiquidation("op-srp", scope, "SRPUSDT", 12.375m);
        var replay = await account.SettleLiquidation("op-srp", scope, "SRPUSDT", 12.375m);

        Assert.Equal(new SettlementView(12.375m, 0m, 477.625m), first);
        Assert.Equal(first, replay);
    }
}
