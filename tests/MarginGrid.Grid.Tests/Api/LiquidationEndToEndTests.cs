using System.Globalization;
using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

[Collection(GridCollection.Name)]
public sealed class LiquidationEndToEndTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task Fills_then_a_falling_mark_liquidate_partially_then_fully_and_the_fee_reaches_the_fund()
    {
        // Two brackets, so the 100k position starts above the first and the partial step applies.
        await _admin.DefineMarket("E2EUSDT", Specs.Linear("E2E", ("0", 50, "0.005"), ("50000", 20, "0.01")));
        await _admin.Mark("E2EUSDT", "50000");
        await _admin.Ok(HttpMethod.Post, "/v1/insurance-fund/E2E/deposits", new { transferId = "seed", amount = "10000" });
        await _admin.Deposit("e2e-long", "d1", "E2E", "6000");
        await _admin.Settings("e2e-long", "E2EUSDT", "cross", 20);
        await _admin.Fill("e2e-long", "f1", "E2EUSDT", "buy", "2", "50000");
        await _admin.Deposit("e2e-short", "d1", "E2E", "50000");
        await _admin.Fill("e2e-short", "f1", "E2EUSDT", "sell", "2", "50000");

        var feesBefore = Dec((await _admin.Ok(HttpMethod.Get, "/v1/liquidations/summary"))["fees"]);

        // At 47,300: MB 600 ≤ MM 696. Keeping q < 1.79704 brings MM below 600: selling 0.203 at the mark recovers.
        await _admin.Mark("E2EUSDT", "47300");
        var first = await Eventually.Get(() => _admin.Liquidations("e2e-long"), r => Finished(r, 1), "the partial liquidation");
        var partial = first.AsArray()[0]!;
        Assert.Equal("recovered", partial["status"]!.GetValue<string>());
        Assert.Equal("partial", partial["steps"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("0.203", partial["steps"]![0]!["quantity"]!.GetValue<string>());
        var afterPartial = await _admin.Margin("e2e-long");
        Assert.Equal("1.797", afterPartial["positions"]![0]!["quantity"]!.GetValue<string>());

        // At 47,000 the rest breaches again: the partial step cannot restore it, the full step closes it.
        await _admin.Mark("E2EUSDT", "47000");
        var both = await Eventually.Get(() => _admin.Liquidations("e2e-long"), r => Finished(r, 2), "the full liquidation");
        var full = both.AsArray()[1]!;
        Assert.Equal("closed", full["status"]!.GetValue<string>());
        var steps = full["steps"]!.AsArray();
        var closed = steps.Where(s => s!["kind"]!.GetValue<string>() is "partial" or "full").Sum(s => Dec(s!["quantity"]));
        Assert.Equal(1.797m, closed);

        // r = MB at the mark = (6,000 − 0.203 · 2,700) − 1.797 · 3,000 = 60.9; the fee takes all of it (1.25% of the notional is more).
        Assert.Equal(60.9m, Dec(full["fee"]));
        Assert.Equal(0m, Dec(full["traderKeeps"]));
        var margin = await _admin.Margin("e2e-long");
        Assert.Empty(margin["positions"]!.AsArray());
        Assert.Equal(0m, Dec(margin["scopes"]![0]!["walletBalance"]));
        var fund = await _admin.Ok(HttpMethod.Get, "/v1/insurance-fund/E2E");
        Assert.Equal(10_060.9m, Dec(fund["balance"]));

        // The audit projection, fed by the liquidations stream, counts this liquidation's fee (tests in the collection run one at a time).
        var summary = await Eventually.Get(() => _admin.Ok(HttpMethod.Get, "/v1/liquidations/summary"),
            x => Dec(x["fees"]) >= feesBefore + 60.9m, "the audit projection counting the fee");
        Assert.Equal(feesBefore + 60.9m, Dec(summary["fees"]));

        // The record is readable on its own, with the same figures.
        var single = await _admin.Ok(HttpMethod.Get, $"/v1/liquidations/{full["liquidationId"]!.GetValue<string>()}");
        Assert.Equal(60.9m, Dec(single["fee"]));
        Assert.Matches("^[0-9a-f]{32}$", single["traceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_fund_sends_the_loss_to_the_top_ranked_counterparty_at_the_bankruptcy_price()
    {
        await _admin.DefineMarket("ADLUSDT", Specs.Linear("ADLX"));
        await _admin.Mark("ADLUSDT", "10000");
        await _admin.Deposit("adl-long", "d1", "ADLX", "1000");
        await _admin.Settings("adl-long", "ADLUSDT", "cross", 10);
        await _admin.Fill("adl-long", "f1", "ADLUSDT", "buy", "1", "10000");
        await _admin.Deposit("adl-short-big", "d1", "ADLX", "10000");
        await _admin.Fill("adl-short-big", "f1", "ADLUSDT", "sell", "1", "10000");
        await _admin.Deposit("adl-short-small", "d1", "ADLX", "100000");
        await _admin.Fill("adl-short-small", "f1", "ADLUSDT", "sell", "0.5", "10000");
        await _admin.Deposit("adl-long-safe", "d1", "ADLX", "100000");
        await _admin.Fill("adl-long-safe", "f1", "ADLUSDT", "buy", "0.5", "10000");

        // A first move (no breach) lets every holder report its ranking score to its shard.
        await _admin.Mark("ADLUSDT", "9500");
        await Eventually.Get(() => _admin.Margin("adl-short-big"), m => Dec(m["positions"]![0]!["markPrice"]) == 9_500m, "the 9,500 mark reaching holders");

        // The mark gaps past the bankruptcy price (9,000): closing at 8,000 would leave −1,000 and the fund is empty.
        await _admin.Mark("ADLUSDT", "8000");
        var records = await Eventually.Get(() => _admin.Liquidations("adl-long"), r => Finished(r, 1), "the liquidation");
        var record = records.AsArray()[0]!;
        var adl = record["steps"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "adl")!;
        Assert.Equal("adl-short-big", adl["counterparty"]!.GetValue<string>());
        Assert.Equal(1m, Dec(adl["quantity"]));
        Assert.Equal(9_000m, Dec(adl["price"]));
        Assert.Equal(0m, Dec(record["deficit"]));

        var counterparty = await _admin.Margin("adl-short-big");
        Assert.Empty(counterparty["positions"]!.AsArray());
        Assert.Equal(11_000m, Dec(counterparty["scopes"]![0]!["walletBalance"]));
        var untouched = await _admin.Margin("adl-short-small");
        Assert.Equal(-0.5m, Dec(untouched["positions"]![0]!["quantity"]));
        var trader = await _admin.Margin("adl-long");
        Assert.Equal(0m, Dec(trader["scopes"]![0]!["walletBalance"]));
    }

    private static bool Finished(JsonNode records, int count) =>
        records.AsArray().Count >= count && records.AsArray().Take(count).All(r => r!["status"]!.GetValue<string>() != "running");

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
