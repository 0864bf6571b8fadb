using System.Net;
using MarginGrid.Silo.Auth;

namespace MarginGrid.LoadTest;

/// <summary>HTTP clients of the loopback API, each with its own connection pool sized for what it keeps in flight.</summary>
public static class ApiClients
{
    /// <summary>A client that sends the reader key; <paramref name="timeout"/> bounds each call (infinite for SSE, which ends by cancellation).</summary>
    public static HttpClient Create(Uri api, string readerKey, int connections, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            // One connection per call in flight: HTTP/1.1 does not multiplex, and an SSE stream holds its connection.
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = api, Timeout = timeout };
        client.DefaultRequestHeaders.Add(GridRoles.Header, readerKey);
        return client;
    }
}
