using System.Net;
using System.Net.Sockets;
using MarginGrid.Durable;
using MarginGrid.Grains;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace MarginGrid.Silo.Hosting;

/// <summary>
/// The co-hosted Orleans silo: the embedded default (localhost clustering, in-process storage) or, with
/// <c>Cluster:Mode=durable</c>, a member of a durable cluster (Redis membership, PostgreSQL ledger).
/// </summary>
public static class SiloSetup
{
    public static WebApplicationBuilder AddGridSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var cluster = ClusterSettings.From(configuration);
        var siloPort = configuration.GetValue("Orleans:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("Orleans:GatewayPort", 30000);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(cluster.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton(cluster);
        builder.UseOrleans(silo =>
        {
            if (cluster.IsDurable)
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = configuration.GetValue("Orleans:ClusterId", "margingrid")!;
                    o.ServiceId = configuration.GetValue("Orleans:ServiceId", "margingrid")!;
                });
                silo.ConfigureEndpoints(AdvertisedAddress(configuration), siloPort, gatewayPort, listenOnAnyHostAddress: true);
                silo.AddDurableGrid(configuration);
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort).AddMarginGrid();
            }

            silo.AddDashboard();
        });
        return builder;
    }

    /// <summary>
    /// The address other silos and clients reach this one at: <c>Orleans:AdvertisedIP</c> (the pod IP in
    /// Kubernetes, 127.0.0.1 for a loopback cluster), else this host's first IPv4 address.
    /// </summary>
    private static IPAddress AdvertisedAddress(IConfiguration configuration)
    {
        if (configuration["Orleans:AdvertisedIP"] is { Length: > 0 } configured)
        {
            return IPAddress.Parse(configured);
        }

        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
