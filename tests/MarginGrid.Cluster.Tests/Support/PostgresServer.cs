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
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Database=margingrid;Username=margingrid;Pooling=false;Timeout=5";

    /// <summary>The postmaster's own PID (not a wrapper's), from its pid file.</summary>
    public int Pid => int.Parse(File.ReadLines(Path.Combine(DataFolder, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    private string DataFolder => Path.Combine(_folder, "data");

    private static bool AsRoot => Environment.UserName == "root";

    public static async Task<PostgresServer> Create(string scratch)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Order().Select(d => Path.Combine(d, "bin")).LastOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql).");
        var folder = Path.Combine(scratch, "pg");
        Directory.CreateDirectory(folder);
        if (AsRoot)
        {
            ChildProcess.Run("chown", "postgres", folder);
        }

        var server = new PostgresServer(folder, bin, FreePorts.Next());
        var (code, output) = server.AsOwner(Path.Combine(bin, "initdb"), "-D", server.DataFolder, "-U", "margingrid", "--auth=trust", "-E", "UTF8");
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

    public async Task Start()
    {
        var arguments = new[] { Path.Combine(_bin, "postgres"), "-D", DataFolder, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", _folder, "-c", "listen_addresses=127.0.0.1" };
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

    private (int, string) AsOwner(string file, params string[] arguments) =>
        AsRoot ? ChildProcess.Run("runuser", ["-u", "postgres", "--", file, .. arguments]) : ChildProcess.Run(file, arguments);
}
