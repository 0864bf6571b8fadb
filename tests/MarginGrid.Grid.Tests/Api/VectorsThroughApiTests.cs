using System.Globalization;
using System.Text.Json.Nodes;
using MarginGrid.Domain.Tests.Support;
using MarginGrid.Domain.Tests.Vectors;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>The conformance cases of tests/data/margin-vectors.json, reproduced through the HTTP API.</summary>
[Collection(GridCollection.Name)]
public sealed class VectorsThroughApiTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task Isolated_50x_liquidation_and_bankruptcy_prices()
    {
        var v = VectorFile.Case("liquidation-price", "isolated-linear-50x");
        await _admin.DefineMarket("V50USDT", Specs.Linear("V50", ("0", 50, v.Str("maintenanceMarginRate"))));
        await _admin.Mark("V50USDT", v.Str("entryPrice"));
        await _admin.Deposit("v50", "d1", "V50", "10000");
        await _admin.Settings("v50", "V50USDT", "isolated", 50);
        await _admin.Fill("v50", "f1", "V50USDT", "buy", v.Str("quantity"), v.Str("entryPrice"));

        var position = (await _admin.Margin("v50"))["positions"]![0]!;
        Assert.Equal(Floor2(v.Dec("expectLong")), Dec(position["liquidationPrice"]));
        Assert.Equal(v.Dec("expectLongBankruptcy"), Dec(position["bankruptcyPrice"]));
        Assert.Equal(400m, Dec(position["isolatedMargin"]));
    }

    [Fact]
    public async Task Cross_two_positions_margin_and_liquidation_prices()
    {
        var v = VectorFile.Case("liquidation-price", "cross-two-positions");
        var positions = v.GetProperty("positions").EnumerateArray().ToArray();
        await _admin.Deposit("vcross", "d1", "VX", v.Str("wallet"));
        foreach (var p in positions)
        {
            var symbol = $"V{p.Str("market")}X";
            await _admin.DefineMarket(symbol, Specs.Linear("VX", ("0", 50, p.Str("maintenanceMarginRate"))));
            await _admin.Mark(symbol, p.Str("entryPrice"));
            await _admin.Settings("vcross", symbol, "cross", 10);
            var quantity = p.Dec("quantity");
            await _admin.Fill("vcross", $"f-{symbol}", symbol, quantity > 0 ? "buy" : "sell", Math.Abs(quantity).ToString(CultureInfo.InvariantCulture), p.Str("entryPrice"));
        }

        foreach (var p in positions)
        {
            await _admin.Mark($"V{p.Str("market")}X", p.Str("mark"));
        }

        var expect = v.GetProperty("expect");
        var margin = await Eventually.Get(() => _admin.Margin("vcross"),
            m => Dec(m["scopes"]![0]!["marginBalance"]) == expect.Dec("marginBalance"), "both marks reaching the account");
        var scope = margin["scopes"]![0]!;
        Assert.Equal(expect.Dec("maintenanceMargin"), Dec(scope["maintenanceMargin"]));
        Assert.Equal(expect.Dec("marginRatio"), decimal.Round(Dec(scope["marginRatio"]), 10));
        var byMarket = margin["positions"]!.AsArray().ToDictionary(p => p!["symbol"]!.GetValue<string>());

        // Printed prices: a long's rounds down to the tick, a short's up, so a mark at them is a breach.
        Assert.Equal(Floor2(expect.Dec("liquidationPriceBTC")), Dec(byMarket["VBTCX"]!["liquidationPrice"]));
        Assert.Equal(Ceiling2(expect.Dec("liquidationPriceETH")), Dec(byMarket["VETHX"]!["liquidationPrice"]));
    }

    [Fact]
    public async Task Funding_payment_of_the_published_example()
    {
        var v = VectorFile.Case("funding", "payment");
        await _admin.DefineMarket("VFUNDUSDT", Specs.Linear("VF"));
        await _admin.Mark("VFUNDUSDT", v.Str("mark"));
        await _admin.Deposit("vf-long", "d1", "VF", "100000");
        await _admin.Deposit("vf-short", "d1", "VF", "100000");
        await _admin.Fill("vf-long", "f1", "VFUNDUSDT", "buy", v.Str("quantity"), v.Str("mark"));
        await _admin.Fill("vf-short", "f1", "VFUNDUSDT", "sell", v.Str("quantity"), v.Str("mark"));
        var result = await _admin.Ok(HttpMethod.Post, "/v1/markets/VFUNDUSDT/funding-settlements", new { settlementId = "vs-1", rate = v.Str("rate") });
        Assert.True(2 == result["holdersSettled"]!.GetValue<int>(), result.ToJsonString());

        Assert.Equal(100_000m - v.Dec("expectLongPays"), Dec((await _admin.Margin("vf-long"))["scopes"]![0]!["walletBalance"]));
        Assert.Equal(100_000m + v.Dec("expectShortReceives"), Dec((await _admin.Margin("vf-short"))["scopes"]![0]!["walletBalance"]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Isolated_waterfall(int index)
    {
        var v = VectorFile.Case("liquidation-waterfall", "isolated-waterfall");
        var c = v.GetProperty("cases").EnumerateArray().ElementAt(index);
        var asset = $"VW{index}";
        var symbol = $"VW{index}USDT";
        await _admin.DefineMarket(symbol, Specs.Linear(asset, ("0", v.GetProperty("leverage").GetInt32(), v.Str("maintenanceMarginRate"))));
        await _admin.Mark(symbol, v.Str("entryPrice"));
        await _admin.Ok(HttpMethod.Post, $"/v1/insurance-fund/{asset}/deposits", new { transferId = "seed", amount = "1000" });
        var trader = $"vw-{index}";
        await _admin.Deposit(trader, "d1", asset, "400");
        await _admin.Settings(trader, symbol, "isolated", v.GetProperty("leverage").GetInt32());
        await _admin.Fill(trader, "f1", symbol, "buy", v.Str("quantity"), v.Str("entryPrice"));
        await _admin.Deposit($"{trader}-cp", "d1", asset, "100000");
        await _admin.Fill($"{trader}-cp", "f1", symbol, "sell", v.Str("quantity"), v.Str("entryPrice"));

        await _admin.Mark(symbol, c.Str("fillPrice"));
        var record = (await Eventually.Get(() => _admin.Liquidations(trader), r => r.AsArray().Any(x => x!["status"]!.GetValue<string>() == "closed"), "the liquidation"))
            .AsArray().Single()!;
        var fund = await _admin.Ok(HttpMethod.Get, $"/v1/insurance-fund/{asset}");
        Assert.Equal(1000m + c.Dec("expectFundDelta"), Dec(fund["balance"]));
        Assert.Equal(c.Dec("expectTraderKeeps"), Dec(record["traderKeeps"]));
        Assert.Equal(0m, Dec((await _admin.Margin(trader))["scopes"]![0]!["walletBalance"]));
    }

    private static decimal Floor2(decimal value) => decimal.Floor(value * 100m) / 100m;

    private static decimal Ceiling2(decimal value) => decimal.Ceiling(value * 100m) / 100m;

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
