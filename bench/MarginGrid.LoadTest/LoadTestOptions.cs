using System.Globalization;

namespace MarginGrid.LoadTest;

/// <summary>
/// The command line: <c>--accounts N --markets M --tick-hz H --duration S --seed X --json FILE</c>; the clients of the
/// HTTP API measured during the run: <c>--readers R</c> (margin reads a second), <c>--sse S</c> (SSE subscribers) and
/// <c>--what-if W</c> (what-if calls a second); where the grid runs: <c>--cluster embedded|durable</c>, with
/// <c>--silos N</c> silo processes and optionally <c>--ledger CONN --redis CONN</c> to attach to running servers; and
/// the trading: <c>--fills-per-second F</c> and <c>--crash P</c> (every market falls P% within 60 s, or
/// <c>--crash-seconds S</c>).
/// </summary>
public sealed record LoadTestOptions(
    int Accounts, int Markets, decimal TickHz, int DurationSeconds, int Seed, string? JsonPath,
    int ShockEverySeconds, int FundingEverySeconds, int SiloPort, int GatewayPort, int MidRunAudits,
    int ReadersPerSecond, int SseSubscribers, int WhatIfPerSecond)
{
    /// <summary>Whether the run hosts the real HTTP API on loopback and measures clients of it.</summary>
    public bool MeasuresApi => ReadersPerSecond > 0 || SseSubscribers > 0 || WhatIfPerSecond > 0;

    /// <summary><c>embedded</c> (one silo in this process) or <c>durable</c> (silo processes on PostgreSQL and Redis).</summary>
    public string Cluster { get; init; } = "embedded";

    public bool IsDurable => Cluster == "durable";

    /// <summary>Silo processes of the durable cluster.</summary>
    public int Silos { get; init; } = 1;

    /// <summary>A running PostgreSQL ledger to attach to (durable only); null: the run starts its own.</summary>
    public string? Ledger { get; init; }

    /// <summary>A running Redis to attach to (durable only); null: the run starts its own.</summary>
    public string? Redis { get; init; }

    /// <summary>Fills a second between random pairs of accounts (each fill is two commands, one per leg).</summary>
    public int FillsPerSecond { get; init; }

    /// <summary>How far every market falls within 60 s from the start of the measured run, in percent (0: no crash).</summary>
    public decimal CrashPercent { get; init; }

    /// <summary>
    /// Seconds the crash takes (<c>--crash-seconds</c>, 60 by default: the issue's scenario). A shorter fall makes the
    /// breaches arrive faster than the cascade can take them, so its step rate is a capacity, not the arrival rate.
    /// </summary>
    public int CrashSeconds { get; init; } = 60;

    /// <summary>How long the crash takes: <see cref="CrashSeconds"/>, or the whole run when it is shorter.</summary>
    public TimeSpan CrashWindow => TimeSpan.FromSeconds(Math.Min(CrashSeconds, DurationSeconds));

    public static LoadTestOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
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
            values.Remove(name, out var v) ? Check(name, ParseInt(name, v), min) : fallback;

        var options = new LoadTestOptions(
            Accounts: Int("accounts", 10_000, 1),
            Markets: Int("markets", 50, 1),
            TickHz: values.Remove("tick-hz", out var hz) ? ParseDecimal("tick-hz", hz) : 1m,
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
            WhatIfPerSecond: Int("what-if", 0, 0))
        {
            Cluster = values.Remove("cluster", out var cluster) ? cluster : "embedded",
            Silos = Int("silos", 1, 1),
            Ledger = values.Remove("ledger", out var ledger) ? ledger : null,
            Redis = values.Remove("redis", out var redis) ? redis : null,
            FillsPerSecond = Int("fills-per-second", 0, 0),
            CrashPercent = values.Remove("crash", out var crash) ? ParseDecimal("crash", crash) : 0m,
            CrashSeconds = Int("crash-seconds", 60, 1),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}.");
        }

        if (options.TickHz <= 0m || options.TickHz > 100m)
        {
            throw new ArgumentException("--tick-hz must be in (0, 100].");
        }

        if (options.Cluster is not ("embedded" or "durable"))
        {
            throw new ArgumentException($"--cluster is 'embedded' or 'durable' (was '{options.Cluster}').");
        }

        if (!options.IsDurable && (options.Silos != 1 || options.Ledger is not null || options.Redis is not null))
        {
            throw new ArgumentException("--silos, --ledger and --redis need --cluster durable.");
        }

        if ((options.Ledger is null) != (options.Redis is null))
        {
            throw new ArgumentException("--ledger and --redis go together: attach to both running servers, or to neither (the run starts its own).");
        }

        if (options.IsDurable && options.MeasuresApi)
        {
            throw new ArgumentException("--readers, --sse and --what-if measure the embedded silo's API; the durable cluster is measured without them.");
        }

        if (options.CrashPercent < 0m || options.CrashPercent >= 100m)
        {
            throw new ArgumentException($"--crash is a fall in percent, in [0, 100) (was {options.CrashPercent.ToString(CultureInfo.InvariantCulture)}).");
        }

        return options;
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ArgumentException($"--{name} takes a whole number (was '{value}').");

    private static decimal ParseDecimal(string name, string value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ArgumentException($"--{name} takes a number (was '{value}').");

    private static int Check(string name, int value, int min) =>
        value >= min ? value : throw new ArgumentException($"--{name} must be at least {min} (was {value}).");
}
