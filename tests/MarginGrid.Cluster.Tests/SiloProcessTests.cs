using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// A silo process as an operator starts it, from a working directory that is not its own: it reads its
/// <c>appsettings.json</c> all the same (timestamps, Warning by default, so no line per request), answers
/// <c>/version</c>, and with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set posts OTLP data to that endpoint.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class SiloProcessTests
{
    private const string AdminKey = "process-tests-admin-key-0123456789abcdef";

    [Fact]
    public async Task A_silo_started_elsewhere_logs_with_timestamps_without_request_lines_and_exports_otlp()
    {
        var scratch = Directory.CreateTempSubdirectory("margingrid-process-").FullName;
        var otlpPort = FreePorts.Next();
        using var collector = new OtlpCollector(otlpPort);
        try
        {
            var (silo, http) = Start(scratch, new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{otlpPort}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            });
            using (silo)
            using (http)
            {
                await Ready(silo, http);
                for (var i = 0; i < 5; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/markets");
                    request.Headers.Add("X-Api-Key", AdminKey);
                    using var answered = await http.SendAsync(request);
                    Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
                }

                using var version = JsonDocument.Parse(await http.GetStringAsync(new Uri("/version", UriKind.Relative)));
                Assert.False(string.IsNullOrEmpty(version.RootElement.GetProperty("version").GetString()));
                Assert.False(string.IsNullOrEmpty(version.RootElement.GetProperty("build").GetString()));

                await Until.True(() => Task.FromResult(collector.Paths.Contains("/v1/metrics")), TimeSpan.FromSeconds(90), $"the silo posting OTLP metrics (received: {string.Join(", ", collector.Paths)}); log: {silo.Tail()}");
                Assert.Contains("application/x-protobuf", collector.ContentTypes);

                silo.Signal(Signals.Terminate);
                Assert.True(await silo.WaitForExit(TimeSpan.FromSeconds(60)), silo.Tail());
            }

            var lines = File.ReadAllLines(Path.Combine(scratch, "silo.log")).Where(l => l.Length > 0).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.Matches(Timestamped(), l));
            Assert.Contains(lines, l => l.Contains("HTTP API at", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("Request starting", StringComparison.Ordinal) || l.Contains("Request finished", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(" info: Microsoft.AspNetCore", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task With_the_json_format_every_line_is_a_json_entry_with_a_timestamp()
    {
        var scratch = Directory.CreateTempSubdirectory("margingrid-process-").FullName;
        try
        {
            var (silo, http) = Start(scratch, new Dictionary<string, string> { ["Logging__Format"] = "json" });
            using (silo)
            using (http)
            {
                await Ready(silo, http);
                silo.Signal(Signals.Terminate);
                Assert.True(await silo.WaitForExit(TimeSpan.FromSeconds(60)), silo.Tail());
            }

            var lines = File.ReadAllLines(Path.Combine(scratch, "silo.log")).Where(l => l.Length > 0).ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, l =>
            {
                using var entry = JsonDocument.Parse(l);
                Assert.Matches(Timestamped(), entry.RootElement.GetProperty("Timestamp").GetString()!);
                Assert.True(entry.RootElement.TryGetProperty("Category", out _), l);
            });
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>An embedded silo (no database needed) with an admin key, started with <paramref name="scratch"/> as its working directory.</summary>
    private static (ChildProcess Silo, HttpClient Http) Start(string scratch, Dictionary<string, string> environment)
    {
        var port = FreePorts.Next();
        environment["Auth__ApiKeys__0__Key"] = AdminKey;
        environment["Auth__ApiKeys__0__Role"] = "admin";
        environment["Orleans__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        environment["Orleans__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var silo = ChildProcess.Start("dotnet", [RepoPaths.SiloDll, "--urls", $"http://127.0.0.1:{port}"], Path.Combine(scratch, "silo.log"), environment, scratch);
        return (silo, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    }

    private static Task Ready(ChildProcess silo, HttpClient http) =>
        Until.True(async () =>
        {
            Assert.False(silo.HasExited, silo.Tail());
            try
            {
                using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(120), "the silo becoming ready");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")]
    private static partial Regex Timestamped();

    /// <summary>A stand-in OTLP/HTTP collector: it records which paths were posted to and answers 200.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public OtlpCollector(int port)
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _serving = Task.Run(Serve);
        }

        public ConcurrentBag<string> Paths { get; } = [];

        public ConcurrentBag<string> ContentTypes { get; } = [];

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _ = _serving;
        }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Paths.Add(context.Request.Url!.AbsolutePath);
                ContentTypes.Add(context.Request.ContentType ?? "");
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
