using System.Net;
using System.Net.Sockets;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>Loopback ports nothing listens on now, so that clusters of several tests never collide.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
