using MarginGrid.Grains;
using MarginGrid.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
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

    /// <summary>
    /// The silo as the product composes it (<c>AddGridSilo</c>, <c>AddGridApi</c>, <c>MapGridApi</c>: the same
    /// endpoints, auth and Orleans dashboard), listening on a free loopback port, with one reader key. Metrics
    /// and tracing are left out, as in the plain host. Returns the host and the API's base address.
    /// </summary>
    public static async Task<(WebApplication Host, Uri Api)> StartWithApi(LoadTestOptions options, string readerKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(readerKey);

        // Arguments and appsettings of the load test's own command line are not the silo's: start from none.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = options.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = options.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:Mode"] = "embedded",
            ["Auth:ApiKeys:0:Key"] = readerKey,
            ["Auth:ApiKeys:0:Role"] = "reader",

            // Every SSE subscriber of the run shares the one reader key: the per-key cap is the silo's here.
            ["Api:Limits:MaxStreamsPerKey"] = "2000",

            // The silo's appsettings log the grid at Information; the load test keeps everything at Warning.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MarginGrid"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGridSilo();
        builder.AddGridApi();
        var app = builder.Build();
        app.MapGridApi();
        await app.StartAsync();

        // Port 0: Kestrel chose a free port; the bound address is known once it has started.
        var address = app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("The API did not report the address it listens on.");
        return (app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }
}
