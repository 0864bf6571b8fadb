using System.Net;
using System.Net.Sockets;

namespace MarginGrid.Tests.Shared;

/// <summary>
/// Loopback ports nothing listens on now, so that clusters of several tests never collide. They come from
/// below Linux's ephemeral range (32768 and up): a port the OS hands out as "free" (port 0) is also what the
/// next outgoing connection may take as its source port before the silo binds it: the likely cause of a silo
/// exiting with "address already in use" in one fresh-clone CI run. Orleans' own test clusters use ports below 30000, and
/// the tests that start an in-process silo take theirs from here too.
/// </summary>
internal static class FreePorts
{
    private const int First = 31_000;
    private const int Last = 32_700;
    private static readonly Lock Gate = new();
    private static int _next = First + Random.Shared.Next(Last - First);

    public static int Next()
    {
        lock (Gate)
        {
            for (var tried = 0; tried <= Last - First; tried++)
            {
                var port = _next;
                _next = _next >= Last ? First : _next + 1;
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port in {First}-{Last}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
