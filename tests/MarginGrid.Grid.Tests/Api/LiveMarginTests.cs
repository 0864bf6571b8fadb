using System.Globalization;
using System.Text.Json.Nodes;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// What a client reads, and what decides money or ranking, is valued at the newest marks, also for accounts
/// whose bands let the fan-out skip them (a mark inside the band is not delivered to the account).
/// </summary>
[Collection(GridCollection.Name)]
public sealed class LiveMarginTests(GridApp app)
{
    [Fact]
    public async Task A_healthy_account_far_from_liquidation_shows_each_new_mark_in_its_margin_and_its_stream()
    {
        await app.Admin.DefineMarket("LIVUSDT", Specs.Linear("LIV"));
        await app.Admin.Mark("LIVUSDT", "30000");
        await app.Admin.Deposit("live-1", "live-d1", "LIV", "100000");
        await app.Admin.Settings("live-1", "LIVUSDT", "cross", 2);
        await app.Admin.Fill("live-1", "live-f1", "LIVUSDT", "buy", "1", "30000");
        var shard = Shard("LIVUSDT", "live-1");

        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/live-1/margin/stream?intervalMs=100");
        request.Headers.Add("X-Api-Key", GridApp.ReaderKey);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        Assert.Equal(30_000m, Dec((await NextFrame(stream, cancel.Token))["positions"]![0]!["markPrice"]));

        foreach (var price in new[] { "30300", "30150.5", "31000" })
        {
            var skippedBefore = (await shard.Stats()).Skipped;
            var accepted = await app.Admin.Mark("LIVUSDT", price);
            await Eventually.Get(shard.Stats, s => s.Skipped > skippedBefore, $"the mark at {price} skipped by the fan-out");

            var margin = await app.Reader.Margin("live-1");
            var position = margin["positions"]![0]!;
            Assert.Equal(Dec(price), Dec(position["markPrice"]));
            Assert.Equal(Dec(price) - 30_000m, Dec(position["unrealizedPnl"]));
            Assert.True(position["markSequence"]!.GetValue<long>() > 0);

            JsonNode frame;
            do
            {
                frame = await NextFrame(stream, cancel.Token);
            }
            while (Dec(frame["positions"]![0]!["markPrice"]) != Dec(price));

            Assert.Equal(Dec(price) - 30_000m, Dec(frame["scopes"]![0]!["unrealizedPnl"]));
            Assert.Equal(Dec(accepted["markPrice"]), Dec(price));
        }
    }

    [Fact]
    public async Task A_withdrawal_after_a_mark_move_inside_the_band_is_judged_at_the_new_mark_both_ways()
    {
        await app.Admin.DefineMarket("WDLUSDT", Specs.Linear("WDL"));
        await app.Admin.Mark("WDLUSDT", "30000");
        await app.Admin.Deposit("wdl-1", "wdl-d1", "WDL", "10000");
        await app.Admin.Settings("wdl-1", "WDLUSDT", "cross", 10);
        await app.Admin.Fill("wdl-1", "wdl-f1", "WDLUSDT", "buy", "2", "30000");
        var shard = Shard("WDLUSDT", "wdl-1");

        // Down to 29,000 inside the band: balance 8,000, initial margin 5,800, so 2,200 may leave and no more.
        await SkippedMark(shard, "29000");
        var refused = await app.Admin.Post("/v1/accounts/wdl-1/withdrawals", new { transferId = "wdl-w1", asset = "WDL", amount = "2200.01" });
        Assert.Equal("above_withdrawable", refused.Code);
        Assert.Equal(2_200m, Dec((await app.Reader.Margin("wdl-1"))["scopes"]![0]!["withdrawable"]));

        // Up to 31,000 inside the band: balance 12,000, initial margin 6,200, so 5,800 may leave (at 30,000 only 4,000).
        await SkippedMark(shard, "31000");
        var paid = await app.Admin.Post("/v1/accounts/wdl-1/withdrawals", new { transferId = "wdl-w2", asset = "WDL", amount = "5800" });
        Assert.True(paid.IsSuccess, paid.Body);
        var after = await app.Reader.Margin("wdl-1");
        Assert.Equal(4_200m, Dec(after["scopes"]![0]!["walletBalance"]));
        Assert.Equal(0m, Dec(after["scopes"]![0]!["availableBalance"]));
    }

