using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// HTTP Basic carries the admin key to the Orleans dashboard only (a browser cannot send X-Api-Key there);
/// on every API route the same credentials are ignored, so only X-Api-Key opens the API.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class DashboardAuthTests(GridApp app)
{
    [Fact]
    public async Task Basic_auth_with_the_admin_key_opens_the_dashboard_and_no_api_route()
    {
        using var http = app.CreateClient();

        var api = await Get(http, "/v1/markets", Basic(GridApp.AdminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        var command = await Get(http, "/v1/accounts/basic-1/margin", Basic(GridApp.AdminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, command.StatusCode);

        var dashboard = await Get(http, "/dashboard/", Basic(GridApp.AdminKey));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        // The dashboard still asks a browser for the key, and a reader's key does not open it.
        var anonymous = await Get(http, "/dashboard/", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(http, "/dashboard/", Basic(GridApp.ReaderKey))).StatusCode);

        // The header works on both.
        Assert.True((await app.Admin.Get("/v1/markets")).IsSuccess);
    }

    private static AuthenticationHeaderValue Basic(string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"operator:{key}")));

    private static async Task<HttpResponseMessage> Get(HttpClient http, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }
}
