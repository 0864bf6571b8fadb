using System.Text.Json;
using Npgsql;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// A durable cluster of real processes on loopback: PostgreSQL (two ledger partitions by default, as two
/// databases on the one server), Redis (append-only file) and N silo
/// processes of the built silo, each ended by its PID when the test is done. The scratch folder (logs,
/// data) is deleted unless MARGINGRID_KEEP_SCRATCH is set. The silos talk mutual TLS with throw-away
/// certificates from a CA made for this cluster (<see cref="Certificates"/>).
/// </summary>
public sealed class DurableCluster : IAsyncDisposable
{
    /// <summary>At least 32 characters: silos refuse shorter keys.</summary>
    public const string AdminKey = "cluster-tests-admin-key-0123456789abcdef";

    /// <summary>The cluster id the silos use; a client finds them under it in Redis.</summary>
    public const string ClusterId = "fault-tests";

    /// <summary>The fault tests run on a partitioned ledger: two databases on the one PostgreSQL server.</summary>
    public const int DefaultLedgers = 2;

    private readonly List<SiloNode> _silos = [];

    private DurableCluster(string scratch, PostgresServer postgres, RedisServer redis, int ledgers, bool proxied)
    {
        Proxy = proxied ? new PostgresProxy(postgres.Port) : null;
        Scratch = scratch;
        Certificates = ClusterCertificateFiles.Create(scratch, "cluster");
        Postgres = postgres;
        Redis = redis;
        Api = new GridApi(() => Silos);
        Ledgers = [.. Enumerable.Range(0, ledgers).Select(i => postgres.ConnectionStringFor(LedgerDatabase(i)))];
    }

    /// <summary>This cluster's scratch folder (logs, data, certificates).</summary>
    public string Scratch { get; }

    /// <summary>The cluster's CA and the leaf its silos (and trusted clients) present.</summary>
    public ClusterCertificateFiles Certificates { get; }

    public PostgresServer Postgres { get; }

    /// <summary>The connection string of each ledger partition, partition 0 first (pooling off: tests open and close).</summary>
    public IReadOnlyList<string> Ledgers { get; }

    public RedisServer Redis { get; }

    /// <summary>The proxy the silos reach PostgreSQL through, when the cluster was started proxied; the tests' own connections go direct.</summary>
    public PostgresProxy? Proxy { get; }

    public GridApi Api { get; }

    public IReadOnlyList<SiloNode> Silos
    {
        get
        {
            lock (_silos)
            {
                return [.. _silos];
            }
        }
    }

    public static async Task<DurableCluster> Start(int silos, int ledgers = DefaultLedgers, bool proxied = false)
    {
        var scratch = NewScratch();
        var postgres = await PostgresServer.Create(scratch);
        RedisServer redis;
        try
        {
            for (var i = 1; i < ledgers; i++)
            {
                await postgres.CreateDatabase(LedgerDatabase(i));
            }

            redis = await RedisServer.Create(scratch);
        }
        catch
        {
            postgres.Dispose();
            throw;
        }

        return await StartOn(scratch, postgres, redis, silos, ledgers, proxied);
    }

    /// <summary>The database of ledger partition <paramref name="index"/> on the cluster's PostgreSQL server.</summary>
    public static string LedgerDatabase(int index) => index == 0 ? "margingrid" : $"margingrid_{index}";

    /// <summary>A new scratch folder for a cluster's data, logs and certificates.</summary>
    public static string NewScratch()
    {
        var scratch = Directory.CreateTempSubdirectory("margingrid-cluster-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // The postgres user (root runs PostgreSQL as it) must reach its folder inside.
            File.SetUnixFileMode(scratch, (UnixFileMode)0b111_101_101);
        }

        return scratch;
    }

    /// <summary>
    /// N silos on PostgreSQL (holding <paramref name="ledgers"/> ledger databases) and Redis already running
    /// (fresh, or restored from a backup); owns them from here on.
    /// </summary>
    public static async Task<DurableCluster> StartOn(string scratch, PostgresServer postgres, RedisServer redis, int silos, int ledgers = DefaultLedgers, bool proxied = false)
    {
        var cluster = new DurableCluster(scratch, postgres, redis, ledgers, proxied);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster.Launch();
            }

            await cluster.WaitReady();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Restarts one silo in place: SIGTERM, wait for its exit, start it again on the same ports, wait until it
    /// is ready. Returns the new process; the cluster's list holds it where the old one was.
    /// </summary>
    public async Task<SiloNode> Restart(SiloNode silo, TimeSpan exitWithin)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Terminate();
        Assert.True(await silo.WaitForExit(exitWithin), $"silo {silo.Number} did not exit after SIGTERM:\n{silo.Tail()}");
        Assert.True(silo.ExitCode == 0, $"silo {silo.Number} exited with {silo.ExitCode}:\n{silo.Tail()}");
        var again = silo.Relaunch();
        lock (_silos)
        {
            _silos[_silos.IndexOf(silo)] = again;
        }

