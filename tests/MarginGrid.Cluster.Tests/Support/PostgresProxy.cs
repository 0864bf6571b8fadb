using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// A TCP proxy on loopback in front of PostgreSQL that reads the server's side of the wire protocol message by
/// message. Armed (<see cref="DropNextCommitConfirmations"/>), it cuts the connection right after the server
/// completed a COMMIT, before the client hears it: the transaction is durable, but the client only sees its
/// connection die, and cannot tell whether the commit landed. It can also hold back what the server says
/// (<see cref="Latency"/>). Everything else passes through unchanged.
/// </summary>
public sealed class PostgresProxy : IAsyncDisposable
{
    // The special first packets a client may send before its startup message; the server answers each with one byte.
    private const int SslRequest = 80877103;
    private const int GssEncryptionRequest = 80877104;

    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _armed;
    private int _dropped;

    public PostgresProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Accept();
    }

    public int Port { get; }

    /// <summary>How many COMMIT confirmations the proxy swallowed (each with its connection).</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>
    /// Added to everything the server sends from now on (each message is passed on this long after it was read):
    /// a slow database, or a slow network to it. Zero passes at once.
    /// </summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Arms the proxy: the next <paramref name="count"/> COMMIT confirmations, on any connection, are swallowed.</summary>
    public void DropNextCommitConfirmations(int count) => Interlocked.Add(ref _armed, count);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Relay(client);
        }
    }

    private async Task Relay(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
        }
        catch (SocketException)
        {
            return;
        }

        client.NoDelay = server.NoDelay = true;
        var fromClient = client.GetStream();
        var fromServer = server.GetStream();
        // What the client sent before its startup: true for a request answered by one byte, false for the startup.
        var opening = Channel.CreateUnbounded<bool>();
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var up = ClientToServer(fromClient, fromServer, opening.Writer, cut.Token);
        var down = ServerToClient(fromServer, fromClient, opening.Reader, cut.Token);
        await Task.WhenAny(up, down);
        await cut.CancelAsync();
        client.Client.Close(0);
        server.Client.Close(0);
        try
        {
            await Task.WhenAll(up, down);
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Passes the client's bytes on; notes each SSL or GSS request, whose answer is one untyped byte.</summary>
    private static async Task ClientToServer(NetworkStream client, NetworkStream server, ChannelWriter<bool> opening, CancellationToken cut)
    {
        var header = new byte[8];
        while (true)
        {
            await client.ReadExactlyAsync(header, cut);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            var code = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
            var rest = new byte[length - 8];
            await client.ReadExactlyAsync(rest, cut);
            var special = code is SslRequest or GssEncryptionRequest;
            await opening.WriteAsync(special, cut);
            await server.WriteAsync(header, cut);
            await server.WriteAsync(rest, cut);
            if (!special)
            {
                break;
            }
        }

        await client.CopyToAsync(server, cut);
    }

    /// <summary>
    /// Reads the server's messages one by one, swallowing an armed COMMIT's completion (and the connection), and
    /// queues the rest to be passed on once the added latency has run from when each was read.
    /// </summary>
    private async Task ServerToClient(NetworkStream server, NetworkStream client, ChannelReader<bool> opening, CancellationToken cut)
    {
        var header = new byte[5];
        while (await opening.ReadAsync(cut))
        {
            await server.ReadExactlyAsync(header.AsMemory(0, 1), cut);
            await client.WriteAsync(header.AsMemory(0, 1), cut);
        }

        var queue = Channel.CreateUnbounded<(byte[] Message, long Due)>();
        var passing = PassOn(queue.Reader, client, cut);
        try
        {
            while (!passing.IsCompleted)
            {
                await server.ReadExactlyAsync(header, cut);
                var message = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) + 1];
                header.CopyTo(message, 0);
                await server.ReadExactlyAsync(message.AsMemory(5), cut);
                if (header[0] == (byte)'C' && IsCommit(message.AsSpan(5)) && TakeArmed())
                {
                    Interlocked.Increment(ref _dropped);
                    return;
                }

                await queue.Writer.WriteAsync((message, Environment.TickCount64 + (long)Latency.TotalMilliseconds), cut);
            }
        }
        finally
        {
            queue.Writer.TryComplete();
        }

        await passing;
    }

    private static async Task PassOn(ChannelReader<(byte[] Message, long Due)> queue, NetworkStream client, CancellationToken cut)
    {
        await foreach (var (message, due) in queue.ReadAllAsync(cut))
        {
            var wait = due - Environment.TickCount64;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait), cut);
            }

            await client.WriteAsync(message, cut);
        }
    }

    private bool TakeArmed()
    {
        while (true)
        {
            var armed = Volatile.Read(ref _armed);
            if (armed == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _armed, armed - 1, armed) == armed)
            {
                return true;
            }
        }
    }

    private static bool IsCommit(ReadOnlySpan<byte> body) => Encoding.ASCII.GetString(body).TrimEnd('\0') == "COMMIT";
}
