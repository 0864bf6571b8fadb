using MarginGrid.Tests.Shared;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>With Auth:MetricsToken set, /metrics answers only a scraper that sends that token as a bearer token.</summary>
public sealed class MetricsTokenTests
{
    private const string Token = "metrics-scrape-token-0123456789abcdef";

    [Fact]
    public async Task The_metrics_endpoint_wants_the_scrape_token_when_one_is_configured()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Auth:MetricsToken", Token);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        using var http = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Scrape(http, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Scrape(http, "not-the-token-0123456789abcdef0123456")).StatusCode);
        using var scraped = await Scrape(http, Token);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Probes stay open.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    private static async Task<HttpResponseMessage> Scrape(HttpClient http, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }
}
