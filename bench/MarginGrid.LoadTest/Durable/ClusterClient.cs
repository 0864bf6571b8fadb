using MarginGrid.Abstractions.Common;
using MarginGrid.ClusterTls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarginGrid.LoadTest.Durable;

/// <summary>An Orleans client of the durable cluster: gateways found in the Redis membership table, mutual TLS.</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public static async Task<ClusterClient> Connect(string redis, string clusterId, ClusterTlsSettings tls, TimeSpan within)
    {
        var certificates = ClusterCertificates.Load(tls);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.Services.AddGridExceptions();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.UseOrleansClient(client => client
            .Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "margingrid"))
            // The reconciliation of a whole ledger after the run outlasts Orleans' default 30 s on a busy machine; the
            // trading's calls resend on a timeout, so a longer one only means fewer unknown outcomes.
            .Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(3))
            .UseRedisClustering(redis)
            .UseClusterTls(certificates));
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(within);
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
