using MarginGrid.Silo.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Api;

public sealed class KeyPolicyTests
{
    [Fact]
    public void A_deployment_that_requires_keys_refuses_to_start_without_them()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Orleans:SiloPort", "21211");
            b.UseSetting("Orleans:GatewayPort", "41100");
            b.UseSetting("Auth:RequireKeys", "true");
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.Services.GetRequiredService<ApiKeyRegistry>());
        Assert.Contains("No API keys are configured", error.ToString(), StringComparison.Ordinal);
    }
}