        silo.Dispose();
        await Until.True(again.IsReady, TimeSpan.FromSeconds(180), $"silo {again.Number} not ready after its restart:\n{again.Tail()}");
        return again;
    }

    /// <summary>
    /// Stops every silo (SIGTERM; a silo already killed stays down), runs <paramref name="whileDown"/> with none
    /// running, starts them all again in place and waits until each is ready.
    /// </summary>
    public async Task RestartAll(Func<Task> whileDown, TimeSpan exitWithin)
    {
        ArgumentNullException.ThrowIfNull(whileDown);
        var silos = Silos;
        foreach (var silo in silos.Where(s => !s.HasExited))
        {
            silo.Terminate();
        }

        foreach (var silo in silos)
        {
            Assert.True(await silo.WaitForExit(exitWithin), $"silo {silo.Number} did not exit after SIGTERM:\n{silo.Tail()}");
        }

        await whileDown();
        foreach (var silo in silos)
        {
            var again = silo.Relaunch();
            lock (_silos)
            {
                _silos[_silos.IndexOf(silo)] = again;
            }

            silo.Dispose();
        }

        await WaitReady();
    }

    /// <summary>Starts one more silo and waits until it answers; returns it.</summary>
    public async Task<SiloNode> AddSilo()
    {
        var silo = Launch();
        await Until.True(silo.IsReady, TimeSpan.FromSeconds(180), $"silo {silo.Number} not ready:\n{silo.Tail()}");
        return silo;
    }

    public async Task WaitReady()
    {
        foreach (var silo in Silos.Where(s => s.Up))
        {
            await Until.True(silo.IsReady, TimeSpan.FromSeconds(180), $"silo {silo.Number} not ready");
        }
    }

    /// <summary>Runs a reconciliation through the API and returns its report.</summary>
    /// <summary>
    /// The silos whose <paramref name="counter"/> moved across <paramref name="action"/>: posting a mark finds the
    /// market's host by its marks counter. /metrics answers from a cache for a moment, so the second reading waits
    /// <paramref name="settle"/> (zero: read at once, and an empty or double answer means "try again").
    /// </summary>
    public async Task<List<SiloNode>> SilosWhoseCounterMoved(string counter, Func<Task> action, TimeSpan settle)
    {
        ArgumentNullException.ThrowIfNull(action);
        var before = await Task.WhenAll(Silos.Select(s => s.Metric(counter)));
        await action();
        await Task.Delay(settle);
        var after = await Task.WhenAll(Silos.Select(s => s.Metric(counter)));
        return [.. Silos.Where((_, i) => after[i] > before[i])];
    }

    public Task<JsonElement> Reconcile() => Api.Ok(HttpMethod.Post, "/v1/admin/reconciliation");

    /// <summary>How many events of each (stream, command key) the ledger holds, over every partition.</summary>
    public async Task<Dictionary<(string Stream, string Key), int>> CommandKeys()
    {
        var keys = new Dictionary<(string, string), int>();
        foreach (var ledger in Ledgers)
        {
            await using var connection = new NpgsqlConnection(ledger);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT stream, command_key, count(*) FROM mg_events WHERE command_key IS NOT NULL GROUP BY stream, command_key", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                // A stream found in two partitions would count twice here: a duplicate, as it should.
                var key = (reader.GetString(0), reader.GetString(1));
                keys[key] = keys.GetValueOrDefault(key) + (int)reader.GetInt64(2);
            }
        }

        return keys;
    }

    /// <summary>The distinct streams each ledger partition holds, partition 0 first.</summary>
    public async Task<List<HashSet<string>>> StreamsByPartition()
    {
        var partitions = new List<HashSet<string>>();
        foreach (var ledger in Ledgers)
        {
            await using var connection = new NpgsqlConnection(ledger);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT DISTINCT stream FROM mg_events", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var streams = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync())
            {
                streams.Add(reader.GetString(0));
            }

            partitions.Add(streams);
        }

        return partitions;
    }

    public string Logs() => string.Join("\n", Silos.Select(s => $"--- silo {s.Number} (pid {s.Pid}) ---\n{s.Tail(30)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            silo.Dispose();
        }

        Redis.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        Postgres.Dispose();
        if (Environment.GetEnvironmentVariable("MARGINGRID_KEEP_SCRATCH") is null)
        {
            try
            {
                Directory.Delete(Scratch, recursive: true);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Left for the OS to clean; a file still held must not fail the run.
            }
        }
    }

    /// <summary>Starts one more silo process and returns at once, without waiting for it to be ready.</summary>
    public SiloNode Launch()
    {
        lock (_silos)
        {
            var ledgers = Ledgers.Select(l => l.Replace("Pooling=false;", "", StringComparison.Ordinal)).ToList();
            if (Proxy is not null)
            {
                ledgers = [.. ledgers.Select(l => l.Replace($"Port={Postgres.Port};", $"Port={Proxy.Port};", StringComparison.Ordinal))];
            }

            var silo = SiloNode.Start(_silos.Count + 1, Scratch, ledgers, Redis.ConnectionString, Certificates);
            _silos.Add(silo);
            return silo;
        }
    }
}
