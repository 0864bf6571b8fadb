using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using MarginGrid.Client;
using MarginGrid.Domain.Tests.Support;
using MarginGrid.Domain.Tests.Vectors;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary><c>POST /v1/accounts/{id}/what-if</c>: the margin of a hypothetical state, and nothing stored.</summary>
[Collection(GridCollection.Name)]
public sealed class WhatIfTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    /// <summary>Every margin case of the vectors (a new one in the file is a new test).</summary>
    public static TheoryData<string> MarginVectors => VectorFile.Ids("liquidation-price");

    [Theory]
    [MemberData(nameof(MarginVectors))]
    public async Task What_if_from_a_deposit_only_account_reproduces_the_margin_vectors(string id)
    {
        var v = VectorFile.Case("liquidation-price", id);
        if (v.Str("mode") == "cross")
        {
            await CrossVector(v);
        }
        else
        {
            await IsolatedVector(id, v);
        }
    }

    [Fact]
    public async Task What_if_changes_nothing_it_reads()
    {
        await _admin.DefineMarket("WINUSDT", Specs.Linear("WIN"));
        await _admin.DefineMarket("WINOTHER", Specs.Linear("WIN"));
        await _admin.Mark("WINUSDT", "30000");
        await _admin.Deposit("wi-nothing", "d1", "WIN", "10000");
        await _admin.Fill("wi-nothing", "f1", "WINUSDT", "buy", "1", "30000");
        var before = await Snapshot("wi-nothing", "WINUSDT", "WINOTHER");

        var reply = await _admin.Post("/v1/accounts/wi-nothing/what-if", new
        {
            fills = new object[]
            {
                new { symbol = "WINUSDT", side = "sell", quantity = "3", price = "31000", fee = "5" },
                new { symbol = "WINOTHER", side = "buy", quantity = "2", price = "100", marginMode = "isolated", leverage = 5 },
            },
            marks = new Dictionary<string, string> { ["WINOTHER"] = "90" },
            shocks = new Dictionary<string, string> { ["WINUSDT"] = "-0.5" },
        });
        Assert.True(reply.IsSuccess, reply.Body);
        var hypothetical = reply.Json;
        Assert.True(hypothetical["hypothetical"]!.GetValue<bool>());
        var positions = hypothetical["positions"]!.AsArray().ToDictionary(p => p!["symbol"]!.GetValue<string>());
        Assert.Equal(-2m, Dec(positions["WINUSDT"]!["quantity"]));
        Assert.Equal(15_000m, Dec(positions["WINUSDT"]!["markPrice"]));
        Assert.Equal("isolated", positions["WINOTHER"]!["marginMode"]!.GetValue<string>());
        Assert.Equal(40m, Dec(positions["WINOTHER"]!["isolatedMargin"]));
        Assert.Equal(90m, Dec(positions["WINOTHER"]!["markPrice"]));

        Assert.Equal(before, await Snapshot("wi-nothing", "WINUSDT", "WINOTHER"));
    }

    [Fact]
    public async Task An_unknown_account_stays_unknown()
    {
        await _admin.DefineMarket("WIUNKUSDT", Specs.Linear("WIUNK"));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.Get("/v1/accounts/wi-nobody/margin")).Status);

        var reply = await _admin.Post("/v1/accounts/wi-nobody/what-if", new { fills = new[] { new { symbol = "WIUNKUSDT", side = "buy", quantity = "1", price = "100" } } });
        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("unknown_account", reply.Code);

        Assert.Equal("unknown_account", (await _admin.Get("/v1/accounts/wi-nobody/margin")).Code);
        Assert.Equal("unknown_account", (await _admin.Get("/v1/accounts/wi-nobody/ledger")).Code);
        Assert.Equal(0, (await _admin.Ok(HttpMethod.Get, "/v1/markets/WIUNKUSDT"))["holders"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_empty_body_is_the_live_view_marked_hypothetical()
    {
        await _admin.DefineMarket("WIEMPTYUSDT", Specs.Linear("WIE"));
        await _admin.Mark("WIEMPTYUSDT", "200");
        await _admin.Deposit("wi-empty", "d1", "WIE", "1000");
        await _admin.Fill("wi-empty", "f1", "WIEMPTYUSDT", "buy", "2", "190");
        var live = await _admin.Margin("wi-empty");

        foreach (var body in new[] { "{}", null })
        {
            var reply = await _admin.Send(HttpMethod.Post, "/v1/accounts/wi-empty/what-if", body);
            Assert.True(reply.IsSuccess, reply.Body);
            Assert.True(reply.Json["hypothetical"]!.GetValue<bool>());
            Assert.Equal(live["scopes"]!.ToJsonString(), reply.Json["scopes"]!.ToJsonString());
            Assert.Equal(live["version"]!.GetValue<long>(), reply.Json["version"]!.GetValue<long>());
            Assert.Equal(20m, Dec(reply.Json["positions"]![0]!["unrealizedPnl"]));
        }

        Assert.False(live["hypothetical"]!.GetValue<bool>());
    }

    public static TheoryData<string, int, string> BadBodies => new()
    {
        { """{"marks":{"WIBADUSDT":"90"},"shocks":{"WIBADUSDT":"0.1"}}""", 400, "mark_and_shock" },
        { """{"fills":[{"symbol":"WINOPEUSDT","side":"buy","quantity":"1","price":"100"}]}""", 404, "unknown_market" },
        { """{"marks":{"WINOPEUSDT":"100"}}""", 404, "unknown_market" },
        { """{"shocks":{"WINOPEUSDT":"0.1"}}""", 404, "unknown_market" },
        { """{"fills":[{"symbol":"WIBADUSDT","side":"buy","quantity":"abc","price":"100"}]}""", 400, "malformed_json" },
        { """{"fills":[{"symbol":"WIBADUSDT","side":"buy","quantity":1,"price":"100"}]}""", 400, "malformed_json" },
        { """{"marks":{"WIBADUSDT":"1e5"}}""", 400, "malformed_json" },
        { """{"shocks":{"WIBADUSDT":-0.1}}""", 400, "malformed_json" },
        { """{"fills":[{"symbol":"WIBADUSDT","side":"buy","quantity":"-1","price":"100"}]}""", 400, "invalid_quantity" },
        { """{"fills":[{"symbol":"WIBADUSDT","side":"sideways","quantity":"1","price":"100"}]}""", 400, "invalid_argument" },
        { """{"fills":[{"symbol":"WIBADUSDT","side":"buy","quantity":"1","price":"100","marginMode":"both"}]}""", 400, "invalid_argument" },
        { """{"fills":[{"symbol":"WIBADUSDT","side":"buy","quantity":"1"}]}""", 400, "missing_field" },
        { """{"fills":[{"symbol":"WIBADUSDT","side":"buy","quantity":"1","price":"100.001"}]}""", 400, "invalid_price" },
        { """{"fills":[{"symbol":"WIBADOTHER","side":"buy","quantity":"1","price":"100","leverage":500}]}""", 422, "leverage_above_bracket" },
        { """{"shocks":{"WIBADUSDT":"-1"}}""", 400, "invalid_shock" },
        { """{"shocks":{"WIBADUSDT":"-1.5"}}""", 400, "invalid_shock" },
        { """{"shocks":{"WIBADUSDT":"-0.99999999"}}""", 400, "invalid_shock" },
        { """{"marks":{"WIBADUSDT":"90.001"}}""", 400, "invalid_price" },
        { """{"marks":{"WIBADUSDT":"0"}}""", 400, "invalid_price" },
        { """{"marks":{"bad symbol":"90"}}""", 400, "invalid_symbol" },
        { """{"fills":{"symbol":"WIBADUSDT"}}""", 400, "malformed_json" },
        { """{"fills":[],"extra":1}""", 400, "malformed_json" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_what_if_input_gets_its_problem_and_changes_nothing(string body, int status, string code)
    {
        await _admin.DefineMarket("WIBADUSDT", Specs.Linear("WIBAD"));
        await _admin.DefineMarket("WIBADOTHER", Specs.Linear("WIBAD"));
        await _admin.Mark("WIBADUSDT", "100");
        await _admin.Deposit("wi-bad", "d1", "WIBAD", "1000");
        await _admin.Fill("wi-bad", "f1", "WIBADUSDT", "buy", "1", "100");
        var before = await Snapshot("wi-bad", "WIBADUSDT", "WIBADOTHER");

        var reply = await _admin.Send(HttpMethod.Post, "/v1/accounts/wi-bad/what-if", body);
        Assert.Equal((HttpStatusCode)status, reply.Status);
        Assert.True(reply.IsProblem, $"not a problem document: {reply.ContentType} {reply.Body}");
        Assert.Equal(code, reply.Code);
        Assert.Equal(before, await Snapshot("wi-bad", "WIBADUSDT", "WIBADOTHER"));
    }

    [Fact]
    public async Task Readers_and_the_account_s_own_key_may_ask_other_account_keys_may_not()
    {
        await _admin.DefineMarket("WIAUTHUSDT", Specs.Linear("WIAUTH"));
        await _admin.Mark("WIAUTHUSDT", "100");
        // The same deposit as the auth tests make (a replay), so their figures stay as they expect.
        await _admin.Deposit(GridApp.OwnerAccount, "d1", "AUTH", "10");
        await _admin.Deposit("wi-other", "d1", "WIAUTH", "100");
        var body = new { shocks = new Dictionary<string, string> { ["WIAUTHUSDT"] = "0.1" } };

        Assert.True((await app.Owner.Post($"/v1/accounts/{GridApp.OwnerAccount}/what-if", body)).IsSuccess);
        Assert.True((await app.Reader.Post("/v1/accounts/wi-other/what-if", body)).IsSuccess);
        var forbidden = await app.Owner.Post("/v1/accounts/wi-other/what-if", body);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal("forbidden", forbidden.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.Post("/v1/accounts/wi-other/what-if", body)).Status);
    }

    [Fact]
    public async Task The_client_tool_runs_what_if_and_max_order_and_prints_money_as_strings()
    {
        await _admin.DefineMarket("WICLIUSDT", Specs.Linear("WICLI"));
        await _admin.Mark("WICLIUSDT", "250");
        await _admin.Deposit("wi-cli", "d1", "WICLI", "1000");
        await _admin.Fill("wi-cli", "f1", "WICLIUSDT", "buy", "2", "250");
        await using var connection = await GridConnection.Connect(gatewayPort: app.GatewayPort);

        using var whatIf = new StringWriter();
        Assert.Equal(0, await ClientCommands.Run(connection.Client, ["what-if", "wi-cli", "--shock", "WICLIUSDT=-0.1", "--fill", "WICLIUSDT:buy:1:240"], whatIf));
        var view = JsonNode.Parse(whatIf.ToString())!;
        Assert.True(view["hypothetical"]!.GetValue<bool>());
        Assert.Equal("3", view["positions"]![0]!["quantity"]!.GetValue<string>());
        Assert.Equal("225", view["positions"]![0]!["markPrice"]!.GetValue<string>());

        using var maxOrder = new StringWriter();
        Assert.Equal(0, await ClientCommands.Run(connection.Client, ["max-order", "wi-cli", "WICLIUSDT", "buy", "250"], maxOrder));
        var max = JsonNode.Parse(maxOrder.ToString())!;
        var http = await _admin.Ok(HttpMethod.Get, "/v1/accounts/wi-cli/max-order?symbol=WICLIUSDT&side=buy&price=250");
        Assert.Equal(http["maxQuantity"]!.GetValue<string>(), max["maxQuantity"]!.GetValue<string>());

        using var refused = new StringWriter();
        Assert.Equal(2, await ClientCommands.Run(connection.Client, ["what-if", "wi-cli", "--shock", "WICLIUSDT=-1"], refused));
        Assert.StartsWith("invalid_shock:", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await ClientCommands.Run(connection.Client, ["what-if", "wi-cli", "--fill", "WICLIUSDT:buy"], TextWriter.Null));
    }

    [Fact]
    public async Task The_openapi_document_lists_what_if_and_max_order()
    {
        var openApi = await app.Anonymous.Get("/openapi/v1.json");
        Assert.True(openApi.IsSuccess, openApi.Body);
        Assert.Contains("/v1/accounts/{accountId}/what-if", openApi.Body, StringComparison.Ordinal);
        Assert.Contains("/v1/accounts/{accountId}/max-order", openApi.Body, StringComparison.Ordinal);
    }

    private async Task CrossVector(System.Text.Json.JsonElement v)
    {
        await _admin.Deposit("wi-cross", "d1", "WIX", v.Str("wallet"));
        var fills = new List<object>();
        var marks = new Dictionary<string, string>();
        foreach (var p in v.GetProperty("positions").EnumerateArray())
        {
            var symbol = $"WI{p.Str("market")}X";

            // No mark is ever sent to these markets: the what-if values them at the vector's marks alone.
            await _admin.DefineMarket(symbol, Specs.Linear("WIX", ("0", 50, p.Str("maintenanceMarginRate"))));
            var quantity = p.Dec("quantity");
            fills.Add(new { symbol, side = quantity > 0 ? "buy" : "sell", quantity = Math.Abs(quantity).ToString(CultureInfo.InvariantCulture), price = p.Str("entryPrice"), marginMode = "cross", leverage = 10 });
            marks[symbol] = p.Str("mark");
        }

        var margin = await WhatIf("wi-cross", new { fills, marks });
        var expect = v.GetProperty("expect");
        var scope = Assert.Single(margin["scopes"]!.AsArray())!;
        Assert.Equal(expect.Dec("marginBalance"), Dec(scope["marginBalance"]));
        Assert.Equal(expect.Dec("maintenanceMargin"), Dec(scope["maintenanceMargin"]));
        Assert.Equal(expect.Dec("marginRatio"), decimal.Round(Dec(scope["marginRatio"]), 10));
        var byMarket = margin["positions"]!.AsArray().ToDictionary(p => p!["symbol"]!.GetValue<string>());

        // Printed prices: a long's rounds down to the tick, a short's up.
        Assert.Equal(Floor2(expect.Dec("liquidationPriceBTC")), Dec(byMarket["WIBTCX"]!["liquidationPrice"]));
        Assert.Equal(Ceiling2(expect.Dec("liquidationPriceETH")), Dec(byMarket["WIETHX"]!["liquidationPrice"]));

        // The account itself still holds the deposit only.
        var live = await _admin.Margin("wi-cross");
        Assert.Empty(live["positions"]!.AsArray());
        Assert.Equal(v.Dec("wallet"), Dec(live["scopes"]![0]!["walletBalance"]));
    }

    private async Task IsolatedVector(string id, System.Text.Json.JsonElement v)
    {
        var asset = id == "isolated-linear-50x" ? "WIISOA" : "WIISOB";
        var symbol = $"{asset}USDT";
        await _admin.DefineMarket(symbol, Specs.Linear(asset, ("0", 50, v.Str("maintenanceMarginRate"))));
        await _admin.Deposit($"wi-{asset}", "d1", asset, "100000");
        var quantity = v.Dec("quantity");
        var entry = v.Dec("entryPrice");
        var leverage = v.Has("leverage") ? v.GetProperty("leverage").GetInt32() : (int)(quantity * entry / v.Dec("isolatedMargin"));
        foreach (var (side, name) in new[] { ("buy", "Long"), ("sell", "Short") })
        {
            var margin = await WhatIf($"wi-{asset}", new
            {
                fills = new[] { new { symbol, side, quantity = v.Str("quantity"), price = v.Str("entryPrice"), marginMode = "isolated", leverage } },
            });
            var position = Assert.Single(margin["positions"]!.AsArray())!;
            var expected = v.Dec($"expect{name}");
            Assert.Equal(name == "Long" ? Floor2(expected) : Ceiling2(expected), Dec(position["liquidationPrice"]));
            Assert.Equal(quantity * entry / leverage, Dec(position["isolatedMargin"]));
            if (v.Has($"expect{name}Bankruptcy"))
            {
                Assert.Equal(v.Dec($"expect{name}Bankruptcy"), Dec(position["bankruptcyPrice"]));
            }
        }
    }

    private async Task<JsonNode> WhatIf(string account, object body)
    {
        var reply = await _admin.Post($"/v1/accounts/{account}/what-if", body);
        Assert.True(reply.IsSuccess, $"what-if → {(int)reply.Status}: {reply.Body}");
        Assert.True(reply.Json["hypothetical"]!.GetValue<bool>());
        return reply.Json;
    }

    /// <summary>Everything a what-if must leave as it was: the margin (but its time), the ledger, the markets' holders.</summary>
    private async Task<string> Snapshot(string account, params string[] symbols)
    {
        var margin = await _admin.Margin(account);
        margin.AsObject().Remove("asOf");
        var ledger = await _admin.Ok(HttpMethod.Get, $"/v1/accounts/{account}/ledger?limit=1000");
        var markets = new List<string>();
        foreach (var symbol in symbols)
        {
            var market = await _admin.Ok(HttpMethod.Get, $"/v1/markets/{symbol}");
            markets.Add($"{symbol}:{market["version"]}:{market["markPrice"]}:{market["holders"]}:{market["openInterest"]}");
        }

        return $"{margin.ToJsonString()}|{ledger.ToJsonString()}|{string.Join(',', markets)}";
    }

    private static decimal Floor2(decimal value) => decimal.Floor(value * 100m) / 100m;

    private static decimal Ceiling2(decimal value) => decimal.Ceiling(value * 100m) / 100m;

    private static decimal Dec(JsonNode? node) => decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);
}
