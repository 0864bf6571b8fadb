using System.Globalization;
using System.Text.Json;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// The Orleans membership table of a durable cluster as Redis clustering stores it: one hash,
/// <c>{ServiceId}/members/{ClusterId}</c>, with a field per silo (its address, <c>S127.0.0.1:port:generation</c>)
/// holding the entry as JSON, and a <c>Version</c> field.
/// </summary>
public static class MembershipRows
{
    /// <summary>Orleans' SiloStatus.Active, as the JSON entry carries it (a number).</summary>
    public const int Active = 3;

    public static string Key(string clusterId) => $"margingrid/members/{clusterId}";

    /// <summary>Every silo row: its silo port and status.</summary>
    public static IReadOnlyList<(int SiloPort, int Status)> Read(RedisServer redis, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var lines = redis.Cli("HGETALL", Key(clusterId)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = new List<(int, int)>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            if (lines[i] == "Version")
            {
                continue;
            }

            var port = int.Parse(lines[i].Split(':')[1], CultureInfo.InvariantCulture);
            using var entry = JsonDocument.Parse(lines[i + 1]);
            rows.Add((port, entry.RootElement.GetProperty("Status").GetInt32()));
        }

        return rows;
    }
}
