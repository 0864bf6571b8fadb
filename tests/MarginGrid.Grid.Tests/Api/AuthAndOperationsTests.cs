using System.Net;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

[Collection(GridCollection.Name)]
public sealed class AuthAndOperationsTests(GridApp app)
{
    [Fact]
    public async Task Keys_and_roles_decide_who_may_do_what()
    {
        await app.Admin.Deposit(GridApp.OwnerAccount, "d1", "AUTH", "10");
        await app.Admin.Deposit("someone-else", "d1", "AUTH", "10");

        var anonymous = await app.Anonymous.Get($"/v1/accounts/{GridApp.OwnerAccount}/margin");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("unauthorized", anonymous.Code);
        var wrongKey = await new Support.Api(app.CreateClient(), "not-a-key").Get($"/v1/accounts/{GridApp.OwnerAccount}/margin");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.Status);

        Assert.True((await app.Reader.Get($"/v1/accounts/{GridApp.OwnerAccount}/margin")).IsSuccess);
        var readerWrites = await app.Reader.Post($"/v1/accounts/{GridApp.OwnerAccount}/deposits", new { transferId = "r1", asset = "AUTH", amount = "1" });
        Assert.Equal(HttpStatusCode.Forbidden, readerWrites.Status);
        Assert.Equal("forbidden", readerWrites.Code);

        Assert.True((await app.Owner.Get($"/v1/accounts/{GridApp.OwnerAccount}/margin")).IsSuccess);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Owner.Get("/v1/accounts/someone-else/margin")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Owner.Get("/v1/markets")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Owner.Post($"/v1/accounts/{GridApp.OwnerAccount}/deposits", new { transferId = "o1", asset = "AUTH", amount = "1" })).Status);
        Assert.Equal(10m, decimal.Parse((await app.Admin.Margin(GridApp.OwnerAccount))["scopes"]![0]!["walletBalance"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Health_readiness_metrics_and_the_openapi_document_are_served()
    {
        Assert.True((await app.Anonymous.Get("/healthz")).IsSuccess);
        Assert.True((await app.Anonymous.Get("/readyz")).IsSuccess);
        await app.Admin.Deposit("metrics-1", "d1", "MET", "1");
        await app.Admin.Ok(HttpMethod.Post, "/v1/insurance-fund/MET/deposits", new { transferId = "seed", amount = "12.5" });
        var metrics = await app.Anonymous.Get("/metrics");
        Assert.True(metrics.IsSuccess);
        Assert.Contains("margingrid_accounts{", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("margingrid_insurance_fund_balance{", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("asset=\"MET\"} 12.5", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics.Body, StringComparison.Ordinal);
        var openApi = await app.Anonymous.Get("/openapi/v1.json");
        Assert.True(openApi.IsSuccess);
        Assert.Contains("/v1/accounts/{accountId}/fills", openApi.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_margin_stream_sends_a_snapshot_on_subscribe()
    {
        await app.Admin.Deposit("sse-1", "d1", "SSE", "42");
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/sse-1/margin/stream?intervalMs=100");
        request.Headers.Add("X-Api-Key", GridApp.ReaderKey);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        Assert.Equal("event: margin", await reader.ReadLineAsync(cancel.Token));
        var data = await reader.ReadLineAsync(cancel.Token);
        Assert.StartsWith("data: ", data);
        Assert.Contains("\"walletBalance\":\"42\"", data, StringComparison.Ordinal);
    }
}
