using System.Globalization;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>One silo process of the durable cluster, on its own silo, gateway and HTTP ports.</summary>
public sealed class SiloNode : IDisposable
{
    private readonly ChildProcess _process;
    private readonly string _scratch;
    private readonly Dictionary<string, string> _environment;

    private SiloNode(int number, int httpPort, ChildProcess process, string scratch, Dictionary<string, string> environment)
    {
        Number = number;
        HttpPort = httpPort;
        _process = process;
        _scratch = scratch;
        _environment = environment;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(40) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", DurableCluster.AdminKey);
    }

    public int Number { get; }

    public int HttpPort { get; }

    /// <summary>The silo-to-silo port: with the host, what names this silo in the membership table.</summary>
    public int SiloPort => int.Parse(_environment["Orleans__SiloPort"], CultureInfo.InvariantCulture);

    public HttpClient Http { get; }

    public int Pid => _process.Pid;

    /// <summary>False once killed or stopped: the API no longer sends to it.</summary>
    public bool Up { get; private set; } = true;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts silo <paramref name="number"/> on the ledger databases <paramref name="ledger"/> (partition 0 first).</summary>
    public static SiloNode Start(int number, string scratch, IReadOnlyList<string> ledger, string redis, ClusterCertificateFiles certificates)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var http = FreePorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "durable",
            ["Cluster__ShutdownTimeoutSeconds"] = "30",
            ["Ledger__Partitions"] = ledger.Count.ToString(CultureInfo.InvariantCulture),
            ["ConnectionStrings__Redis"] = redis,
            ["Orleans__ClusterId"] = DurableCluster.ClusterId,
            ["Orleans__AdvertisedIP"] = "127.0.0.1",
            ["Orleans__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans__Tls__CertificatePath"] = certificates.CertificatePath,
            ["Orleans__Tls__KeyPath"] = certificates.KeyPath,
            ["Orleans__Tls__CaPath"] = certificates.CaPath,
            ["Auth__ApiKeys__0__Key"] = DurableCluster.AdminKey,
            ["Auth__ApiKeys__0__Role"] = "admin",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__MarginGrid"] = Environment.GetEnvironmentVariable("MARGINGRID_SILO_LOG_LEVEL") ?? "Warning",
            ["DOTNET_gcServer"] = "0",
        };
        for (var i = 0; i < ledger.Count; i++)
        {
            environment[i == 0 ? "ConnectionStrings__Ledger" : $"ConnectionStrings__Ledger{i}"] = ledger[i];
        }

        return Launch(number, http, scratch, environment);
    }

    /// <summary>
    /// The same silo started again on the same silo, gateway and HTTP ports (a restart in place, as an
    /// orchestrator does it); this process must have exited first.
    /// </summary>
    public SiloNode Relaunch()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"Silo {Number} is still running (pid {Pid}).");
        }

        return Launch(Number, HttpPort, _scratch, _environment);
    }

    private static SiloNode Launch(int number, int http, string scratch, Dictionary<string, string> environment)
    {
        var process = ChildProcess.Start("dotnet", [RepoPaths.SiloDll, "--urls", $"http://127.0.0.1:{http}"], Path.Combine(scratch, $"silo{number}.log"), environment, scratch);
        return new SiloNode(number, http, process, scratch, environment);
    }

    public async Task<bool> IsReady()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"Silo {Number} exited with {_process.ExitCode}:\n{_process.Tail()}");
        }

        try
        {
            using var response = await Http.GetAsync("/readyz");
            return response.IsSuccessStatusCode;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>The sum of a metric's series (all label sets) on this silo's own <c>/metrics</c>.</summary>
    public async Task<double> Metric(string name)
    {
        var text = await Http.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>kill -9: no shutdown, no goodbye to the cluster.</summary>
    public void KillNine()
    {
        Up = false;
        _process.Signal(Signals.Kill);
    }

    /// <summary>
    /// SIGSTOP: the process freezes (a long GC pause, a stalled VM) with its sockets open, so requests sent to it
    /// queue instead of failing. The client still counts it as up. <see cref="Resume"/> sends SIGCONT.
    /// </summary>
    public void Pause() => _process.Signal(Signals.Stop);

    public void Resume() => _process.Signal(Signals.Continue);

    /// <summary>SIGTERM: the graceful stop an orchestrator asks for.</summary>
    public void Terminate()
    {
        Up = false;
        _process.Signal(Signals.Terminate);
    }

    public Task<bool> WaitForExit(TimeSpan within) => _process.WaitForExit(within);

    public string Tail(int lines = 40) => _process.Tail(lines);

    /// <summary>This silo's log file (a restarted silo appends to the same one).</summary>
    public string LogPath => _process.LogPath;

    public void Dispose()
    {
        Up = false;
        Http.Dispose();
        _process.Dispose();
    }
}
