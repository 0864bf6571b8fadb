using MarginGrid.Abstractions.Markets;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// Band skipping end to end: a mark inside an account's band is not delivered to it, and a command that
/// narrows the band (a withdrawal) re-bands the account at its shards, so the next dangerous mark reaches it.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class PriceBandTests(GridApp app)
{
    [Fact]
    public async Task A_withdrawal_narrows_the_band_and_the_next_dangerous_mark_reaches_the_account()
    {
        await app.Admin.DefineMarket("BNDUSDT", Specs.Linear("BND"));
        await app.Admin.Mark("BNDUSDT", "1000");
        await app.Admin.Deposit("band-1", "band-d1", "BND", "100");
        await app.Admin.Settings("band-1", "BNDUSDT", "cross", 50);
        await app.Admin.Fill("band-1", "band-f1", "BNDUSDT", "buy", "1", "1000");
        var shard = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IMarketShardGrain>(MarketShards.KeyFor("BNDUSDT", "band-1"));

        // Wallet 100: the first level change (warning) is near 906, so a mark at 990 is skipped.
        var before = await shard.Stats();
        await app.Admin.Mark("BNDUSDT", "990");
        await Eventually.Get(shard.Stats, s => s.Skipped > before.Skipped, "the mark at 990 skipped");

        // Wallet 30: a breach below 974.87. The old band would skip 974; the re-banded account must get it.
        await app.Admin.Ok(HttpMethod.Post, "/v1/accounts/band-1/withdrawals", new { transferId = "band-w1", asset = "BND", amount = "70" });
        await app.Admin.Mark("BNDUSDT", "974");
        await Eventually.Get(() => app.Admin.Liquidations("band-1"), r => r.AsArray().Count > 0, "the breach at 974 liquidated");
    }
}
