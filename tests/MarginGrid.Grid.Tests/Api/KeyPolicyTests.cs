using MarginGrid.Tests.Shared;
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
            b.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Auth:RequireKeys", "true");
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.Services.GetRequiredService<ApiKeyRegistry>());
        Assert.Contains("No API keys are configured", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_shorter_than_32_characters_is_refused_at_start_up()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("Auth:ApiKeys:0:Key", "CHANGE-ME");
            b.UseSetting("Auth:ApiKeys:0:Role", "admin");
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.Services.GetRequiredService<ApiKeyRegistry>());
        Assert.Contains("Auth:ApiKeys:0:Key is 9 characters long; API keys need at least 32", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_keys_are_long_enough()
    {
        var registry = new ApiKeyRegistry(Microsoft.Extensions.Options.Options.Create(new AuthOptions()), mayGenerate: true);
        Assert.True(registry.Generated);
        Assert.All(registry.Entries, e => Assert.True(e.Key.Length >= AuthOptions.MinimumKeyLength, e.Key));
    }
}
