using MarginGrid.Grains.Infrastructure;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MarginGrid.Silo.Hosting;

/// <summary>Metrics on <c>/metrics</c> in the Prometheus format: the grid's own meter and Orleans'.</summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddGridTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("margingrid-silo"))
            .WithMetrics(m => m.AddMeter(GridMetrics.MeterName, "Microsoft.Orleans").AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapGridTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint().AllowAnonymous();
        return app;
    }
}
