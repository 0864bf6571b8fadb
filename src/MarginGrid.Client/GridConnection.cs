using MarginGrid.Abstractions.Common;
using MarginGrid.ClusterTls;
using Microsoft.Extensions.Hosting;

namespace MarginGrid.Client;

/// <summary>
/// A connected Orleans client of a MarginGrid cluster, for in-cluster services (a matching engine, a
/// transfer service) and operators: the same grain methods the HTTP API calls. A durable cluster's gateways
/// take only mutual-TLS connections: pass the certificate settings (<see cref="ClusterTlsSettings"/>), a
/// certificate issued by the cluster's CA.
/// </summary>
public sealed class GridConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private GridConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <summary>Connects to the gateways of a localhost cluster (the embedded default listens on 30000).</summary>
    public static Task<GridConnection> Connect(int gatewayPort = 30000, ClusterTlsSettings? tls = null, CancellationToken cancellationToken = default) =>
        Start(client => client.UseLocalhostClustering(gatewayPort), tls, cancellationToken);

    /// <summary>Connects to a durable cluster through its Redis membership table (any live gateway).</summary>
    public static Task<GridConnection> ConnectDurable(string redis, string clusterId = "margingrid", string serviceId = "margingrid", ClusterTlsSettings? tls = null, CancellationToken cancellationToken = default) =>
        Start(client => client
            .Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId))
            .UseRedisClustering(redis), tls, cancellationToken);

    /// <summary>
    /// Connects to <paramref name="target"/>, giving up after its connect timeout with a
    /// <see cref="ClusterUnreachableException"/> that names the cluster, instead of retrying without end.
    /// </summary>
    public static async Task<GridConnection> Connect(ClientTarget target, ClusterTlsSettings? tls = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(target.ConnectTimeout);
        var connecting = target.Redis is null
            ? Connect(target.GatewayPort, tls, timeout.Token)
            : ConnectDurable(target.Redis, target.ClusterId, target.ServiceId, tls, timeout.Token);
        try
        {
            // WaitAsync too: a connection attempt that ignores the token must not hold the tool.
            return await connecting.WaitAsync(target.ConnectTimeout, cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is not ClusterUnreachableException)
        {
            var why = error is OperationCanceledException or TimeoutException ? $"no gateway answered within {target.ConnectTimeout.TotalSeconds:0} s" : error.Message;
            throw new ClusterUnreachableException($"Could not reach {target.Describe()}: {why}.", error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static async Task<GridConnection> Start(Action<IClientBuilder> clustering, ClusterTlsSettings? tls, CancellationToken cancellationToken)
    {
        // Loaded before anything connects, so that a wrong path or a foreign certificate is named at once.
        var certificates = tls is { IsConfigured: true } ? ClusterCertificates.Load(tls) : null;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A cluster that cannot be reached is reported once, with its cause (ClusterUnreachableException); the
        // client's per-attempt connection warnings and the host's start-up failure would repeat it as stack traces.
        builder.Logging.AddFilter("Orleans.Runtime.Messaging.ConnectionManager", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddGridExceptions();
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            if (certificates is not null)
            {
                client.UseClusterTls(certificates);
            }
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new GridConnection(host);
    }
}
