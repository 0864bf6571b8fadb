using System.Text.Json.Serialization;

namespace MarginGrid.LoadTest;

/// <summary>The run's figures: what <c>--json</c> writes, one object.</summary>
public sealed record LoadTestReport
{
    public required int Accounts { get; init; }
    public required int Markets { get; init; }
    public required int Positions { get; init; }
    public required int NearBreachAccounts { get; init; }
    public required decimal TickHz { get; init; }
    public required int DurationSeconds { get; init; }
    public required int Seed { get; init; }
    public required long Ticks { get; init; }
    public required long Shocks { get; init; }
    public required long FundingRounds { get; init; }
    public required long Deliveries { get; init; }
    public required long Skipped { get; init; }
    public required long Conflated { get; init; }
    public required LatencySummary TickToMarginMs { get; init; }
    public required LatencySummary BreachToLiquidationMs { get; init; }
    public required long Liquidations { get; init; }
    public required LiquidationSteps LiquidationSteps { get; init; }
    public required long Deficits { get; init; }
    public required int MissedBreaches { get; init; }
    public required IReadOnlyList<AuditResult> Audits { get; init; }
    public required long SafetySweepChecked { get; init; }
    public required long SafetySweepFound { get; init; }
    public required double CpuSeconds { get; init; }
    public required double AuditCpuSeconds { get; init; }
    public required double GridCpuPerSecond { get; init; }
    /// <summary>The process's peak working set up to the end of the measured run (before the final audit).</summary>
    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>The peak including the final audit and the floor, which hold every account's positions in the harness.</summary>
    public required long ProcessPeakWorkingSetBytes { get; init; }

    /// <summary>
    /// Durable: each silo process's peak resident set up to the end of the measured run (the grid's memory; the
    /// fields above are the load test's own process). Empty for the embedded silo, which is this process.
    /// </summary>
    public required IReadOnlyList<long> SiloPeakWorkingSetBytes { get; init; }

    /// <summary>Bytes reachable after a full collection once every account was open.</summary>
    public required long LiveHeapBytes { get; init; }

    /// <summary>Collections and pause time during the measured run: at a million accounts the heap is most of the story.</summary>
    public required GcActivity GcDuringRun { get; init; }
    public required double ActivationSeconds { get; init; }
    public required double SweepNsPerAccount { get; init; }
    public required double SweepCpuPerSecond { get; init; }
    public required double GridCpuOverSweep { get; init; }
    public required double OneWayCeilingPerSecond { get; init; }

    /// <summary><c>--readers</c>: live margin reads a second asked for (0: the API was not measured by reads).</summary>
    public required int Readers { get; init; }

    /// <summary><c>--sse</c>: SSE subscribers asked for.</summary>
    public required int Sse { get; init; }

    /// <summary><c>--what-if</c>: what-if calls a second asked for.</summary>
    public required int WhatIf { get; init; }

    /// <summary><c>GET /v1/accounts/{id}/margin</c>, from each read's intended send time to its whole answer (200 only).</summary>
    public required LatencySummary LiveReadMs { get; init; }

    /// <summary>Reads answered 200.</summary>
    public required long LiveReads { get; init; }

    /// <summary>Reads answered otherwise, failed or timed out.</summary>
    public required long LiveReadErrors { get; init; }

    /// <summary>Reads not sent because 256 were in flight.</summary>
    public required long LiveReadsNotSent { get; init; }

    /// <summary>Reads in which a position was valued at a mark older than one accepted more than a tick interval before the read began. 0 when healthy.</summary>
    public required long StaleMarkReads { get; init; }

    /// <summary>Positions in reads that a mark accepted more than a tick interval before the read could be compared with.</summary>
    public required long StaleCheckedPositions { get; init; }

    /// <summary>From a mark's acceptance (AcceptMark returned) to the first SSE frame on a subscriber carrying it or a newer one.</summary>
    public required LatencySummary SseLagMs { get; init; }

    /// <summary><c>margin</c> frames received by every subscriber.</summary>
    public required long SseFrames { get; init; }

    /// <summary>Subscribers whose stream was answered 200.</summary>
    public required long SseSubscribers { get; init; }

