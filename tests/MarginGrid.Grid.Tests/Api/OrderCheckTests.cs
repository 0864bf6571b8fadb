using System.Globalization;
using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary><c>POST /v1/accounts/{id}/order-checks</c> weighs a cross order against the same available balance <c>/margin</c> shows.</summary>
[Collection(GridCollection.Name)]
public sealed class OrderCheckTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task The_order_check_accepts_an_order_that_unrealized_profit_covers()
    {
        await _admin.DefineMarket("OCUPNLUSDT", Specs.Linear("OCU"));
        await _admin.Mark("OCUPNLUSDT", "30000");
        await _admin.Deposit("oc-upnl", "d1", "OCU", "10000");
        await _admin.Settings("oc-upnl", "OCUPNLUSDT", "cross", 10);
        await _admin.Fill("oc-upnl", "f1", "OCUPNLUSDT", "buy", "1", "30000");
        await _admin.Mark("OCUPNLUSDT", "40000");
        var scope = (await _admin.Margin("oc-upnl"))["scopes"]![0]!;
        Assert.Equal(16_000m, Dec(scope["availableBalance"]));
        Assert.Equal(10_000m, Dec(scope["withdrawable"]));

        // 4.5 @ 30 000 at 10× needs 13 500: more than the wallet, within what unrealized profit adds.
        var covered = await Check("4.5");
        Assert.True(covered["accepted"]!.GetValue<bool>(), covered.ToJsonString());
        Assert.Equal(13_500m, Dec(covered["requiredInitialMargin"]));
        Assert.Equal(16_000m, Dec(covered["availableBalance"]));

        var beyond = await Check("5.334");
        Assert.False(beyond["accepted"]!.GetValue<bool>());
        Assert.Equal(16_002m, Dec(beyond["requiredInitialMargin"]));
    }

    private Task<JsonNode> Check(string quantity) =>
        _admin.Ok(HttpMethod.Post, "/v1/accounts/oc-upnl/order-checks", new { symbol = "OCUPNLUSDT", side = "buy", quantity, price = "30000" });

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
