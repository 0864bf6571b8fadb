using MarginGrid.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarginGrid.LoadTest;

/// <summary>One silo on the embedded default, in this process, with the grid's grains and the load test's probe grain.</summary>
public static class LoadTestHost
{
    public static async Task<IHost> Start(LoadTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // Orleans warns of every slow turn under this load; the summary reports what matters.
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(options.SiloPort, options.GatewayPort)
            .AddMarginGrid());
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
