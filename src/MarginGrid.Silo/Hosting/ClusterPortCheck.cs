using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MarginGrid.Silo.Hosting;

/// <summary>
/// Refuses to start an embedded silo on a silo or gateway port that another process already listens on.
/// Orleans' listener lets a second process bind the same loopback port, so two embedded silos would share
/// 11111 and 30000 and a client could reach either one. A connection attempt sees any listener, whatever
/// socket options it used, and is not fooled by connections still closing on that port.
/// </summary>
public static class ClusterPortCheck
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public static void EnsureFree(IPAddress address, int port, string setting)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IsListening(address, port))
        {
            return;
        }

        var variable = setting.Replace(":", "__", StringComparison.Ordinal);
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"Port {port} on {address} ({setting}) is already in use, probably by another MarginGrid silo on this machine. " +
            $"A second silo on the same port would share it, and clients could reach either one. Stop the other silo, or give this one " +
            $"free ports: --{setting}={port + 1} (environment: {variable}={port + 1}), and likewise Orleans:SiloPort/Orleans:GatewayPort."));
    }

    private static bool IsListening(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            // Nothing answered on loopback in time: no listener that a client could reach either.
            return false;
        }
    }
}
