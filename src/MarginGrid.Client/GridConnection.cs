using MarginGrid.Abstractions.Common;
using Microsoft.Extensions.Hosting;

namespace MarginGrid.Client;

/// <summary>
/// A connected Orleans client of a MarginGrid cluster, for in-cluster services (a matching engine, a
/// transfer service) and operators: the same grain methods the HTTP API calls.
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
    public static async Task<GridConnection> Connect(int gatewayPort = 30000, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGridExceptions();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new GridConnection(host);
    }

    /// <summary>Connects to a durable cluster through its Redis membership table (any live gateway).</summary>
    public static async Task<GridConnection> ConnectDurable(string redis, string clusterId = "margingrid", string serviceId = "margingrid", CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGridExceptions();
        builder.UseOrleansClient(client => client
            .Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId))
            .UseRedisClustering(redis));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new GridConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
