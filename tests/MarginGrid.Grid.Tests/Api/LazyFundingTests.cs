using System.Globalization;
using System.Text.Json.Nodes;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// A funding round is recorded once and counted at once by every holder, but reaches their ledgers lazily: with
/// the holder's next command (in the same append, ahead of it) or the shards' compaction. Every figure counts it
/// meanwhile, the ledger and reconciliation stay exact, and a resent round moves nothing.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class LazyFundingTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task Unrealised_funding_counts_in_margin_and_withdrawals_and_is_written_ahead_of_the_next_command()
    {
        await _admin.DefineMarket("LZWUSDT", Specs.Linear("LZW"));
        await _admin.Mark("LZWUSDT", "100");
        await _admin.Deposit("lzw-long", "d1", "LZW", "1000");
        await _admin.Fill("lzw-long", "f1", "LZWUSDT", "buy", "10", "100");
        var before = Cross(await _admin.Margin("lzw-long"));

        await _admin.Ok(HttpMethod.Post, "/v1/markets/LZWUSDT/funding-settlements", new { settlementId = "lzw-1", rate = "0.003" });

        // The long pays 10 · 100 · 0.003 = 3 at once in every figure, though its ledger has no funding entry yet.
        var after = Cross(await _admin.Margin("lzw-long"));
        Assert.Equal(Dec(before["walletBalance"]) - 3m, Dec(after["walletBalance"]));
        Assert.Equal(-3m, Dec(after["pendingFunding"]));
        Assert.Equal(Dec(before["withdrawable"]) - 3m, Dec(after["withdrawable"]));
        Assert.DoesNotContain(await Ledger("lzw-long"), e => e!["kind"]!.GetValue<string>() == "Funding");

        // A withdrawal that only the unrealised funding makes too large is refused, and changes nothing.
        var refused = await _admin.Post("/v1/accounts/lzw-long/withdrawals", new { transferId = "w1", asset = "LZW", amount = Text(Dec(before["withdrawable"]) - 1m) });
        Assert.Equal("above_withdrawable", refused.Code);
        Assert.Equal(-3m, Dec(Cross(await _admin.Margin("lzw-long"))["pendingFunding"]));

        var accepted = await _admin.Post("/v1/accounts/lzw-long/withdrawals", new { transferId = "w2", asset = "LZW", amount = Text(Dec(after["withdrawable"])) });
        Assert.True(accepted.IsSuccess, accepted.Body);
        var ledger = await Ledger("lzw-long");
        var funding = ledger.Single(e => e!["kind"]!.GetValue<string>() == "Funding")!;
        Assert.Equal(-3m, Dec(funding["amount"]));
        Assert.Contains("lzw-1", funding["transactionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(funding["sequence"]!.GetValue<long>() < ledger.Single(e => e!["kind"]!.GetValue<string>() == "Withdrawal")!["sequence"]!.GetValue<long>());
        Assert.Equal(0m, Dec(Cross(await _admin.Margin("lzw-long"))["pendingFunding"]));
    }

    [Fact]
    public async Task Compaction_writes_idle_holders_funding_once_and_the_ledger_reconciles_exactly_throughout()
    {
        await _admin.DefineMarket("LZCUSDT", Specs.Linear("LZC"));
        await _admin.Mark("LZCUSDT", "200");
        foreach (var (account, side) in new[] { ("lzc-long", "buy"), ("lzc-short", "sell") })
        {
            await _admin.Deposit(account, "d1", "LZC", "10000");
            await _admin.Fill(account, "f1", "LZCUSDT", side, "5", "200");
        }

        var settle = new { settlementId = "lzc-1", rate = "0.001" };
        await _admin.Ok(HttpMethod.Post, "/v1/markets/LZCUSDT/funding-settlements", settle);
        var wallets = await Wallets();
        Assert.Equal([10_000m - 1m, 10_000m + 1m], wallets);
        await AssertReconciled();
        Assert.Equal(new FundingRoundReconciliation("LZCUSDT", 1, "lzc-1", 0, 0m, 0m, 2), Assert.Single(await Rounds()));
        var held = Assert.Single((await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("lzc-short").GetHoldings()).Wallets);
        Assert.Equal((10_000m, 1m), (held.Balance, held.Unrealised));
        Assert.Equal(0, await FundingEntries());
        var pending = Assert.Single((await _admin.Ok(HttpMethod.Get, "/v1/accounts/lzc-long/funding")).AsArray())!;
        Assert.Equal(("lzc-1", -1m, false, 1L), (pending["settlementId"]!.GetValue<string>(), Dec(pending["amount"]), pending["realised"]!.GetValue<bool>(), pending["round"]!.GetValue<long>()));

        Assert.Equal(2, await Compact());
        var realised = Assert.Single((await _admin.Ok(HttpMethod.Get, "/v1/accounts/lzc-short/funding?limit=10")).AsArray())!;
        Assert.Equal(("lzc-1", 1m, true), (realised["settlementId"]!.GetValue<string>(), Dec(realised["amount"]), realised["realised"]!.GetValue<bool>()));
        Assert.Equal("invalid_paging", (await _admin.Get("/v1/accounts/lzc-short/funding?limit=0")).Code);
        Assert.Equal("unknown_account", (await _admin.Get("/v1/accounts/lzc-nobody/funding")).Code);
        Assert.Equal(2, await FundingEntries());
        Assert.Equal(wallets, await Wallets());
        Assert.Equal(0m, Dec(Cross(await _admin.Margin("lzc-long"))["pendingFunding"]));
        await AssertReconciled();

        // Each holder's payment is proved against the round in reconciliation: 1 paid, 1 received, none owed.
        Assert.Equal(new FundingRoundReconciliation("LZCUSDT", 1, "lzc-1", 2, 1m, 1m, 0), Assert.Single(await Rounds()));

        // Resent, the round is a replay: nothing is counted or written again.
        var replay = await _admin.Post("/v1/markets/LZCUSDT/funding-settlements", settle);
        Assert.True(replay.Replayed, replay.Body);
        Assert.Equal(0, await Compact());
        Assert.Equal(wallets, await Wallets());
        Assert.Equal(2, await FundingEntries());
        await AssertReconciled();
    }

    private async Task<int> Compact()
    {
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var written = await Task.WhenAll(Enumerable.Range(0, MarketShards.Count).Select(k => grains.GetGrain<IMarketShardGrain>(MarketShards.Key("LZCUSDT", k)).CompactFunding()));
        return written.Sum();
    }

    private async Task<int> FundingEntries()
    {
        var total = 0;
        foreach (var account in new[] { "lzc-long", "lzc-short" })
        {
            total += (await Ledger(account)).Count(e => e!["kind"]!.GetValue<string>() == "Funding");
        }

        return total;
    }

    private async Task<decimal[]> Wallets() =>
        [Dec(Cross(await _admin.Margin("lzc-long"))["walletBalance"]), Dec(Cross(await _admin.Margin("lzc-short"))["walletBalance"])];

    private async Task AssertReconciled()
    {
        // Other tests of the collection leave their own differences on purpose (a settlement without its fund leg).
        var report = await Reconcile();
        Assert.Empty(report.Differences.Where(d => d.Subject.Contains("lzc", StringComparison.OrdinalIgnoreCase)));
    }

    private async Task<FundingRoundReconciliation[]> Rounds() => [.. (await Reconcile()).FundingRounds.Where(r => r.Symbol == "LZCUSDT")];

    private Task<ReconciliationReport> Reconcile() => app.Services.GetRequiredService<IGrainFactory>().GetGrain<IReconciliationGrain>("ledger").Run();

    private async Task<JsonArray> Ledger(string account) => (await _admin.Ok(HttpMethod.Get, $"/v1/accounts/{account}/ledger?limit=1000")).AsArray();

    private static JsonNode Cross(JsonNode margin) => margin["scopes"]!.AsArray().First(s => s!["mode"]!.GetValue<string>() == "cross")!;

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