    [Fact]
    public async Task Adl_takes_counterparties_in_the_order_of_their_scores_at_the_current_mark()
    {
        await app.Admin.DefineMarket("ADRUSDT", Specs.Linear("ADR"));
        await app.Admin.Mark("ADRUSDT", "30000");
        await app.Admin.Deposit("adr-long", "d1", "ADR", "3000");
        await app.Admin.Settings("adr-long", "ADRUSDT", "cross", 10);
        await app.Admin.Fill("adr-long", "f1", "ADRUSDT", "buy", "1", "30000");

        // Both shorts open at the mark, so at their last evaluation both scored 0 (a tie, broken by account id: a first).
        // At 26,000 both gain 4,000; a has 104,000 behind 26,000 of notional, b only 8,000: b is far more leveraged.
        await app.Admin.Deposit("adr-a", "d1", "ADR", "100000");
        await app.Admin.Fill("adr-a", "f1", "ADRUSDT", "sell", "1", "30000");
        await app.Admin.Deposit("adr-b", "d1", "ADR", "4000");
        await app.Admin.Fill("adr-b", "f1", "ADRUSDT", "sell", "1", "30000");
        var shardOfB = Shard("ADRUSDT", "adr-b");
        var skippedBefore = (await shardOfB.Stats()).Skipped;

        // A gap past the long's bankruptcy price (27,000) with an empty fund: ADL. The shorts gain, inside their bands.
        await app.Admin.Mark("ADRUSDT", "26000");
        var records = await Eventually.Get(() => app.Admin.Liquidations("adr-long"),
            r => r.AsArray().Count > 0 && r.AsArray()[0]!["status"]!.GetValue<string>() != "running", "the liquidation");
        Assert.True((await shardOfB.Stats()).Skipped > skippedBefore, "the 26,000 mark was skipped for b");
        var adl = records.AsArray()[0]!["steps"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == "adl").ToList();
        Assert.NotEmpty(adl);
        Assert.Equal("adr-b", adl[0]!["counterparty"]!.GetValue<string>());
        Assert.Equal(-1m, Dec((await app.Reader.Margin("adr-a"))["positions"]![0]!["quantity"]));
    }

    [Fact]
    public async Task The_adl_quantile_a_reader_sees_is_ranked_at_the_current_mark()
    {
        await app.Admin.DefineMarket("AQRUSDT", Specs.Linear("AQR"));
        await app.Admin.Mark("AQRUSDT", "30000");
        await app.Admin.Deposit("aqr-a", "d1", "AQR", "100000");
        await app.Admin.Fill("aqr-a", "f1", "AQRUSDT", "sell", "1", "30000");
        await app.Admin.Deposit("aqr-q", "d1", "AQR", "4000");
        await app.Admin.Fill("aqr-q", "f1", "AQRUSDT", "sell", "1", "30000");
        Assert.Equal(MarketShards.KeyFor("AQRUSDT", "aqr-a"), MarketShards.KeyFor("AQRUSDT", "aqr-q"));

        // At their last evaluation both scored 0, a tie that account-id order gives to a. At 26,000, q ranks first.
        await SkippedMark(Shard("AQRUSDT", "aqr-q"), "26000");
        Assert.Equal(5, (await app.Reader.Margin("aqr-q"))["positions"]![0]!["adlQuantile"]!.GetValue<int>());
        Assert.Equal(3, (await app.Reader.Margin("aqr-a"))["positions"]![0]!["adlQuantile"]!.GetValue<int>());
    }

    private IMarketShardGrain Shard(string symbol, string account) =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<IMarketShardGrain>(MarketShards.KeyFor(symbol, account));

    private async Task SkippedMark(IMarketShardGrain shard, string price)
    {
        var before = (await shard.Stats()).Skipped;
        await app.Admin.Mark(symbolOf(shard), price);
        await Eventually.Get(shard.Stats, s => s.Skipped > before, $"the mark at {price} skipped by the fan-out");

        static string symbolOf(IMarketShardGrain grain) => grain.GetPrimaryKeyString().Split('/')[0];
    }

    private static async Task<JsonNode> NextFrame(StreamReader stream, CancellationToken cancel)
    {
        while (await stream.ReadLineAsync(cancel) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonNode.Parse(line["data: ".Length..])!;
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
