using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MarginGrid.Grid.Tests.Support;

/// <summary>A thin client of the HTTP API that speaks its JSON as text, as an integrator would.</summary>
public sealed class Api(HttpClient http, string? key)
{
    public async Task<Reply> Send(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, body, response.Content.Headers.ContentType, response.Headers.Contains("Idempotent-Replayed"),
            response.Headers.RetryAfter);
    }

    public Task<Reply> Get(string path) => Send(HttpMethod.Get, path);

    public Task<Reply> Post(string path, object body) => Send(HttpMethod.Post, path, JsonSerializer.Serialize(body));

    public Task<Reply> Put(string path, object body) => Send(HttpMethod.Put, path, JsonSerializer.Serialize(body));

    /// <summary>Sends and requires a 2xx, so a setup step that fails says why at once.</summary>
    public async Task<JsonNode> Ok(HttpMethod method, string path, object? body = null)
    {
        var reply = await Send(method, path, body is null ? null : JsonSerializer.Serialize(body));
        Assert.True(reply.IsSuccess, $"{method} {path} → {(int)reply.Status}: {reply.Body}");
        return reply.Json;
    }

    public Task<JsonNode> DefineMarket(string symbol, object spec) => Ok(HttpMethod.Put, $"/v1/markets/{symbol}", spec);

    public Task<JsonNode> Mark(string symbol, string price) => Ok(HttpMethod.Post, $"/v1/markets/{symbol}/mark-price", new { price });

    public Task<JsonNode> Deposit(string account, string transferId, string asset, string amount) =>
        Ok(HttpMethod.Post, $"/v1/accounts/{account}/deposits", new { transferId, asset, amount });

    public Task<JsonNode> Settings(string account, string symbol, string marginMode, int leverage) =>
        Ok(HttpMethod.Put, $"/v1/accounts/{account}/positions/{symbol}/settings", new { marginMode, leverage });

    public Task<JsonNode> Fill(string account, string fillId, string symbol, string side, string quantity, string price, string fee = "0") =>
        Ok(HttpMethod.Post, $"/v1/accounts/{account}/fills", new { fillId, symbol, side, quantity, price, fee });

    public Task<JsonNode> Margin(string account) => Ok(HttpMethod.Get, $"/v1/accounts/{account}/margin");

    /// <summary>An account's finished liquidations, oldest first (one page of up to 1,000).</summary>
    public async Task<JsonNode> Liquidations(string account) =>
        (await Ok(HttpMethod.Get, $"/v1/liquidations?accountId={account}&limit=1000&order=oldest"))["items"]!;
}

/// <summary>An HTTP reply as text, with its JSON when it has some.</summary>
public sealed record Reply(HttpStatusCode Status, string Body, MediaTypeHeaderValue? ContentType, bool Replayed, RetryConditionHeaderValue? RetryAfter = null)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public JsonNode Json => JsonNode.Parse(Body)!;

    public string? Code => IsProblem ? Json["code"]?.GetValue<string>() : null;

    public bool IsProblem => ContentType?.MediaType == "application/problem+json";
}
