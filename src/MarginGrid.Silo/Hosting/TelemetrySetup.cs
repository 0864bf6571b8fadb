using System.Diagnostics.Metrics;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Silo.Auth;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MarginGrid.Silo.Hosting;

/// <summary>Metrics on <c>/metrics</c> in the Prometheus format (the grid's own meter and Orleans'), and tracing of the liquidation path.</summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddGridTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("margingrid-silo"))
            .WithMetrics(m => m.AddMeter(GridMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "System.Runtime").AddPrometheusExporter())

            // The liquidation path and Orleans' own calls are traced, so each liquidation record keeps a trace id
            // that an exporter (OTLP, added by a deployment) can follow across grains.
            .WithTracing(t => t.AddSource(GridTracing.SourceName, "Microsoft.Orleans.Application"));
        builder.Services.ConfigureOpenTelemetryMeterProvider((IServiceProvider services, MeterProviderBuilder metrics) =>
            metrics.AddView(OwnMetersOnly(services.GetRequiredService<IMeterFactory>())));
        return builder;
    }

    /// <summary>
    /// The exporter subscribes by meter name, and names are process-wide: a meter another host's factory made
    /// (a second silo in the same process, as in tests) is dropped, so this silo's scrape shows its own counts only.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OwnMetersOnly(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is not null && !ReferenceEquals(instrument.Meter.Scope, own) ? MetricStreamConfiguration.Drop : null;

    public static WebApplication MapGridTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Anonymous for the API's key scheme; Auth:MetricsToken, when set, guards it with a scrape token instead.
        app.UseMiddleware<MetricsTokenMiddleware>();
        app.MapPrometheusScrapingEndpoint(MetricsTokenMiddleware.Path).AllowAnonymous();
        return app;
    }
}
