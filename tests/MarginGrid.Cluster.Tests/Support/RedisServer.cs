namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// A real Redis server with the append-only file on, in a scratch folder on a loopback port, fsynced as the
/// shipped deployments run it (<c>everysec</c>, the default of compose, k8s and run-cluster.sh), not stricter.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _folder;
    private ChildProcess? _process;

    private RedisServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> Create(string scratch)
    {
        var folder = Path.Combine(scratch, "redis");
        Directory.CreateDirectory(folder);
        var server = new RedisServer(folder, FreePorts.Next());
        await server.Start();
        return server;
    }

    /// <summary>
    /// A new Redis whose data is a copy of an <c>appendonlydir</c> taken from another one. With
    /// <c>--appendonly yes</c> Redis loads only that folder (a <c>dump.rdb</c> beside it is ignored).
    /// </summary>
    public static async Task<RedisServer> CreateFrom(string scratch, string appendOnlyDir)
    {
        var folder = Path.Combine(scratch, "redis");
        Directory.CreateDirectory(folder);
        var (code, output) = ChildProcess.Run("cp", "-a", appendOnlyDir, Path.Combine(folder, "appendonlydir"));
        Assert.True(code == 0, $"copying appendonlydir failed: {output}");
        var server = new RedisServer(folder, FreePorts.Next());
        await server.Start();
        return server;
    }

    /// <summary>
    /// Copies this Redis's <c>appendonlydir</c> to <paramref name="target"/> after a rewrite has finished, so
    /// the copy is a compact base file plus a short increment.
    /// </summary>
    public async Task CopyAppendOnlyDir(string target)
    {
        Cli("BGREWRITEAOF");
        await Until.True(() => Task.FromResult(Cli("INFO", "persistence") is var info
            && info.Contains("aof_rewrite_in_progress:0", StringComparison.Ordinal)
            && info.Contains("aof_rewrite_scheduled:0", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the AOF rewrite did not finish");
        var (code, output) = ChildProcess.Run("cp", "-a", Path.Combine(_folder, "appendonlydir"), target);
        Assert.True(code == 0, $"copying appendonlydir failed: {output}");
    }

    /// <summary>
    /// Replaces what this (stopped) Redis holds with an older copy of its <c>appendonlydir</c> (from
    /// <see cref="CopyAppendOnlyDir"/>): the next <see cref="Start"/> comes back without every write made since,
    /// as after a crash under <c>everysec</c> or a failover to a replica that lagged.
    /// </summary>
    public void ReplaceAppendOnlyDir(string olderCopy)
    {
        Assert.True(_process is null, "Redis must be stopped before its files are replaced");
        var current = Path.Combine(_folder, "appendonlydir");
        Directory.Delete(current, recursive: true);
        var (code, output) = ChildProcess.Run("cp", "-a", olderCopy, current);
        Assert.True(code == 0, $"copying appendonlydir failed: {output}");
    }

    /// <summary>Runs a redis-cli command against this server (raw output), as an operator would.</summary>
    public string Cli(params string[] command)
    {
        var (code, output) = ChildProcess.Run("redis-cli", ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--raw", .. command]);
        Assert.True(code == 0, $"redis-cli {string.Join(' ', command)} failed: {output}");
        return output;
    }

    /// <summary>Starts on the same port and folder: it loads what its append-only file holds.</summary>
    public async Task Start()
    {
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server"
            : throw new InvalidOperationException("redis-server not found (apt-get install redis-server).");
        _process = ChildProcess.Start(binary,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder, "--appendonly", "yes",
             "--appendfsync", "everysec", "--save", "", "--daemonize", "no"],
            Path.Combine(_folder, "..", "redis.log"));
        await Until.True(() => Task.FromResult(Ping()), TimeSpan.FromSeconds(30), "Redis did not start");
    }

    /// <summary>SIGKILL: Redis gets no chance to write anything more.</summary>
    public async Task Kill()
    {
        _process!.Signal(Signals.Kill);
        Assert.True(await _process.WaitForExit(TimeSpan.FromSeconds(10)), "Redis did not die");
        _process.Dispose();
        _process = null;
    }

    public void Dispose() => _process?.Dispose();

    private bool Ping()
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient("127.0.0.1", Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException)
        {
            return false;
        }
    }
}
