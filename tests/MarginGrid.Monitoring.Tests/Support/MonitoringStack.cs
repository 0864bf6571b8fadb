using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace MarginGrid.Monitoring.Tests.Support;

/// <summary>
/// A real silo process in demo mode (liquidations within seconds) and a real Prometheus scraping it every
/// second with the project's recording and alert rules loaded, both on loopback, both ended by their PID.
/// </summary>
public sealed class MonitoringStack : IAsyncLifetime
{
    public const string AdminKey = "monitoring-admin-key-0123456789abcdef";
    private const int SiloHttpPort = 18480;
    private const int PrometheusPort = 19490;
    private readonly string _scratch = Directory.CreateTempSubdirectory("margingrid-monitoring-").FullName;
    private Process? _silo;
    private Process? _prometheus;

    public HttpClient Silo { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{SiloHttpPort}"), Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Prometheus { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{PrometheusPort}"), Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        Silo.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        _silo = Start("dotnet", [RepoPaths.SiloDll, "--demo", "--urls", $"http://127.0.0.1:{SiloHttpPort}"], "silo.log", new Dictionary<string, string>
        {
            ["Auth__ApiKeys__0__Key"] = AdminKey,
            ["Auth__ApiKeys__0__Role"] = "admin",
            ["Orleans__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await WaitFor(Silo, "/readyz", TimeSpan.FromSeconds(60), _silo, "silo.log");

        var rules = Path.Combine(_scratch, "rules");
        Directory.CreateDirectory(rules);
        foreach (var file in Directory.GetFiles(RepoPaths.Of("deploy", "prometheus", "rules"), "*.yml"))
        {
            File.Copy(file, Path.Combine(rules, Path.GetFileName(file)));
        }

        var config = Path.Combine(_scratch, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rules}/*.yml
            scrape_configs:
              - job_name: margingrid
                static_configs:
                  - targets: ["127.0.0.1:{SiloHttpPort}"]
            """);
        _prometheus = Start(Tool.Find("prometheus"),
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_scratch, "tsdb")}", $"--web.listen-address=127.0.0.1:{PrometheusPort}"], "prometheus.log");
        await WaitFor(Prometheus, "/-/ready", TimeSpan.FromSeconds(60), _prometheus, "prometheus.log");
    }

    public Task DisposeAsync()
    {
        foreach (var process in new[] { _prometheus, _silo })
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(20));
            }

            process?.Dispose();
        }

        Silo.Dispose();
        Prometheus.Dispose();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: a file still open must not fail the run.
        }

        return Task.CompletedTask;
    }

    public string Log(string name) => File.Exists(Path.Combine(_scratch, name)) ? File.ReadAllText(Path.Combine(_scratch, name)) : "";

    /// <summary>An instant query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> Query(string promql)
    {
        var document = await Prometheus.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(promql)}");
        Assert.Equal("success", document.GetProperty("status").GetString());
        return [.. document.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => (
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>Polls until <paramref name="check"/> holds (the demo and the scrapes take their time), or fails with what was last seen.</summary>
    public static async Task Eventually(Func<Task<(bool Ok, string Seen)>> check, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var seen = "";
        while (clock.Elapsed < within)
        {
            (var ok, seen) = await check();
            if (ok)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Fail($"Not within {within}: {seen}");
    }

    private Process Start(string file, string[] arguments, string log, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _scratch,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var writer = new StreamWriter(Path.Combine(_scratch, log)) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is not null)
        {
            lock (writer)
            {
                writer.WriteLine(line);
            }
        }
    }

    private async Task WaitFor(HttpClient client, string path, TimeSpan within, Process process, string log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The process exited ({process.ExitCode}): {Log(log)}");
            }

            try
            {
                if ((await client.GetAsync(path)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }

        throw new TimeoutException($"{client.BaseAddress}{path} not ready within {within}: {Log(log)}");
    }
}
