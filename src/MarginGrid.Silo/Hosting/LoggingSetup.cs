using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Logging.Console;

namespace MarginGrid.Silo.Hosting;

/// <summary>
/// Logs to standard output with UTC timestamps, one line per entry, at the levels of <c>appsettings.json</c>
/// (Warning by default), or as JSON lines with <c>Logging:Format=json</c> (<c>Logging__Format=json</c>).
/// <c>appsettings.json</c> is read from the application's own folder, not the working directory, so a silo
/// started from anywhere (a script, a service manager) logs the same.
/// </summary>
public static class LoggingSetup
{
    public const string FormatKey = "Logging:Format";

    public static WebApplicationBuilder AddGridLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ReadSettingsFromAppFolder(builder.Configuration);
        var format = builder.Configuration[FormatKey] ?? "text";
        switch (format)
        {
            case "json":
                builder.Logging.AddJsonConsole(o =>
                {
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.UseUtcTimestamp = true;
                });
                break;
            case "text":
                builder.Logging.AddSimpleConsole(o =>
                {
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.UseUtcTimestamp = true;
                    o.SingleLine = true;
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                });
                break;
            default:
                throw new InvalidOperationException($"{FormatKey} is 'text' or 'json' (was '{format}').");
        }

        return builder;
    }

    /// <summary>
    /// Points the <c>appsettings*.json</c> sources at the application's folder, keeping their place among the
    /// sources (environment variables and arguments still win over them).
    /// </summary>
    private static void ReadSettingsFromAppFolder(ConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } path } json
                && !System.IO.Path.IsPathRooted(path)
                && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                var pinned = new JsonConfigurationSource
                {
                    Path = System.IO.Path.Combine(AppContext.BaseDirectory, path),
                    Optional = json.Optional,
                    ReloadOnChange = json.ReloadOnChange,
                };
                pinned.ResolveFileProvider();
                sources[i] = pinned;
            }
        }
    }
}
