using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary><c>GET /v1/accounts/{id}/max-order</c>: exactly the largest quantity <c>order-checks</c> accepts.</summary>
[Collection(GridCollection.Name)]
public sealed class MaxOrderTests(GridApp app)
{
    private static readonly (string, int, string)[] BtcBrackets = [("0", 125, "0.004"), ("50000", 100, "0.005"), ("250000", 50, "0.01"), ("1000000", 20, "0.025")];
    private readonly Support.Api _admin = app.Admin;

    [Fact]
    public async Task MaxOrder_counts_unrealized_profit_and_order_checks_agree_at_the_boundary()
    {
        await _admin.DefineMarket("MOUPNLUSDT", Specs.Linear("MOU", BtcBrackets));
        await _admin.Mark("MOUPNLUSDT", "30000");
        await _admin.Deposit("mo-upnl", "d1", "MOU", "10000");
        await _admin.Settings("mo-upnl", "MOUPNLUSDT", "cross", 10);
        await _admin.Fill("mo-upnl", "f1", "MOUPNLUSDT", "buy", "1", "30000");
        await _admin.Mark("MOUPNLUSDT", "40000");

        // Available 20 000 − 4 000 = 16 000, at 3 000 a unit.
        var max = await MaxOrder("mo-upnl", "MOUPNLUSDT", "buy", "30000");
        Assert.Equal(5.333m, Dec(max["maxQuantity"]));
        Assert.Equal(15_999m, Dec(max["requiredInitialMargin"]));
        await AssertBoundary("mo-upnl", "MOUPNLUSDT", "buy", "30000", max, "0.001");

        // A sell first closes the long, then opens a short on the same 16 000.
        var sell = await MaxOrder("mo-upnl", "MOUPNLUSDT", "sell", "30000");
        Assert.Equal(6.333m, Dec(sell["maxQuantity"]));
        await AssertBoundary("mo-upnl", "MOUPNLUSDT", "sell", "30000", sell, "0.001");
    }

    [Fact]
    public async Task MaxOrder_stops_where_the_resulting_notional_enters_a_bracket_below_the_leverage()
    {
        await _admin.DefineMarket("MOBRACKETUSDT", Specs.Linear("MOB", BtcBrackets));
        await _admin.Mark("MOBRACKETUSDT", "50000");
        await _admin.Deposit("mo-bracket", "d1", "MOB", "1000000");
        await _admin.Settings("mo-bracket", "MOBRACKETUSDT", "cross", 100);

        // 100× holds below a notional of 250 000; margin alone would fund 2 000 units.
        var max = await MaxOrder("mo-bracket", "MOBRACKETUSDT", "buy", "50000");
        Assert.Equal(4.999m, Dec(max["maxQuantity"]));
        Assert.Equal(2_499.5m, Dec(max["requiredInitialMargin"]));
        var refused = await AssertBoundary("mo-bracket", "MOBRACKETUSDT", "buy", "50000", max, "0.001");
        Assert.Contains("maximum 50", refused["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxOrder_is_zero_when_nothing_fits()
    {
        await _admin.DefineMarket("MOZEROUSDT", Specs.Linear("MOZ"));
        await _admin.Deposit("mo-zero", "d1", "MOZ", "0.1");
        var max = await MaxOrder("mo-zero", "MOZEROUSDT", "buy", "30000");
        Assert.Equal(0m, Dec(max["maxQuantity"]));
        Assert.Equal(0m, Dec(max["requiredInitialMargin"]));
        Assert.False((await OrderCheck("mo-zero", "MOZEROUSDT", "buy", "0.001", "30000"))["accepted"]!.GetValue<bool>());
    }

    public static TheoryData<string, int, string> BadQueries => new()
    {
        { "/v1/accounts/mo-bad/max-order?symbol=MOBADUSDT&side=buy", 400, "missing_field" },
        { "/v1/accounts/mo-bad/max-order?symbol=MOBADUSDT&side=buy&price=abc", 400, "invalid_price" },
        { "/v1/accounts/mo-bad/max-order?symbol=MOBADUSDT&side=buy&price=100.001", 400, "invalid_price" },
        { "/v1/accounts/mo-bad/max-order?symbol=MOBADUSDT&side=buy&price=-100", 400, "invalid_price" },
        { "/v1/accounts/mo-bad/max-order?symbol=MOBADUSDT&side=up&price=100", 400, "invalid_argument" },
        { "/v1/accounts/mo-bad/max-order?symbol=MONOPEUSDT&side=buy&price=100", 404, "unknown_market" },
        { "/v1/accounts/mo-bad/max-order?symbol=bad%20symbol&side=buy&price=100", 400, "invalid_symbol" },
        { "/v1/accounts/mo-nobody/max-order?symbol=MOBADUSDT&side=buy&price=100", 404, "unknown_account" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_max_order_queries_get_their_problem(string path, int status, string code)
    {
        await _admin.DefineMarket("MOBADUSDT", Specs.Linear("MOBAD"));
        await _admin.Deposit("mo-bad", "d1", "MOBAD", "1000");
        var reply = await _admin.Get(path);
        Assert.Equal((HttpStatusCode)status, reply.Status);
        Assert.True(reply.IsProblem, reply.Body);
        Assert.Equal(code, reply.Code);
    }

    [Fact]
    public async Task MaxOrder_is_read_like_the_margin()
    {
        await _admin.DefineMarket("MOAUTHUSDT", Specs.Linear("MOAUTH"));
        await _admin.Deposit("mo-auth", "d1", "MOAUTH", "1000");
        const string path = "/v1/accounts/mo-auth/max-order?symbol=MOAUTHUSDT&side=buy&price=100";
        Assert.True((await app.Reader.Get(path)).IsSuccess);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Owner.Get(path)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.Get(path)).Status);
    }

    private async Task<JsonNode> MaxOrder(string account, string symbol, string side, string price) =>
        await _admin.Ok(HttpMethod.Get, $"/v1/accounts/{account}/max-order?symbol={symbol}&side={side}&price={price}");

    private Task<JsonNode> OrderCheck(string account, string symbol, string side, string quantity, string price) =>
        _admin.Ok(HttpMethod.Post, $"/v1/accounts/{account}/order-checks", new { symbol, side, quantity, price });

    /// <summary>The returned quantity is accepted with the same margin; one lot more is refused. Returns the refusal.</summary>
    private async Task<JsonNode> AssertBoundary(string account, string symbol, string side, string price, JsonNode max, string lot)
    {
        var quantity = Dec(max["maxQuantity"]);
        var at = await OrderCheck(account, symbol, side, quantity.ToString(CultureInfo.InvariantCulture), price);
        Assert.True(at["accepted"]!.GetValue<bool>(), at.ToJsonString());
        Assert.Equal(Dec(max["requiredInitialMargin"]), Dec(at["requiredInitialMargin"]));
        var beyond = await OrderCheck(account, symbol, side, (quantity + decimal.Parse(lot, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture), price);
        Assert.False(beyond["accepted"]!.GetValue<bool>(), beyond.ToJsonString());
        return beyond;
    }

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
