using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Silo.Demo;

public static class DemoSetup
{
    /// <summary>Seeds markets and accounts and drives prices, so liquidations happen within a minute.</summary>
    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The demo redefines markets and shocks prices: never against a real (durable) cluster.
        if (Hosting.ClusterSettings.From(builder.Configuration).IsDurable)
        {
            throw new InvalidOperationException("--demo runs only on the embedded default (Cluster:Mode=embedded); this silo is configured with Cluster:Mode=durable.");
        }

        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        // The console summary reads this silo's counters through a listener, as an exporter would.
        builder.Services.AddSingleton(sp => new GridTotals(sp.GetRequiredService<GridMetrics>()));
        builder.Services.AddHostedService<DemoDriver>();

        // Liquidations fill a little worse than the mark, so that losses past bankruptcy reach the fund and ADL.
        builder.Configuration["Grid:ExecutorSlippageBps"] ??= "40";
        return builder;
    }
}
