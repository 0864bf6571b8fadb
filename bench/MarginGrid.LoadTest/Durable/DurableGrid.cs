using System.Globalization;
using MarginGrid.ClusterTls;

namespace MarginGrid.LoadTest.Durable;

/// <summary>
/// The durable cluster for the load test: PostgreSQL (fsync and synchronous commit on, as deployed) and Redis
/// (append-only, fsync every second, as deploy/local does) started in a scratch folder on free loopback ports, or
/// attached through <c>--ledger</c> and <c>--redis</c>; N processes of the built silo with mutual TLS; and an Orleans
/// client connected through the Redis membership table. Every process it started is ended by its PID on dispose.
/// </summary>
public sealed class DurableGrid : IAsyncDisposable
{
    private const string ClusterId = "loadtest";
    private readonly List<OwnedProcess> _silos = [];
    private readonly List<int> _httpPorts = [];
    private OwnedProcess? _postgres;
    private OwnedProcess? _redis;
    private string? _postgresData;
    private ClusterClient? _connection;
    private readonly string _adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    private int _disposed;

    private DurableGrid(string scratch) => Scratch = scratch;

    public string Scratch { get; }

    public string LedgerConnection { get; private set; } = "";

    public string RedisConnection { get; private set; } = "";

    public IClusterClient Client => _connection?.Client ?? throw new InvalidOperationException("Not connected.");

    /// <summary>
    /// Each silo process's peak resident set so far (<c>VmHWM</c>, kept by the kernel); 0 for a silo that has exited
    /// or whose status cannot be read.
    /// </summary>
    public IReadOnlyList<long> SiloPeakWorkingSets() => [.. _silos.Select(s => ProcessStatus.PeakResidentBytes(s.Pid))];

    /// <summary>Each silo's HTTP base address (its /metrics and its API).</summary>
    public IReadOnlyList<Uri> SiloAddresses => [.. _httpPorts.Select(p => new Uri($"http://127.0.0.1:{p}/"))];

    public static async Task<DurableGrid> Start(LoadTestOptions options, Action<string> say)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(say);
        var scratch = Directory.CreateTempSubdirectory("margingrid-loadtest-").FullName;

