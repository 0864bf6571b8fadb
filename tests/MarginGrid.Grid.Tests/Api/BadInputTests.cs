using System.Net;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>Bad input on every endpoint gets the documented problem, and the state read back is unchanged.</summary>
[Collection(GridCollection.Name)]
public sealed class BadInputTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;

    public static TheoryData<string, string, string?, int, string> Cases => new()
    {
        { "POST", "/v1/accounts/bad-1/fills", "{not json", 400, "malformed_json" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"BADUSDT","side":"buy","quantity":1,"price":"100","fee":"0"}""", 400, "malformed_json" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"BADUSDT","side":"buy","quantity":"abc","price":"100","fee":"0"}""", 400, "malformed_json" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"BADUSDT","side":"buy","quantity":"-1","price":"100","fee":"0"}""", 400, "invalid_quantity" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"BADUSDT","side":"buy","quantity":"0.0001","price":"100","fee":"0"}""", 400, "invalid_quantity" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"BADUSDT","side":"buy","quantity":"1","price":"100.001","fee":"0"}""", 400, "invalid_price" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"BADUSDT","side":"sideways","quantity":"1","price":"100","fee":"0"}""", 400, "invalid_argument" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"NOPEUSDT","side":"buy","quantity":"1","price":"100","fee":"0"}""", 404, "unknown_market" },
        { "POST", "/v1/accounts/bad-1/fills", """{"symbol":"BADUSDT","side":"buy","quantity":"1","price":"100","fee":"0"}""", 400, "missing_field" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"x","symbol":"BADUSDT","side":"buy","quantity":"1","price":"100","fee":"0","extra":"1"}""", 400, "malformed_json" },
        { "POST", "/v1/accounts/bad-1/fills", """{"fillId":"open","symbol":"BADUSDT","side":"buy","quantity":"2","price":"100","fee":"0"}""", 409, "duplicate_conflict" },
        { "POST", "/v1/accounts/bad-1/deposits", """{"transferId":"t9","asset":"BAD","amount":"-5"}""", 400, "invalid_amount" },
        { "POST", "/v1/accounts/bad-1/deposits", """{"transferId":"t9","asset":"BAD","amount":"0.000000001"}""", 422, "too_precise" },
        { "POST", "/v1/accounts/bad-1/withdrawals", """{"transferId":"w9","asset":"BAD","amount":"5000"}""", 422, "above_withdrawable" },
        { "PUT", "/v1/accounts/bad-1/positions/BADUSDT/settings", """{"marginMode":"isolated","leverage":10}""", 422, "margin_mode_locked" },
        { "PUT", "/v1/accounts/bad-1/positions/BADUSDT/settings", """{"marginMode":"cross","leverage":0}""", 400, "invalid_leverage" },
        { "PUT", "/v1/accounts/bad-1/positions/BADUSDT/settings", """{"marginMode":"cross","leverage":500}""", 422, "leverage_above_bracket" },
        { "POST", "/v1/accounts/bad-1/positions/BADUSDT/isolated-margin", """{"operationId":"o1","delta":"10"}""", 404, "unknown_position" },
        { "POST", "/v1/accounts/bad-1/order-checks", """{"symbol":"BADUSDT","side":"buy","quantity":"1","price":"-100"}""", 400, "invalid_price" },
        { "POST", "/v1/accounts/bad%20id/deposits", """{"transferId":"t9","asset":"BAD","amount":"5"}""", 400, "invalid_account_id" },
        { "GET", "/v1/accounts/nobody-ever/margin", null, 404, "unknown_account" },
        { "PUT", "/v1/markets/BADUSDT", """{"kind":"quadratic"}""", 400, "missing_field" },
        { "POST", "/v1/markets/BADUSDT/mark-price", """{"price":"100.001"}""", 400, "invalid_price" },
        { "POST", "/v1/markets/BADUSDT/mark-price", """{"price":"-1"}""", 400, "invalid_price" },
        { "POST", "/v1/markets/NOPEUSDT/mark-price", """{"price":"1"}""", 404, "unknown_market" },
        { "POST", "/v1/markets/BADUSDT/index-price", """{"price":"100","impactBid":"101"}""", 400, "invalid_price" },
        { "POST", "/v1/markets/BADUSDT/funding-settlements", """{"settlementId":"s1","rate":"0.5"}""", 400, "invalid_rate" },
        { "GET", "/v1/markets/NOPEUSDT", null, 404, "unknown_market" },
        { "GET", "/v1/liquidations/L99-1", null, 404, "unknown_liquidation" },
        { "POST", "/v1/insurance-fund/BAD/deposits", """{"transferId":"f1","amount":"0"}""", 400, "invalid_amount" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_the_documented_problem_and_changes_nothing(string method, string path, string? body, int status, string code)
    {
        await Setup();
        var before = await Snapshot();
        var reply = await _admin.Send(new HttpMethod(method), path, body);
        Assert.Equal((HttpStatusCode)status, reply.Status);
        Assert.True(reply.IsProblem, $"not a problem document: {reply.ContentType} {reply.Body}");
        Assert.Equal(code, reply.Code);
        Assert.Equal(before, await Snapshot());
    }

    private async Task Setup()
    {
        await _admin.DefineMarket("BADUSDT", Specs.Linear("BAD"));
        await _admin.Mark("BADUSDT", "100");
        await _admin.Deposit("bad-1", "d1", "BAD", "1000");
        await _admin.Fill("bad-1", "open", "BADUSDT", "buy", "1", "100");
    }

    private async Task<string> Snapshot()
    {
        var margin = (await _admin.Margin("bad-1"));
        var market = await _admin.Ok(HttpMethod.Get, "/v1/markets/BADUSDT");
        var ledger = await _admin.Ok(HttpMethod.Get, "/v1/accounts/bad-1/ledger?limit=1000");
        var fund = await _admin.Get("/v1/insurance-fund/BAD");
        return $"{margin["scopes"]!.ToJsonString()}|{margin["positions"]!.ToJsonString()}|{market["version"]}|{market["markPrice"]}|{ledger.ToJsonString()}|{(fund.IsSuccess ? fund.Json["balance"]!.ToJsonString() : fund.Status.ToString())}";
    }
}
