using System.Globalization;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// Two embedded silos on one machine: the second, given a silo or gateway port the first already listens on,
/// refuses to start and names the port and the setting, and the first keeps serving.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SecondEmbeddedSiloTests
{
    private const string AdminKey = "second-silo-tests-admin-key-0123456789";

    [Theory]
    [InlineData("Orleans:SiloPort")]
    [InlineData("Orleans:GatewayPort")]
    public async Task A_second_embedded_silo_on_a_taken_port_refuses_and_names_it(string sharedSetting)
    {
        var scratch = Directory.CreateTempSubdirectory("margingrid-second-silo-").FullName;
        try
        {
            var first = Ports();
            var second = Ports();
            second[sharedSetting] = first[sharedSetting];

            var firstHttp = FreePorts.Next();
            using var running = StartSilo(first, firstHttp, Path.Combine(scratch, "first.log"), scratch);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{firstHttp}"), Timeout = TimeSpan.FromSeconds(10) };
            await Until.True(() => IsReady(http), TimeSpan.FromSeconds(90), $"the first silo never became ready:\n{running.Tail()}");

            using var refused = StartSilo(second, FreePorts.Next(), Path.Combine(scratch, "second.log"), scratch);
            var exited = await refused.WaitForExit(TimeSpan.FromSeconds(90));
            var log = refused.Tail(200);
            Assert.True(exited, $"the second silo kept running:\n{log}");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains($"Port {first[sharedSetting]} on 127.0.0.1 ({sharedSetting}) is already in use", log, StringComparison.Ordinal);

            Assert.False(running.HasExited, running.Tail());
            Assert.True(await IsReady(http), "the first silo stopped serving");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static Dictionary<string, string> Ports() => new()
    {
        ["Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        ["Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
    };

    private static ChildProcess StartSilo(Dictionary<string, string> ports, int httpPort, string logPath, string scratch)
    {
        var environment = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "embedded",
            ["Auth__ApiKeys__0__Key"] = AdminKey,
            ["Auth__ApiKeys__0__Role"] = "admin",
        };
        foreach (var (setting, port) in ports)
        {
            environment[setting.Replace(":", "__", StringComparison.Ordinal)] = port;
        }

        return ChildProcess.Start("dotnet", [RepoPaths.SiloDll, "--urls", $"http://127.0.0.1:{httpPort}"], logPath, environment, scratch);
    }

    private static async Task<bool> IsReady(HttpClient http)
    {
        try
        {
            return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
