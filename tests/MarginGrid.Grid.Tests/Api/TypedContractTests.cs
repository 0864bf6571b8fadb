using MarginGrid.Abstractions.Accounts;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// An Orleans client can cast any integer to a contract enum; the account refuses a value outside it with a
/// coded error and changes nothing, as the HTTP API refuses a word outside the contract.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class TypedContractTests(GridApp app)
{
    [Fact]
    public async Task A_side_or_margin_mode_outside_the_enum_is_refused_and_changes_nothing()
    {
        await app.Admin.DefineMarket("TYPUSDT", Specs.Linear("TYP"));
        await app.Admin.Mark("TYPUSDT", "1000");
        await app.Admin.Deposit("typed-1", "typed-d1", "TYP", "500");
        var account = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("typed-1");
        var before = await account.GetHoldings();

        var fill = await account.ApplyFill("typed-f1", "TYPUSDT", (OrderSide)7, 1m, 1000m, 0m);
        var settings = await account.ChangeSettings("TYPUSDT", (PositionMarginMode)9, 10);
        var check = await account.CheckOrder("TYPUSDT", (OrderSide)(-1), 1m, 1000m);

        Assert.Equal("invalid_argument", fill.Error?.Code);
        Assert.Equal("invalid_argument", settings.Error?.Code);
        Assert.Equal("invalid_argument", check.Error?.Code);
        var after = await account.GetHoldings();
        Assert.Equal(before.Version, after.Version);
        Assert.Empty(after.Positions);

        // The same fill id with a real side is then a first fill, not a replay of the refused one.
        var real = await account.ApplyFill("typed-f1", "TYPUSDT", OrderSide.Buy, 1m, 1000m, 0m);
        Assert.True(real.Succeeded, real.Error?.Detail);
        Assert.False(real.Replayed);
        Assert.Equal(PositionMarginMode.Cross, real.Value!.MarginMode);
    }
}
