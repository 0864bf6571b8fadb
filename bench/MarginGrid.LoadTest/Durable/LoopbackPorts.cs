using System.Net;
using System.Net.Sockets;

namespace MarginGrid.LoadTest.Durable;

/// <summary>Free loopback ports, asked of the OS one at a time.</summary>
public static class LoopbackPorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
