using MarginGrid.Grains;
using Orleans.Dashboard;

namespace MarginGrid.Silo.Hosting;

/// <summary>The co-hosted Orleans silo: the embedded default (localhost clustering, in-process storage).</summary>
public static class SiloSetup
{
    public static WebApplicationBuilder AddGridSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var siloPort = builder.Configuration.GetValue("Orleans:SiloPort", 11111);
        var gatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", 30000);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddMarginGrid()
            .AddDashboard());
        return builder;
    }
}
