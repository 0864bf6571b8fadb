using System.Globalization;
using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

[Collection(GridCollection.Name)]
public sealed class MarketTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task A_definition_sent_again_is_a_replay_and_a_changed_one_is_a_new_version_kept_in_the_audit()
    {
        var spec = Specs.Linear("MKT");
        var first = await _admin.DefineMarket("MKTUSDT", spec);
        var again = await _admin.Put("/v1/markets/MKTUSDT", spec);
        Assert.True(again.Replayed);
        Assert.Equal(first["version"]!.GetValue<long>(), again.Json["version"]!.GetValue<long>());

        var changed = await _admin.DefineMarket("MKTUSDT", Specs.Linear("MKT", ("0", 25, "0.01")));
        Assert.Equal(first["version"]!.GetValue<long>() + 1, changed["version"]!.GetValue<long>());
        Assert.Equal("0", changed["brackets"]![0]!["cum"]!.GetValue<string>());
        var history = (await _admin.Ok(HttpMethod.Get, "/v1/markets/MKTUSDT/history")).AsArray();
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task A_deficit_that_neither_the_fund_nor_adl_covers_is_recorded_on_the_market()
    {
        // A long whose counterparty is outside the grid: no one to deleverage, and an empty fund.
        await _admin.DefineMarket("DEFUSDT", Specs.Linear("DEF"));
        await _admin.Mark("DEFUSDT", "10000");
        await _admin.Deposit("def-long", "d1", "DEF", "1000");
        await _admin.Settings("def-long", "DEFUSDT", "cross", 10);
        await _admin.Fill("def-long", "f1", "DEFUSDT", "buy", "1", "10000");

        await _admin.Mark("DEFUSDT", "8500");
        var record = (await Eventually.Get(() => _admin.Liquidations("def-long"),
            r => r.AsArray().Any(x => x!["status"]!.GetValue<string>() == "closed"), "the liquidation")).AsArray().Single()!;

        // Closed at 8,500 with 1,000 of margin: r = −500; the fund is empty and nobody holds the other side.
        Assert.Equal(500m, Dec(record["deficit"]));
        Assert.Equal(0m, Dec((await _admin.Margin("def-long"))["scopes"]![0]!["walletBalance"]));
        var market = await _admin.Ok(HttpMethod.Get, "/v1/markets/DEFUSDT");
        Assert.Equal(500m, Dec(market["unresolvedDeficit"]));
    }

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
