using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// The coordinator judges a scope at the markets' own newest marks, passed with the call: an account's copy (and
/// its silo's cache) can be older after a failover, and a liquidation judged on an old mark would be cancelled
/// although the breach is real. A passed mark only ever moves the account's mark forward.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class ScopeJudgementTests(GridApp app)
{
    [Fact]
    public async Task A_scope_is_judged_at_a_newer_mark_passed_with_the_call_and_never_at_an_older_one()
    {
        await app.Admin.DefineMarket("JDGUSDT", Specs.Linear("JDG"));
        await app.Admin.Mark("JDGUSDT", "1000");
        await app.Admin.Deposit("judge-1", "judge-d1", "JDG", "100");
        await app.Admin.Settings("judge-1", "JDGUSDT", "cross", 50);
        await app.Admin.Fill("judge-1", "judge-f1", "JDGUSDT", "buy", "1", "1000");
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var account = grains.GetGrain<IAccountLiquidation>("judge-1");
        var current = (await grains.GetGrain<IMarketGrain>("JDGUSDT").Quote())!.Mark!;
        var scope = new ScopeKey("JDG", null);

        // 800 would be a breach (equity 100 − 200), but as an older mark it must not replace 1000.
        var older = current with { Price = 800m, Sequence = current.Sequence - 1 };
        var judged = await account.GetScope(scope, [older]);
        Assert.False(judged.InBreach);
        Assert.Equal(1000m, Assert.Single(judged.Positions).Mark);

        // A mark of a market the account does not hold is ignored, not an error.
        Assert.False((await account.GetScope(scope, [current with { Symbol = "NOSUCHUSDT", Sequence = current.Sequence + 5 }])).InBreach);

        var newer = current with { Price = 800m, Sequence = current.Sequence + 1 };
        judged = await account.GetScope(scope, [newer]);
        Assert.True(judged.InBreach);
        Assert.Equal(800m, Assert.Single(judged.Positions).Mark);

        // Back at the market's price, so this account is not left in breach at a mark the market never published.
        Assert.False((await account.GetScope(scope, [current with { Sequence = current.Sequence + 2 }])).InBreach);
    }
}
