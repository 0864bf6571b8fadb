using MarginGrid.ClusterTls;
using MarginGrid.Silo.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MarginGrid.Silo.Hosting;

/// <summary>Says plainly at start-up what this process is: where it listens, its keys if generated, and that nothing is durable.</summary>
public sealed class StartupReport(IServer server, ApiKeyRegistry keys, ClusterSettings cluster, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var tls = ClusterTlsSettings.From(configuration);
        if (cluster.IsDurable && tls.Disabled)
        {
            logger.LogCritical("{Setting}=true: this DURABLE silo's silo and gateway ports run WITHOUT TLS. ANYONE WHO REACHES THEM CAN CALL EVERY GRAIN (withdrawals included) without a key. Use only on a network nothing else can reach.",
                $"{ClusterTlsSettings.Section}:Disabled");
        }
        else if (tls.IsConfigured)
        {
            logger.LogInformation("Silo and gateway ports use mutual TLS: peers must present a certificate from the cluster's CA ({CaPath}).", tls.CaPath);
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            var urls = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (cluster.IsDurable)
            {
                logger.LogInformation("MarginGrid silo of a DURABLE cluster: ledger in PostgreSQL, membership, grain state and reminders on Redis.");
            }
            else
            {
                logger.LogWarning("MarginGrid runs on the EMBEDDED DEFAULT: one silo, in-memory storage. NOTHING IS DURABLE: every balance is lost when this process stops.");
            }

            foreach (var url in urls)
            {
                logger.LogInformation("HTTP API at {Url} (OpenAPI: {Url}/openapi/v1.json, health: {Url}/healthz, metrics: {Url}/metrics)", url, url, url, url);
            }

            if (keys.Generated)
            {
                logger.LogInformation("Generated API keys for this run. Admin: {Admin}  Reader: {Reader}  (send as header X-Api-Key)",
                    keys.KeyFor(GridRoles.Admin), keys.KeyFor(GridRoles.Reader));
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
