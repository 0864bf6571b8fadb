namespace MarginGrid.Cluster.Tests;

/// <summary>
/// The silo process refuses to start, with an error naming the setting, when keys or the cluster's TLS are
/// missing or too weak, or when the demo is pointed at a durable cluster. Nothing listens on the connection
/// strings given: each case must stop at its check before anything connects.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StartupRefusalTests
{
    private const string GoodKey = "refusal-tests-admin-key-0123456789abcdef";

    public static TheoryData<string, string[], string> Refusals => new()
    {
        { "durable without keys", ["Orleans__Tls__Disabled=true"], "No API keys are configured (Auth:ApiKeys:0:Key" },
        { "durable with a short key", ["Orleans__Tls__Disabled=true", "Auth__ApiKeys__0__Key=CHANGE-ME", "Auth__ApiKeys__0__Role=admin"], "Auth:ApiKeys:0:Key is 9 characters long; API keys need at least 32" },
        { "embedded with a short key", ["Cluster__Mode=embedded", "Auth__ApiKeys__0__Key=short-admin-key", "Auth__ApiKeys__0__Role=admin"], "Auth:ApiKeys:0:Key is 15 characters long" },
        { "a short metrics token", ["Cluster__Mode=embedded", "Auth__MetricsToken=scrape-me"], "Auth:MetricsToken is 9 characters long" },
        { "durable without TLS", [$"Auth__ApiKeys__0__Key={GoodKey}", "Auth__ApiKeys__0__Role=admin"], "A durable silo needs mutual TLS on its silo and gateway ports: set Orleans:Tls:CertificatePath" },
        { "durable TLS with a missing certificate", [$"Auth__ApiKeys__0__Key={GoodKey}", "Auth__ApiKeys__0__Role=admin", "Orleans__Tls__CertificatePath=/nonexistent/silo.pem", "Orleans__Tls__CaPath=/nonexistent/ca.pem"], "Orleans:Tls:CertificatePath (/nonexistent/silo.pem) could not be loaded" },
        { "durable with --demo", ["Orleans__Tls__Disabled=true", $"Auth__ApiKeys__0__Key={GoodKey}", "Auth__ApiKeys__0__Role=admin", "--demo"], "--demo runs only on the embedded default (Cluster:Mode=embedded)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task The_silo_refuses_to_start(string refusal, string[] settings, string expected)
    {
        var scratch = Directory.CreateTempSubdirectory("margingrid-refusal-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Cluster__Mode"] = "durable",
                ["ConnectionStrings__Ledger"] = "Host=127.0.0.1;Port=1;Database=none;Username=none",
                ["ConnectionStrings__Redis"] = "127.0.0.1:1",
                ["Orleans__AdvertisedIP"] = "127.0.0.1",
                ["Orleans__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var setting in settings.Where(s => s.Contains('=', StringComparison.Ordinal)))
            {
                var (name, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                environment[name] = value;
            }

            string[] arguments = [RepoPaths.SiloDll, "--urls", $"http://127.0.0.1:{FreePorts.Next()}", .. settings.Where(s => s.StartsWith("--", StringComparison.Ordinal))];
            using var silo = ChildProcess.Start("dotnet", arguments, Path.Combine(scratch, "silo.log"), environment, scratch);
            var exited = await silo.WaitForExit(TimeSpan.FromSeconds(90));
            var log = silo.Tail(200);
            Assert.True(exited, $"{refusal}: the silo kept running:\n{log}");
            Assert.NotEqual(0, silo.ExitCode);
            Assert.Contains(expected, log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
