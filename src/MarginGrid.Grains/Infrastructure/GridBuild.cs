using System.Diagnostics;
using System.Reflection;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// What this process runs: the grid's version and build (the git commit the SDK puts after '+' in the
/// informational version, when built from a checkout), Orleans' version and when the process started.
/// </summary>
public static class GridBuild
{
    private static readonly string Informational = InformationalVersion(typeof(GridBuild).Assembly);

    public static string Version { get; } = Informational.Split('+')[0];

    public static string Build { get; } = Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : "unknown";

    public static string OrleansVersion { get; } = InformationalVersion(typeof(Grain).Assembly).Split('+')[0];

    public static DateTimeOffset StartedAt { get; } = new(Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
