using Npgsql;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// A real PostgreSQL server in a scratch folder on a loopback port (initdb refuses root, so root runs it as
/// the postgres user). Stopped and started again on the same data, it is the same database.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private ChildProcess? _process;

    private PostgresServer(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
        WalArchive = Path.Combine(folder, "wal-archive");
    }

    public int Port { get; }

    /// <summary>Where this server archives each finished WAL segment (archive_mode=on), for point-in-time recovery.</summary>
    public string WalArchive { get; }

    public string ConnectionString => ConnectionStringFor("margingrid");

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username=margingrid;Pooling=false;Timeout=5";

    /// <summary>The postmaster's own PID (not a wrapper's), from its pid file.</summary>
    public int Pid => int.Parse(File.ReadLines(Path.Combine(DataFolder, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    private string DataFolder => Path.Combine(_folder, "data");

    private static bool AsRoot => Environment.UserName == "root";

    public static async Task<PostgresServer> Create(string scratch)
    {
        var server = Prepare(scratch);
        var (code, output) = server.AsOwner(Path.Combine(server._bin, "initdb"), "-D", server.DataFolder, "-U", "margingrid", "--auth=trust", "-E", "UTF8");
        Assert.True(code == 0, $"initdb failed: {output}");
        try
        {
            await server.Start();
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={server.Port};Database=postgres;Username=margingrid;Pooling=false");
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE margingrid", connection);
            await create.ExecuteNonQueryAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new server whose data is a copy of <paramref name="baseBackup"/> (from <see cref="BaseBackup"/>),
    /// recovered by replaying every WAL segment found in <paramref name="walArchive"/> (point-in-time recovery to
    /// the end of the archive), then promoted. It archives its own WAL in its own folder, never in the original's.
    /// </summary>
    public static async Task<PostgresServer> Restore(string scratch, string baseBackup, string walArchive)
    {
        var server = Prepare(scratch);
        var (copied, output) = ChildProcess.Run("cp", "-a", baseBackup, server.DataFolder);
        Assert.True(copied == 0, $"copying the base backup failed: {output}");
        if (AsRoot)
        {
            ChildProcess.Run("chown", "-R", "postgres", server.DataFolder);
        }

        ChildProcess.Run("chmod", "700", server.DataFolder);
        File.WriteAllText(Path.Combine(server.DataFolder, "recovery.signal"), "");
        File.AppendAllText(Path.Combine(server.DataFolder, "postgresql.auto.conf"),
            $"restore_command = 'cp {walArchive}/%f %p'\nrecovery_target_action = 'promote'\n");
        try
        {
            await server.Start();
            await Until.True(async () => !await server.InRecovery(), TimeSpan.FromSeconds(120), "PostgreSQL did not finish recovery");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Creates another (empty) database on this server; returns its connection string.</summary>
    public async Task<string> CreateDatabase(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionStringFor(database);
    }

    public async Task Start()
    {
        var arguments = new[]
        {
            Path.Combine(_bin, "postgres"), "-D", DataFolder, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", _folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "archive_mode=on", "-c", $"archive_command=test ! -f {WalArchive}/%f && cp %p {WalArchive}/%f",
        };
        _process = AsRoot
            ? ChildProcess.Start("runuser", ["-u", "postgres", "--", .. arguments], Path.Combine(_folder, "..", "postgres.log"))
            : ChildProcess.Start(arguments[0], arguments[1..], Path.Combine(_folder, "..", "postgres.log"));
        await Until.True(async () => await Accepts("postgres"), TimeSpan.FromSeconds(60), "PostgreSQL did not start");
    }

    /// <summary>A fast shutdown (SIGINT to the postmaster): clients are cut off, the data is kept.</summary>
    public async Task Stop()
    {
        var pid = Pid;
        Signals.Send(pid, Signals.Interrupt);
        await Until.True(() => Task.FromResult(!Signals.IsAlive(pid)), TimeSpan.FromSeconds(30), "PostgreSQL did not stop");
        _process?.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGKILL to the postmaster: no shutdown checkpoint, so the next <see cref="Start"/> is a crash recovery
    /// from the WAL. Its backends notice and exit on their own; the start waits for them.
    /// </summary>
    public async Task KillNine()
    {
        var pid = Pid;
        Signals.Send(pid, Signals.Kill);
        await Until.True(() => Task.FromResult(!Signals.IsAlive(pid)), TimeSpan.FromSeconds(30), "PostgreSQL did not die");
        await Until.True(async () => !await Accepts("postgres"), TimeSpan.FromSeconds(30), "PostgreSQL still answers after SIGKILL");
        _process?.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGSTOP to the postmaster and every process under it (backends, WAL writer, checkpointer): the server
    /// freezes with its sockets open, as on a stalled disk or VM, so clients wait instead of failing fast. Returns
    /// the frozen PIDs for <see cref="Thaw"/>.
    /// </summary>
    public IReadOnlyList<int> Freeze()
    {
        var frozen = new List<int> { Pid };
        Signals.Send(Pid, Signals.Stop);
        for (var i = 0; i < frozen.Count; i++)
        {
            foreach (var child in ChildrenOf(frozen[i]))
            {
                Signals.Send(child, Signals.Stop);
                frozen.Add(child);
            }
        }

        return frozen;
    }

    /// <summary>SIGCONT to every process <see cref="Freeze"/> stopped: whatever they held goes on from where it was.</summary>
    public static void Thaw(IReadOnlyList<int> frozen)
    {
        ArgumentNullException.ThrowIfNull(frozen);
        foreach (var pid in frozen.Reverse())
        {
            Signals.Send(pid, Signals.Continue);
        }
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": the command may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }

    /// <summary>A base backup (pg_basebackup, plain format, with the WAL it needs) into <paramref name="target"/>.</summary>
    public void BaseBackup(string target)
    {
        Directory.CreateDirectory(target);
        if (AsRoot)
        {
            ChildProcess.Run("chown", "postgres", target);
        }

        var (code, output) = AsOwner(Path.Combine(_bin, "pg_basebackup"), "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "margingrid", "-D", target, "-X", "stream", "-c", "fast");
        Assert.True(code == 0, $"pg_basebackup failed: {output}");
    }

    /// <summary>Closes the current WAL segment and waits until it is in the archive: everything committed so far is archived.</summary>
    public async Task ArchiveCurrentWal()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_walfile_name(pg_switch_wal())", connection);
        var segment = (string)(await command.ExecuteScalarAsync())!;
        await Until.True(() => Task.FromResult(File.Exists(Path.Combine(WalArchive, segment))), TimeSpan.FromSeconds(60), $"WAL segment {segment} not archived");
    }

    /// <summary>True while WAL is still being replayed (or the server cannot answer yet).</summary>
    public async Task<bool> InRecovery()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString.Replace("Database=margingrid", "Database=postgres", StringComparison.Ordinal));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
            return (bool)(await command.ExecuteScalarAsync())!;
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            return true;
        }
    }

    public async Task<bool> Accepts(string database = "margingrid")
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString.Replace("Database=margingrid", $"Database={database}", StringComparison.Ordinal));
            await connection.OpenAsync();
            return true;
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")) && Signals.IsAlive(Pid))
        {
            Signals.Send(Pid, Signals.Interrupt);
            for (var i = 0; i < 100 && File.Exists(Path.Combine(DataFolder, "postmaster.pid")); i++)
            {
                Thread.Sleep(100);
            }
        }

        _process?.Dispose();
    }

    private static PostgresServer Prepare(string scratch)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => Path.Combine(d, "bin")).LastOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql).");
        var folder = Path.Combine(scratch, "pg");
        var server = new PostgresServer(folder, bin, FreePorts.Next());
        Directory.CreateDirectory(server.WalArchive);
        if (AsRoot)
        {
            ChildProcess.Run("chown", "postgres", folder, server.WalArchive);
        }

        return server;
    }

    private (int, string) AsOwner(string file, params string[] arguments) =>
        AsRoot ? ChildProcess.Run("runuser", ["-u", "postgres", "--", file, .. arguments]) : ChildProcess.Run(file, arguments);
}
