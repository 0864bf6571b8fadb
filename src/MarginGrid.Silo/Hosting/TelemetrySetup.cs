using System.Diagnostics.Metrics;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Silo.Auth;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MarginGrid.Silo.Hosting;

/// <summary>
/// Metrics on <c>/metrics</c> in the Prometheus format (the grid's own meter and Orleans'), tracing of the
/// liquidation path, and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OTLP export of both, configured by
/// the standard <c>OTEL_*</c> environment variables. The resource carries the version and build, so
/// Prometheus' <c>target_info</c> shows which build each silo runs.
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "margingrid-silo";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Orleans' directory cache size gauge, not exported (see <see cref="AddGridTelemetry"/>).</summary>
    public const string DirectoryCacheSize = "orleans-directory-cache-size";

    public static WebApplicationBuilder AddGridTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(ServiceName, serviceVersion: GridBuild.Version, autoGenerateServiceInstanceId: true)
                .AddAttributes([new("service.build", GridBuild.Build), new("orleans.version", GridBuild.OrleansVersion)]))
            .WithMetrics(m =>
            {
                m.AddMeter(GridMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "System.Runtime").AddPrometheusExporter();

                // Orleans counts its directory cache by walking it on every collection: 3.3 % of a silo's CPU in a
                // crash cascade scraped once a second (perf, 20k accounts). The activation count says as much.
                m.AddView(DirectoryCacheSize, MetricStreamConfiguration.Drop);
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            })

            // The liquidation path is always traced, so each liquidation record keeps a trace id. Orleans' own calls
            // only when an OTLP exporter follows them across grains: a listener makes every grain call start an
            // activity and carry its context, with nowhere to send it (the diagnostics library's 2 % of a silo's
            // CPU in a crash cascade, measured).
            .WithTracing(t =>
            {
                t.AddSource(GridTracing.SourceName);
                if (otlp)
                {
                    t.AddSource("Microsoft.Orleans.Application");
                    t.AddOtlpExporter();
                }
            });
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
