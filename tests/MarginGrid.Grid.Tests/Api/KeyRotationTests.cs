using MarginGrid.Tests.Shared;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// Keys rotate with overlap: two keys of one role (and two scrape tokens) work side by side, and once the old
/// one is removed from the configuration (the rolling restart of the rotation), it no longer does.
/// </summary>
public sealed class KeyRotationTests
{
    private const string OldAdmin = "rotation-old-admin-key-0123456789abcdef";
    private const string NewAdmin = "rotation-new-admin-key-0123456789abcdef";
    private const string OldReader = "rotation-old-reader-key-0123456789abcde";
    private const string NewReader = "rotation-new-reader-key-0123456789abcde";
    private const string OldScrape = "rotation-old-scrape-token-0123456789abc";
    private const string NewScrape = "rotation-new-scrape-token-0123456789abc";

    [Fact]
    public async Task Two_keys_of_a_role_both_work_and_a_removed_one_does_not()
    {
        await using (var overlap = Silo(("admin", OldAdmin), ("admin", NewAdmin), ("reader", OldReader), ("reader", NewReader)).WithWebHostBuilder(b =>
        {
            b.UseSetting("Auth:MetricsTokens:0", OldScrape);
            b.UseSetting("Auth:MetricsTokens:1", NewScrape);
        }))
        {
            using var http = overlap.CreateClient();
            foreach (var admin in new[] { OldAdmin, NewAdmin })
            {
                Assert.Equal(HttpStatusCode.OK, await Send(http, HttpMethod.Put, "/v1/markets/ROTUSDT", admin, """{"kind":"linear","settleAsset":"ROT","contractSize":"1","tickSize":"0.01","lotSize":"0.001","brackets":[{"notionalFloor":"0","maxLeverage":50,"maintenanceMarginRate":"0.005"}],"fundingIntervalHours":8,"interestRate":"0.0001","premiumClamp":"0.0005","fundingCap":"0.003","liquidationFeeRate":"0.0125","stalePriceSeconds":600}"""));
            }

            foreach (var reader in new[] { OldReader, NewReader })
            {
                Assert.Equal(HttpStatusCode.OK, await Send(http, HttpMethod.Get, "/v1/markets/ROTUSDT", reader));
                Assert.Equal(HttpStatusCode.Forbidden, await Send(http, HttpMethod.Post, "/v1/markets/ROTUSDT/mark-price", reader, """{"price":"100"}"""));
            }

            Assert.Equal(HttpStatusCode.OK, await Scrape(http, OldScrape));
            Assert.Equal(HttpStatusCode.OK, await Scrape(http, NewScrape));
        }

        // The old keys removed and the silo restarted: only the new ones open the door.
        await using var rotated = Silo(("admin", NewAdmin), ("reader", NewReader)).WithWebHostBuilder(b => b.UseSetting("Auth:MetricsTokens:0", NewScrape));
        using var after = rotated.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await Send(after, HttpMethod.Get, "/v1/markets", NewAdmin));
        Assert.Equal(HttpStatusCode.OK, await Send(after, HttpMethod.Get, "/v1/markets", NewReader));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(after, HttpMethod.Get, "/v1/markets", OldAdmin));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(after, HttpMethod.Get, "/v1/markets", OldReader));
        Assert.Equal(HttpStatusCode.Unauthorized, await Scrape(after, OldScrape));
        Assert.Equal(HttpStatusCode.OK, await Scrape(after, NewScrape));
    }

    private static WebApplicationFactory<Program> Silo(params (string Role, string Key)[] keys) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            for (var i = 0; i < keys.Length; i++)
            {
                b.UseSetting($"Auth:ApiKeys:{i}:Key", keys[i].Key);
                b.UseSetting($"Auth:ApiKeys:{i}:Role", keys[i].Role);
            }
        });

    private static async Task<HttpStatusCode> Send(HttpClient http, HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> Scrape(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
