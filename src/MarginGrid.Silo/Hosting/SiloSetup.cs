using System.Net;
using System.Net.Sockets;
using MarginGrid.ClusterTls;
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
        if (!cluster.IsDurable)
        {
            // The embedded default listens on loopback; a second one on the same ports must not start.
            ClusterPortCheck.EnsureFree(IPAddress.Loopback, siloPort, "Orleans:SiloPort");
            ClusterPortCheck.EnsureFree(IPAddress.Loopback, gatewayPort, "Orleans:GatewayPort");
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(cluster.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton(cluster);
        var certificates = ClusterTransport(configuration, cluster);
        builder.UseOrleans(silo =>
        {
            if (certificates is not null)
            {
                silo.UseClusterTls(certificates);
            }

            if (cluster.IsDurable)
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = configuration.GetValue("Orleans:ClusterId", "margingrid")!;
                    o.ServiceId = configuration.GetValue("Orleans:ServiceId", "margingrid")!;
                });
                // Only on the advertised address (the pod IP, 127.0.0.1 locally): not on every interface of the host.
                silo.ConfigureEndpoints(AdvertisedAddress(configuration), siloPort, gatewayPort, listenOnAnyHostAddress: false);
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
    /// The certificates of the cluster's mutual TLS, or null without TLS. A durable silo refuses to start
    /// without them unless <c>Orleans:Tls:Disabled</c> says so explicitly (logged loudly by <see cref="StartupReport"/>):
    /// its silo and gateway ports would otherwise take grain calls from anyone who reaches them.
    /// </summary>
    private static ClusterCertificates? ClusterTransport(IConfiguration configuration, ClusterSettings cluster)
    {
        var tls = ClusterTlsSettings.From(configuration);
        if (tls.Disabled)
        {
            return tls.IsConfigured
                ? throw new InvalidOperationException($"{ClusterTlsSettings.Section}:Disabled is true but {ClusterTlsSettings.Section}:CertificatePath/CaPath are set too: choose one.")
                : null;
        }

        if (tls.IsConfigured)
        {
            return ClusterCertificates.Load(tls);
        }

        return cluster.IsDurable
            ? throw new InvalidOperationException(
                $"A durable silo needs mutual TLS on its silo and gateway ports: set {ClusterTlsSettings.Section}:CertificatePath (PFX, or PEM with " +
                $"{ClusterTlsSettings.Section}:KeyPath) and {ClusterTlsSettings.Section}:CaPath (environment: Orleans__Tls__CertificatePath, Orleans__Tls__CaPath), " +
                $"or, knowingly, {ClusterTlsSettings.Section}:Disabled=true.")
            : null;
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