    /// <summary>Subscriptions refused, or streams that ended before the run did.</summary>
    public required long SseErrors { get; init; }

    /// <summary>What-if calls answered 200 with a hypothetical view, per second of the run.</summary>
    public required double WhatIfPerSecond { get; init; }

    /// <summary>What-if calls, from the intended send time to the whole answer (200 only).</summary>
    public required LatencySummary WhatIfMs { get; init; }

    /// <summary>What-if calls answered 200 with a hypothetical view.</summary>
    public required long WhatIfCalls { get; init; }

    /// <summary>What-if calls answered otherwise (a 404 where the route does not exist), failed or timed out.</summary>
    public required long WhatIfErrors { get; init; }

    /// <summary>What-if calls not sent because 256 were in flight.</summary>
    public required long WhatIfNotSent { get; init; }
    public required MachineFacts Machine { get; init; }

    /// <summary><c>embedded</c> (one silo in the harness's process) or <c>durable</c> (silo processes, PostgreSQL ledger, Redis).</summary>
    public required string Cluster { get; init; }

    /// <summary>Silo processes of the durable cluster (1 embedded).</summary>
    public required int Silos { get; init; }

    /// <summary>
    /// Where tick→margin and breach→first action were timed: <c>harness</c> (the embedded silo's in-process probes, from the
    /// mark's intended send time) or <c>silo-histograms</c> (the silos' own Prometheus histograms, read before and after the
    /// run; a percentile is its bucket's upper bound).
    /// </summary>
    public required string LatencySource { get; init; }

    /// <summary><c>--fills-per-second</c>: fills a second asked for (two commands each).</summary>
    public required int FillsPerSecondAsked { get; init; }

    /// <summary><c>--crash</c>: how far every market fell within the crash window, in percent.</summary>
    public required decimal CrashPercent { get; init; }

    /// <summary><c>--crash-seconds</c>: how long the fall took (the crash window), in seconds.</summary>
    public required double CrashSeconds { get; init; }

    /// <summary>Money commands (fill legs) acknowledged per second of the measured run.</summary>
    public required double CommandsPerSecond { get; init; }

    /// <summary>A leg's intended send time to its acknowledgement, resends included.</summary>
    public required LatencySummary CommandLatencyMs { get; init; }

    /// <summary>The longest funding round of the run (see <see cref="FundingRoundsSeconds"/>); 0 without one.</summary>
    public required double FundingRoundSeconds { get; init; }

    /// <summary>Each round: from its first settlement call to the last call's answer (every market's round settled as the grid defines it).</summary>
    public required IReadOnlyList<double> FundingRoundsSeconds { get; init; }

    /// <summary>Settlement calls that outlasted their timeout (their rounds are not in <see cref="FundingRoundsSeconds"/>).</summary>
    public required long SlowFundingCalls { get; init; }

    /// <summary>Liquidation steps (partial, full, adl) per second in the run's busiest 10 s window.</summary>
    public required double LiquidationsPerSecond { get; init; }

    /// <summary>
    /// The cascade's shape: liquidation steps done so far, sampled about once a second from the start of the measured
    /// run, as [seconds, cumulative steps]; empty when the silos' counters were not read.
    /// </summary>
    public required IReadOnlyList<double[]> LiquidationStepTimeline { get; init; }

    /// <summary>A breach to its coordinator taking it on, the first liquidation action (see <see cref="LatencySource"/>).</summary>
    public required LatencySummary BreachToFirstActionMs { get; init; }

    public required ReconciliationSummary Reconciliation { get; init; }

    /// <summary>Acknowledged commands that the ledger does not hold (the worse of the ledger API and PostgreSQL's rows).</summary>
    public required int LostCommands { get; init; }

    /// <summary>Commands the ledger holds more than once (the worse of the two sources).</summary>
    public required int DuplicatedCommands { get; init; }

    public required CommandFigures Commands { get; init; }
}

/// <summary>Liquidation steps by kind.</summary>
public sealed record LiquidationSteps(long Partial, long Full, long Adl);

/// <summary>Where the run ran.</summary>
public sealed record MachineFacts(
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("gc")] string Gc);
