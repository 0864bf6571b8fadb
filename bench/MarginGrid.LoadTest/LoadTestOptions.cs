using System.Globalization;

namespace MarginGrid.LoadTest;

/// <summary>
/// The command line: <c>--accounts N --markets M --tick-hz H --duration S --seed X --json FILE</c>, and the
/// clients of the HTTP API measured during the run: <c>--readers R</c> (margin reads a second), <c>--sse S</c>
/// (SSE subscribers) and <c>--what-if W</c> (what-if calls a second).
/// </summary>
public sealed record LoadTestOptions(
    int Accounts, int Markets, decimal TickHz, int DurationSeconds, int Seed, string? JsonPath,
    int ShockEverySeconds, int FundingEverySeconds, int SiloPort, int GatewayPort, int MidRunAudits,
    int ReadersPerSecond, int SseSubscribers, int WhatIfPerSecond)
{
    /// <summary>Whether the run hosts the real HTTP API on loopback and measures clients of it.</summary>
    public bool MeasuresApi => ReadersPerSecond > 0 || SseSubscribers > 0 || WhatIfPerSecond > 0;

    public static LoadTestOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs; '{args[i]}' has no value.");
            }

            values[args[i][2..]] = args[++i];
        }

        int Int(string name, int fallback, int min) =>
            values.Remove(name, out var v) ? Check(name, int.Parse(v, CultureInfo.InvariantCulture), min) : fallback;

        var options = new LoadTestOptions(
            Accounts: Int("accounts", 10_000, 1),
            Markets: Int("markets", 50, 1),
            TickHz: values.Remove("tick-hz", out var hz) ? decimal.Parse(hz, CultureInfo.InvariantCulture) : 1m,
            DurationSeconds: Int("duration", 60, 1),
            Seed: Int("seed", 1, int.MinValue),
            JsonPath: values.Remove("json", out var json) ? json : null,
            ShockEverySeconds: Int("shock-every", 60, 1),
            FundingEverySeconds: Int("funding-every", 150, 1),
            SiloPort: Int("silo-port", 11411, 1),
            GatewayPort: Int("gateway-port", 30400, 1),
            MidRunAudits: Int("audits", 2, 0),
            ReadersPerSecond: Int("readers", 0, 0),
            SseSubscribers: Int("sse", 0, 0),
            WhatIfPerSecond: Int("what-if", 0, 0));
        if (options.TickHz <= 0m || options.TickHz > 100m)
        {
            throw new ArgumentException("--tick-hz must be in (0, 100].");
        }

        return values.Count == 0 ? options : throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}.");
    }

    private static int Check(string name, int value, int min) =>
        value >= min ? value : throw new ArgumentException($"--{name} must be at least {min} (was {value}).");
}
