using MarginGrid.Client;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>The operator CLI's certificate flags: taken out of the arguments, each one not given read from the silo's environment variable.</summary>
public sealed class ClientTlsArgumentsTests
{
    [Fact]
    public void Flags_win_and_the_environment_fills_the_rest()
    {
        var environment = new Dictionary<string, string>
        {
            ["Orleans__Tls__CertificatePath"] = "/env/client.crt",
            ["Orleans__Tls__CaPath"] = "/env/ca.crt",
            ["Orleans__Tls__CertificatePassword"] = "pfx-password",
        };
        var (tls, remaining) = ClientCommands.Tls(["--cert", "/flag/client.crt", "--key", "/flag/client.key", "account", "a-1"], name => environment.GetValueOrDefault(name));

        Assert.Equal(["account", "a-1"], remaining);
        Assert.Equal("/flag/client.crt", tls.CertificatePath);
        Assert.Equal("/flag/client.key", tls.KeyPath);
        Assert.Equal("/env/ca.crt", tls.CaPath);
        Assert.Equal("pfx-password", tls.CertificatePassword);
        Assert.True(tls.IsConfigured);
    }

    [Fact]
    public void Without_flags_or_environment_the_client_speaks_no_tls()
    {
        var (tls, remaining) = ClientCommands.Tls(["market", "BTCUSDT"], _ => null);
        Assert.Equal(["market", "BTCUSDT"], remaining);
        Assert.False(tls.IsConfigured);
    }
}