        // The postgres user (root runs PostgreSQL as it) must reach its folder inside.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(scratch, (UnixFileMode)0b111_101_101);
        }

        var grid = new DurableGrid(scratch);
        try
        {
            if (options.Ledger is null)
            {
                await grid.StartPostgres();
                await grid.StartRedis();
                say($"PostgreSQL (pid {grid.PostmasterPid}) and Redis (pid {grid._redis!.Pid}) on loopback, data in {scratch}");
            }
            else
            {
                grid.LedgerConnection = options.Ledger;
                grid.RedisConnection = options.Redis!;
            }

            var certificates = ThrowAwayCertificates.Create(Path.Combine(scratch, "tls"));
            var dll = SiloDll();
            for (var i = 1; i <= options.Silos; i++)
            {
                grid.StartSilo(i, dll, certificates);
            }

            await grid.WaitReady(TimeSpan.FromMinutes(3));
            say($"{options.Silos} silo process(es) ready: pids {string.Join(", ", grid._silos.Select(s => s.Pid))}");
            var tls = new ClusterTlsSettings { CertificatePath = certificates.CertificatePath, KeyPath = certificates.KeyPath, CaPath = certificates.CaPath };
            grid._connection = await ClusterClient.Connect(grid.RedisConnection, ClusterId, tls, TimeSpan.FromMinutes(1));
            return grid;
        }
        catch
        {
            await grid.DisposeAsync();
            throw;
        }
    }

    /// <summary>The built silo (Release, as the load test is built): found from the repository root above this program.</summary>
    public static string SiloDll()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "MarginGrid.sln")))
        {
            folder = folder.Parent;
        }

        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = folder is null ? null : Path.Combine(folder.FullName, "src", "MarginGrid.Silo", "bin", configuration, "net10.0", "MarginGrid.Silo.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"The built silo was not found ({dll ?? "no MarginGrid.sln above " + AppContext.BaseDirectory}): build it with dotnet build -c {configuration}.");
    }

    private int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_postgresData!, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    private static bool AsRoot => Environment.UserName == "root";

    private async Task StartPostgres()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => Path.Combine(d, "bin")).LastOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql).");
        var folder = Path.Combine(Scratch, "pg");
        Directory.CreateDirectory(folder);
        _postgresData = Path.Combine(folder, "data");
        if (AsRoot)
        {
            OwnedProcess.Run("chown", "postgres", folder);
        }

        AsOwner(Path.Combine(bin, "initdb"), "-D", _postgresData, "-U", "margingrid", "--auth=trust", "-E", "UTF8");
        var port = LoopbackPorts.Next();
        string[] postgres = [Path.Combine(bin, "postgres"), "-D", _postgresData, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "max_connections=200"];
        _postgres = AsRoot
            ? OwnedProcess.Start("runuser", ["-u", "postgres", "--", .. postgres], Path.Combine(Scratch, "postgres.log"))
            : OwnedProcess.Start(postgres[0], postgres[1..], Path.Combine(Scratch, "postgres.log"));
        var admin = $"Host=127.0.0.1;Port={port};Database=postgres;Username=margingrid;Pooling=false;Timeout=5";
        await Eventually(async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(admin);
            await connection.OpenAsync();
        }, TimeSpan.FromSeconds(60), "PostgreSQL did not start");
        await using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE margingrid", connection);
            await create.ExecuteNonQueryAsync();
        }

        LedgerConnection = $"Host=127.0.0.1;Port={port};Database=margingrid;Username=margingrid";
    }

    private async Task StartRedis()
    {
        var folder = Path.Combine(Scratch, "redis");
        Directory.CreateDirectory(folder);
        var port = LoopbackPorts.Next();
        _redis = OwnedProcess.Start("redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder, "--appendonly", "yes",
             "--appendfsync", "everysec", "--save", "", "--daemonize", "no"], Path.Combine(Scratch, "redis.log"));
        await Eventually(() =>
        {
            using var client = new System.Net.Sockets.TcpClient("127.0.0.1", port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)
                ? Task.CompletedTask
                : throw new IOException("Redis is not answering PONG yet.");
        }, TimeSpan.FromSeconds(30), "Redis did not start");
        RedisConnection = $"127.0.0.1:{port}";
    }

    private void StartSilo(int number, string dll, ThrowAwayCertificates certificates)
    {
        var http = LoopbackPorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["Cluster__Mode"] = "durable",
            ["ConnectionStrings__Ledger"] = LedgerConnection,
            ["ConnectionStrings__Redis"] = RedisConnection,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = "margingrid",
            ["Orleans__AdvertisedIP"] = "127.0.0.1",
            ["Orleans__SiloPort"] = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans__Tls__CertificatePath"] = certificates.CertificatePath,
            ["Orleans__Tls__KeyPath"] = certificates.KeyPath,
            ["Orleans__Tls__CaPath"] = certificates.CaPath,
            // A durable silo starts only with API keys; this one is never used (the load test speaks Orleans).
            ["Auth__ApiKeys__0__Key"] = _adminKey,
            ["Auth__ApiKeys__0__Role"] = "admin",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__MarginGrid"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Error",
        };
        // The silo's content root is its own folder, as deployed: its configuration watcher follows the content root
        // and every file under it, and here that would be the database's and Redis' files, written all the time
        // (2.3 % of each silo's CPU in a crash cascade, measured).
        _silos.Add(OwnedProcess.Start("dotnet", [dll, "--urls", $"http://127.0.0.1:{http}"], Path.Combine(Scratch, $"silo{number}.log"), environment, Path.GetDirectoryName(dll)));
        _httpPorts.Add(http);
    }

    private async Task WaitReady(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < _silos.Count; i++)
        {
            var silo = _silos[i];
            var ready = new Uri(SiloAddresses[i], "readyz");
            await Eventually(async () =>
            {
                if (silo.HasExited)
                {
                    throw new InvalidOperationException($"Silo {i + 1} exited:\n{silo.Tail()}");
                }

                using var response = await http.GetAsync(ready);
                response.EnsureSuccessStatusCode();
            }, within, $"silo {i + 1} not ready (log: {silo.LogPath})", stopOn: e => e is InvalidOperationException);
        }
    }

    private static async Task Eventually(Func<Task> attempt, TimeSpan within, string what, Func<Exception, bool>? stopOn = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await attempt();
                return;
            }
            catch (Exception error) when (clock.Elapsed < within && !(stopOn?.Invoke(error) ?? false))
            {
                await Task.Delay(250);
            }
            catch (Exception error)
            {
                throw new InvalidOperationException($"{what}: {error.Message}", error);
            }
        }
    }

    private static void AsOwner(string file, params string[] arguments)
    {
        if (AsRoot)
        {
            OwnedProcess.Run("runuser", ["-u", "postgres", "--", file, .. arguments]);
        }
        else
        {
            OwnedProcess.Run(file, arguments);
        }
    }

    /// <summary>Synchronous, so that Ctrl+C and process exit can call it: the client, the silos, Redis, then PostgreSQL's postmaster by its PID.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            _connection?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The silos are ended next whatever the client says.
        }

        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _redis?.Dispose();
        if (_postgres is not null)
        {
            // runuser's child is the postmaster: a fast shutdown (SIGINT) to its own PID, then the wrapper.
            if (File.Exists(Path.Combine(_postgresData!, "postmaster.pid")))
            {
                try
                {
                    OwnedProcess.Run("kill", "-INT", PostmasterPid.ToString(CultureInfo.InvariantCulture));
                    for (var i = 0; i < 100 && File.Exists(Path.Combine(_postgresData!, "postmaster.pid")); i++)
                    {
                        Thread.Sleep(100);
                    }
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
            }

            _postgres.Dispose();
        }

        if (Environment.GetEnvironmentVariable("MARGINGRID_KEEP_SCRATCH") is null)
        {
            try
            {
                Directory.Delete(Scratch, recursive: true);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Left for the OS to clean.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
