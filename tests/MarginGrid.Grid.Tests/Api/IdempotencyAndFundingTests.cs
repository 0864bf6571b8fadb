using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

[Collection(GridCollection.Name)]
public sealed class IdempotencyAndFundingTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task Every_command_replayed_with_the_same_id_changes_nothing_and_with_other_content_is_a_conflict()
    {
        await _admin.DefineMarket("IDMUSDT", Specs.Linear("IDM"));
        await _admin.Mark("IDMUSDT", "100");
        var commands = new (string Path, object Same, object Other)[]
        {
            ("/v1/accounts/idem/deposits", new { transferId = "t1", asset = "IDM", amount = "1000" }, new { transferId = "t1", asset = "IDM", amount = "999" }),
            ("/v1/accounts/idem/fills", new { fillId = "f1", symbol = "IDMUSDT", side = "buy", quantity = "1", price = "100", fee = "0.1" },
                new { fillId = "f1", symbol = "IDMUSDT", side = "buy", quantity = "2", price = "100", fee = "0.1" }),
            ("/v1/accounts/idem/withdrawals", new { transferId = "w1", asset = "IDM", amount = "10" }, new { transferId = "w1", asset = "IDM", amount = "11" }),
            ("/v1/insurance-fund/IDM/deposits", new { transferId = "fund-1", amount = "50" }, new { transferId = "fund-1", amount = "51" }),
        };

        foreach (var (path, same, other) in commands)
        {
            var first = await _admin.Post(path, same);
            Assert.True(first.IsSuccess, first.Body);
            var before = await State();
            var replay = await _admin.Post(path, same);
            Assert.True(replay.IsSuccess, replay.Body);
            Assert.True(replay.Replayed, $"{path} replay not marked");
            Assert.Equal(before, await State());
            var conflict = await _admin.Post(path, other);
            Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
            Assert.Equal("duplicate_conflict", conflict.Code);
            Assert.Equal(before, await State());
        }
    }

    [Fact]
    public async Task A_replayed_fill_returns_the_first_result_again()
    {
        await _admin.DefineMarket("FIRSTUSDT", Specs.Linear("FIRST"));
        await _admin.Mark("FIRSTUSDT", "100");
        await _admin.Deposit("first-1", "d1", "FIRST", "10000");
        var fill = new { fillId = "f1", symbol = "FIRSTUSDT", side = "buy", quantity = "1", price = "100", fee = "0" };
        var original = await _admin.Post("/v1/accounts/first-1/fills", fill);
        await _admin.Fill("first-1", "f2", "FIRSTUSDT", "buy", "2", "110");

        var replay = await _admin.Post("/v1/accounts/first-1/fills", fill);
        Assert.True(replay.Replayed);
        Assert.Equal(original.Json["quantity"]!.ToJsonString(), replay.Json["quantity"]!.ToJsonString());
        Assert.Equal(original.Json["entryPrice"]!.ToJsonString(), replay.Json["entryPrice"]!.ToJsonString());
        Assert.Equal("3", (await _admin.Margin("first-1"))["positions"]![0]!["quantity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Funding_is_zero_sum_up_to_residue_and_settles_once_per_id()
    {
        await _admin.DefineMarket("FZSUSDT", Specs.Linear("FZS"));
        await _admin.Mark("FZSUSDT", "333.33");
        var sides = new (string Account, string Side, string Quantity)[] { ("fz-a", "buy", "1.003"), ("fz-b", "buy", "2.001"), ("fz-c", "sell", "0.777"), ("fz-d", "sell", "2.227") };
        foreach (var (account, side, quantity) in sides)
        {
            await _admin.Deposit(account, "d1", "FZS", "100000");
            await _admin.Fill(account, "f1", "FZSUSDT", side, quantity, "333.33");
        }

        var settle = new { settlementId = "fz-1", rate = "0.000137" };
        var first = await _admin.Ok(HttpMethod.Post, "/v1/markets/FZSUSDT/funding-settlements", settle);
        Assert.Equal(4, first["holdersSettled"]!.GetValue<int>());
        var wallets = await Wallets(sides.Select(s => s.Account));

        // Longs pay what shorts receive; rounding in the venue's favour keeps at most a satoshi per holder.
        var net = wallets.Sum() - (4 * 100_000m);
        Assert.InRange(net, -4 * 0.00000001m, 0m);
        Assert.True(wallets[0] < 100_000m && wallets[2] > 100_000m);

        var replay = await _admin.Post("/v1/markets/FZSUSDT/funding-settlements", settle);
        Assert.True(replay.Replayed);
        Assert.Equal(wallets, await Wallets(sides.Select(s => s.Account)));
        var other = await _admin.Post("/v1/markets/FZSUSDT/funding-settlements", new { settlementId = "fz-1", rate = "0.0002" });
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Equal(wallets, await Wallets(sides.Select(s => s.Account)));
    }

    [Fact]
    public async Task Concurrent_fills_and_marks_on_one_account_stay_consistent_with_its_ledger()
    {
        await _admin.DefineMarket("CCUSDT", Specs.Linear("CC"));
        await _admin.Mark("CCUSDT", "1000");
        await _admin.Deposit("cc", "d1", "CC", "1000000");
        var fills = Enumerable.Range(0, 40).Select(i => _admin.Post("/v1/accounts/cc/fills",
            new { fillId = $"f{i}", symbol = "CCUSDT", side = i % 3 == 0 ? "sell" : "buy", quantity = "0.5", price = $"{1000 + i}", fee = "0.01" }));
        var marks = Enumerable.Range(0, 20).Select(i => _admin.Post("/v1/markets/CCUSDT/mark-price", new { price = $"{990 + i}" }));
        var replies = await Task.WhenAll(fills.Concat(marks));
        Assert.All(replies, r => Assert.True(r.IsSuccess, r.Body));

        var margin = await _admin.Margin("cc");
        var buys = Enumerable.Range(0, 40).Count(i => i % 3 != 0);
        Assert.Equal((buys - (40 - buys)) * 0.5m, Dec(margin["positions"]![0]!["quantity"]));
        var ledger = (await _admin.Ok(HttpMethod.Get, "/v1/accounts/cc/ledger?limit=1000")).AsArray();
        Assert.Equal(Dec(margin["scopes"]![0]!["walletBalance"]), ledger.Where(e => e!["account"]!.GetValue<string>() == "wallet").Sum(e => Dec(e!["amount"])));
    }

    private async Task<string> State()
    {
        var margin = await _admin.Get("/v1/accounts/idem/margin");
        // A fund with no flow yet is unknown (404); its state is then that code.
        var fund = await _admin.Get("/v1/insurance-fund/IDM");
        return JsonNode.Parse(margin.Body)!["scopes"]!.ToJsonString() + JsonNode.Parse(margin.Body)!["positions"]!.ToJsonString() + (fund.IsSuccess ? JsonNode.Parse(fund.Body)!["balance"]!.ToJsonString() : fund.Code);
    }

    private async Task<decimal[]> Wallets(IEnumerable<string> accounts) =>
        await Task.WhenAll(accounts.Select(async a => Dec((await _admin.Margin(a))["scopes"]![0]!["walletBalance"])));

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
