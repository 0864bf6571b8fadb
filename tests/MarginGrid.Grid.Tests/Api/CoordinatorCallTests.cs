using MarginGrid.Grid.Tests.Support;
using Xunit.Abstractions;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// The liquidation path goes one way: the coordinator starts from the scope the escalation carried and takes
/// each new scope from the step that changed it, so it never reads an account back.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class CoordinatorCallTests(GridApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task A_liquidation_calls_the_account_only_for_its_steps()
    {
        await app.Admin.DefineMarket("CLSUSDT", Specs.Linear("CLS"));
        await app.Admin.Mark("CLSUSDT", "10000");
        await app.Admin.Deposit("cls-1", "d1", "CLS", "1000");
        await app.Admin.Settings("cls-1", "CLSUSDT", "cross", 10);
        await app.Admin.Fill("cls-1", "f1", "CLSUSDT", "buy", "1", "10000");

        // In breach below about 9,045; closed at 9,040 it keeps 40, so neither the fund nor ADL is needed.
        await app.Admin.Mark("CLSUSDT", "9040");
        await Eventually.Get(() => app.Admin.Liquidations("cls-1"),
            r => r.AsArray().Count > 0 && r.AsArray()[0]!["status"]!.GetValue<string>() == "closed", "the liquidation closed");
        var calls = await Eventually.Get(() => Task.FromResult(app.Calls.To("cls-1")), c => c.Contains("OnLiquidationEnded"), "the end told to the account");
        output.WriteLine($"{calls.Count} coordinator → account calls: {string.Join(", ", calls)}");

        Assert.DoesNotContain("GetScope", calls);
        Assert.DoesNotContain("GetSize", calls);
        Assert.Equal(1, calls.Count(c => c == "PlanPartial"));
        Assert.Equal(1, calls.Count(c => c == "SettleLiquidation"));
        Assert.Equal(1, calls.Count(c => c == "OnLiquidationEnded"));
        Assert.Equal(calls.Count - 3, calls.Count(c => c == "ApplyLiquidationTrade"));
    }
}
