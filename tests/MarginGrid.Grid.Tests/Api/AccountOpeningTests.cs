using MarginGrid.Abstractions.Accounts;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>Opening an account in one command: all of it or nothing, and a retried opening applies nothing twice.</summary>
[Collection(GridCollection.Name)]
public sealed class AccountOpeningTests(GridApp app)
{
    [Fact]
    public async Task A_refused_opening_leaves_nothing_and_a_retried_one_applies_once()
    {
        await app.Admin.DefineMarket("OPNUSDT", Specs.Linear("OPN"));
        await app.Admin.Mark("OPNUSDT", "1000");
        var account = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("opening-1");
        OpeningDeposit[] deposits = [new("open-d1", "OPN", 500m)];

        // The second position's quantity is off the lot: the deposit and the first position must not remain.
        var refused = await account.Open(new AccountOpening([.. deposits],
            [new("open-f1", "OPNUSDT", PositionMarginMode.Cross, 10, OrderSide.Buy, 1m, 1000m, 0m), new("open-f2", "OPNUSDT", PositionMarginMode.Isolated, 10, OrderSide.Sell, 0.0005m, 1000m, 0m)]));
        Assert.False(refused.Succeeded);
        var empty = await account.GetHoldings();
        Assert.Equal(0, empty.Version);
        Assert.Empty(empty.Positions);
        Assert.All(empty.Wallets, w => Assert.Equal(0m, w.Balance));

        var opening = new AccountOpening([.. deposits], [new("open-f1", "OPNUSDT", PositionMarginMode.Isolated, 10, OrderSide.Buy, 1m, 1000m, 0m)]);
        var first = await account.Open(opening);
        var again = await account.Open(opening);
        Assert.True(first.Succeeded, first.Error?.Detail);
        Assert.True(again.Succeeded && again.Replayed);
        var holdings = await account.GetHoldings();
        var position = Assert.Single(holdings.Positions);
        Assert.Equal(1m, position.Size);
        Assert.Equal(PositionMarginMode.Isolated, position.Mode);
        Assert.Equal(400m, Assert.Single(holdings.Wallets).Balance);
        Assert.Equal(100m, position.IsolatedMargin);
    }
}
