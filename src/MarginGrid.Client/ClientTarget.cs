using System.Globalization;

namespace MarginGrid.Client;

/// <summary>
/// Which cluster the tool reaches, read as the silos read it: a flag, else the silo's own environment variable
/// (<c>ConnectionStrings__Redis</c>, <c>Orleans__ClusterId</c>, <c>Orleans__ServiceId</c>, <c>Orleans__GatewayPort</c>),
/// so that the environment a silo runs with also points the tool at its cluster. Without a Redis connection
/// it is a localhost cluster's gateway (the embedded default).
/// </summary>
public sealed record ClientTarget(string? Redis, string ClusterId, string ServiceId, int GatewayPort, TimeSpan ConnectTimeout)
{
    public const string DefaultId = "margingrid";
    public const int DefaultGatewayPort = 30000;

    /// <summary>How long connecting may take before the tool gives up with an error (a wrong address otherwise hangs).</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Takes the target's flags out of <paramref name="args"/>; each one not given comes from <paramref name="environment"/>.</summary>
    public static (ClientTarget Target, string[] Remaining) From(string[] args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (redis, a1) = ClientCommands.Take(args, "--redis");
        var (clusterId, a2) = ClientCommands.Take(a1, "--cluster-id");
        var (serviceId, a3) = ClientCommands.Take(a2, "--service-id");
        var (gateway, a4) = ClientCommands.Take(a3, "--gateway");
        var (timeout, remaining) = ClientCommands.Take(a4, "--connect-timeout");
        gateway ??= environment("Orleans__GatewayPort");
        timeout ??= environment("MARGINGRID_CONNECT_TIMEOUT");
        var target = new ClientTarget(
            NonEmpty(redis) ?? NonEmpty(environment("ConnectionStrings__Redis")),
            NonEmpty(clusterId) ?? NonEmpty(environment("Orleans__ClusterId")) ?? DefaultId,
            NonEmpty(serviceId) ?? NonEmpty(environment("Orleans__ServiceId")) ?? DefaultId,
            gateway is null ? DefaultGatewayPort : Port(gateway),
            timeout is null ? DefaultConnectTimeout : Seconds(timeout));
        return (target, remaining);
    }

    /// <summary>The cluster in words, for messages: Redis' endpoints only, never its password or other options.</summary>
    public string Describe() => Redis is null
        ? $"the localhost cluster on gateway port {GatewayPort}"
        : $"cluster '{ClusterId}' (service '{ServiceId}') through Redis {Redis.Split(',')[0]}";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new ArgumentException($"'{text}' is not a gateway port (1-65535).");

    private static TimeSpan Seconds(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"'{text}' is not a connect timeout in whole seconds (1-3600).");
}
