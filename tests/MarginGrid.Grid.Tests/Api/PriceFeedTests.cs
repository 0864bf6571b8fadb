using System.Globalization;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

[Collection(GridCollection.Name)]
public sealed class PriceFeedTests(GridApp app)
{
    [Fact]
    public async Task Ticks_published_on_the_price_feed_stream_reach_the_market_through_its_implicit_subscription()
    {
        await app.Admin.DefineMarket("FEEDUSDT", Specs.Linear("FEED"));
        var client = app.Services.GetRequiredService<IClusterClient>();
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<PriceTick>(StreamId.Create(StreamNames.PriceFeed, "FEEDUSDT"));

        await stream.OnNextAsync(new PriceTick("FEEDUSDT", IsIndex: false, 1234.56m, null, null));
        await Eventually.Get(() => app.Admin.Ok(HttpMethod.Get, "/v1/markets/FEEDUSDT"),
            m => m["markPrice"]?.GetValue<string>() == "1234.56", "the mark from the feed");

        // An index tick with impact prices 0.1% above the index: P = 0.001, so F = 0.001 + clamp(0.0001 − 0.001, ±0.0005) = 0.0005.
        await stream.OnNextAsync(new PriceTick("FEEDUSDT", IsIndex: true, 1000m, 1001m, 1002m));
        var market = await Eventually.Get(() => app.Admin.Ok(HttpMethod.Get, "/v1/markets/FEEDUSDT"),
            m => m["indexPrice"]?.GetValue<string>() == "1000", "the index from the feed");
        Assert.Equal("1000", market["markPrice"]!.GetValue<string>());
        Assert.Equal(0.0005m, decimal.Parse(market["predictedFundingRate"]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }
}
