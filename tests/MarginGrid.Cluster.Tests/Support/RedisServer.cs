namespace MarginGrid.Cluster.Tests.Support;

/// <summary>A real Redis server with the append-only file on, in a scratch folder on a loopback port.</summary>
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

    /// <summary>Starts on the same port and folder: it loads what its append-only file holds.</summary>
    public async Task Start()
    {
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server"
            : throw new InvalidOperationException("redis-server not found (apt-get install redis-server).");
        _process = ChildProcess.Start(binary,
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder, "--appendonly", "yes",
             "--appendfsync", "always", "--save", "", "--daemonize", "no"],
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
