using System.Globalization;
using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

[Collection(GridCollection.Name)]
public sealed class LiquidationWaveTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task A_wave_of_bankruptcies_is_covered_by_the_fund_and_adl_with_no_deficit()
    {
        const int Pairs = 30;
        await _admin.DefineMarket("WAVEUSDT", Specs.Linear("WAVE"));
        await _admin.Mark("WAVEUSDT", "1000");
        await _admin.Ok(HttpMethod.Post, "/v1/insurance-fund/WAVE/deposits", new { transferId = "seed", amount = "150" });
        await Task.WhenAll(Enumerable.Range(0, Pairs).Select(async i =>
        {
            await _admin.Deposit($"wave-long-{i}", "d1", "WAVE", "1000");
            await _admin.Settings($"wave-long-{i}", "WAVEUSDT", "cross", 10);
            await _admin.Fill($"wave-long-{i}", "f1", "WAVEUSDT", "buy", "10", "1000");
            await _admin.Deposit($"wave-short-{i}", "d1", "WAVE", "50000");
            await _admin.Fill($"wave-short-{i}", "f1", "WAVEUSDT", "sell", "10", "1000");
        }));

        // Every long's bankruptcy price is 900: a gap to 880 leaves each 200 short, 6,000 in all, against a fund of 150.
        await _admin.Mark("WAVEUSDT", "880");
        var records = await Eventually.Get(async () => (await Task.WhenAll(Enumerable.Range(0, Pairs).Select(i => _admin.Liquidations($"wave-long-{i}"))))
                .Select(r => r.AsArray().LastOrDefault()).ToArray(),
            r => r.All(x => x?["status"]?.GetValue<string>() == "closed"), "every long liquidated", seconds: 120);

        Assert.All(records, r => Assert.Equal(0m, Dec(r!["deficit"])));
        Assert.Contains(records, r => r!["steps"]!.AsArray().Any(s => s!["kind"]!.GetValue<string>() == "adl"));
        var fund = await _admin.Ok(HttpMethod.Get, "/v1/insurance-fund/WAVE");
        Assert.True(Dec(fund["balance"]) >= 0m);
        Assert.Equal(0m, Dec(fund["reserved"]));
        var market = await _admin.Ok(HttpMethod.Get, "/v1/markets/WAVEUSDT");
        Assert.Equal(0m, Dec(market["unresolvedDeficit"]));
        for (var i = 0; i < Pairs; i++)
        {
            var margin = await _admin.Margin($"wave-long-{i}");
            Assert.Empty(margin["positions"]!.AsArray());
            Assert.Equal(0m, Dec(margin["scopes"]![0]!["walletBalance"]));
        }
    }

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
