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

    /// <summary>Bytes reachable after a full collection once every account was open.</summary>
    public required long LiveHeapBytes { get; init; }

    /// <summary>Collections and pause time during the measured run: at a million accounts the heap is most of the story.</summary>
    public required GcActivity GcDuringRun { get; init; }
    public required double ActivationSeconds { get; init; }
    public required double SweepNsPerAccount { get; init; }
    public required double SweepCpuPerSecond { get; init; }
    public required double GridCpuOverSweep { get; init; }
    public required double OneWayCeilingPerSecond { get; init; }
    public required MachineFacts Machine { get; init; }
}

/// <summary>Liquidation steps by kind.</summary>
public sealed record LiquidationSteps(long Partial, long Full, long Adl);

/// <summary>Where the run ran.</summary>
public sealed record MachineFacts(
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("gc")] string Gc);
