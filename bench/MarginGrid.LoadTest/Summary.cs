namespace MarginGrid.LoadTest;

/// <summary>The human summary at the end of a run.</summary>
public static class Summary
{
    public static void Print(LoadTestReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var skippedShare = r.Deliveries + r.Skipped == 0 ? 0 : 100.0 * r.Skipped / (r.Deliveries + r.Skipped);
        Console.WriteLine();
        Console.WriteLine($"accounts {r.Accounts:N0} ({r.NearBreachAccounts:N0} near a breach), positions {r.Positions:N0}, markets {r.Markets} × {r.TickHz} Hz for {r.DurationSeconds} s");
        Console.WriteLine($"activation      {r.ActivationSeconds:N1} s ({r.Accounts / Math.Max(0.001, r.ActivationSeconds):N0} accounts/s), peak working set {Gib(r.PeakWorkingSetBytes)} GiB (with the final audit {Gib(r.ProcessPeakWorkingSetBytes)} GiB), live heap {Gib(r.LiveHeapBytes)} GiB ({r.LiveHeapBytes / Math.Max(1, r.Accounts):N0} B per account)");
        if (r.SiloPeakWorkingSetBytes.Count > 0)
        {
            Console.WriteLine($"silo memory     peak working set {string.Join(", ", r.SiloPeakWorkingSetBytes.Select(b => Gib(b)))} GiB ({Gib(r.SiloPeakWorkingSetBytes.Sum())} GiB in all, each silo's own start-up included)");
        }

        Console.WriteLine($"ticks           {r.Ticks:N0} ({r.Shocks} shocks, {r.FundingRounds} funding rounds)");
        Console.WriteLine($"fan-out         {r.Deliveries:N0} delivered, {r.Skipped:N0} skipped by bands ({skippedShare:N2}%), {r.Conflated:N0} conflated");
        Console.WriteLine($"tick→margin     p50 {r.TickToMarginMs.P50:N1} ms  p99 {r.TickToMarginMs.P99:N1} ms  max {r.TickToMarginMs.Max:N1} ms  ({r.TickToMarginMs.Count:N0} ticks)");
        Console.WriteLine($"breach→liq.     p50 {r.BreachToLiquidationMs.P50:N1} ms  p99 {r.BreachToLiquidationMs.P99:N1} ms  max {r.BreachToLiquidationMs.Max:N1} ms  ({r.BreachToLiquidationMs.Count:N0} breaches)");
        Console.WriteLine($"liquidations    {r.Liquidations:N0} (steps: partial {r.LiquidationSteps.Partial:N0}, full {r.LiquidationSteps.Full:N0}, adl {r.LiquidationSteps.Adl:N0}), deficits {r.Deficits}");
        Console.WriteLine($"missed breaches {r.MissedBreaches} over {r.Audits.Count} audits of every account ({r.Audits.Sum(a => a.Unknown)} unknown: no answer within the call timeout); safety sweep re-checked {r.SafetySweepChecked:N0}, band promises broken {r.SafetySweepFound}");
        Console.WriteLine($"cpu             {r.CpuSeconds:N1} s in the run ({r.AuditCpuSeconds:N1} s during audits); grid {r.GridCpuPerSecond:N3} cpu-s per s");
        Console.WriteLine($"gc              {r.GcDuringRun.Gen0:N0} gen0, {r.GcDuringRun.Gen1:N0} gen1, {r.GcDuringRun.Gen2:N0} gen2 collections in the run; paused {r.GcDuringRun.PauseSeconds:N1} s");
        if (r.Readers > 0)
        {
            Console.WriteLine($"live reads      p50 {r.LiveReadMs.P50:N1} ms  p99 {r.LiveReadMs.P99:N1} ms  max {r.LiveReadMs.Max:N1} ms  ({r.LiveReads:N0} reads at {r.Readers}/s, {r.LiveReadErrors:N0} errors, {r.LiveReadsNotSent:N0} not sent); stale-mark reads {r.StaleMarkReads:N0} ({r.StaleCheckedPositions:N0} positions checked)");
        }

        if (r.Sse > 0)
        {
            Console.WriteLine($"sse lag         p50 {r.SseLagMs.P50:N1} ms  p99 {r.SseLagMs.P99:N1} ms  max {r.SseLagMs.Max:N1} ms  ({r.SseLagMs.Count:N0} marks; {r.SseFrames:N0} frames on {r.SseSubscribers:N0} of {r.Sse} subscribers, {r.SseErrors:N0} errors)");
        }

        if (r.WhatIf > 0)
        {
            Console.WriteLine($"what-if         p50 {r.WhatIfMs.P50:N1} ms  p99 {r.WhatIfMs.P99:N1} ms  max {r.WhatIfMs.Max:N1} ms  ({r.WhatIfPerSecond:N1}/s completed of {r.WhatIf}/s asked, {r.WhatIfErrors:N0} errors, {r.WhatIfNotSent:N0} not sent)");
        }

        Console.WriteLine($"cluster         {r.Cluster}, {r.Silos} silo(s); latencies from {r.LatencySource}; crash {r.CrashPercent}% in {r.CrashSeconds} s; liquidation steps peak {r.LiquidationsPerSecond:N1}/s (10 s window)");
        Console.WriteLine($"breach→action   p50 {r.BreachToFirstActionMs.P50:N1} ms  p99 {r.BreachToFirstActionMs.P99:N1} ms  ({r.BreachToFirstActionMs.Count:N0} breaches)");
        Console.WriteLine($"funding rounds  longest {r.FundingRoundSeconds:N3} s ({string.Join(", ", r.FundingRoundsSeconds.Select(s => s.ToString("N3", System.Globalization.CultureInfo.InvariantCulture)))}); settlement calls past their timeout {r.SlowFundingCalls}");
        if (r.FillsPerSecondAsked > 0)
        {
            Console.WriteLine($"commands        {r.CommandsPerSecond:N1}/s acknowledged ({r.FillsPerSecondAsked} fills/s asked = {2 * r.FillsPerSecondAsked}/s); p50 {r.CommandLatencyMs.P50:N1} ms  p99 {r.CommandLatencyMs.P99:N1} ms; sent {r.Commands.Sent:N0}, acknowledged {r.Commands.Acknowledged:N0}, refused {r.Commands.Refused:N0}, resent {r.Commands.Resent:N0}, not sent {r.Commands.NotSent:N0}");
            Console.WriteLine($"journal check   lost {r.LostCommands}, duplicated {r.DuplicatedCommands}; ledger API: {Describe(r.Commands.Ledger)}; PostgreSQL rows: {Describe(r.Commands.Postgres)}");
        }

        Console.WriteLine($"reconciliation  {(r.Reconciliation.Exact ? "exact" : $"{r.Reconciliation.DifferenceCount} differences: " + string.Join("; ", r.Reconciliation.Differences.Take(3)))} ({r.Reconciliation.Transactions:N0} transactions, {r.Reconciliation.Entries:N0} entries; {r.Reconciliation.FundingPayments:N0} funding payments of {r.Reconciliation.FundingRounds} rounds proved, {r.Reconciliation.FundingDue:N0} still owed unwritten)");
        Console.WriteLine($"floor & ceiling sweep {r.SweepNsPerAccount:N1} ns/account → {r.SweepCpuPerSecond:N3} cpu-s per s to re-check everyone every tick; grid/sweep {r.GridCpuOverSweep:N2}×; one-way calls {r.OneWayCeilingPerSecond:N0}/s");
    }

    private static string Describe(Trading.CommandCheckResult? c) => c is null ? "not read"
        : $"{c.Checked:N0} checked, lost {c.Lost}, duplicated {c.Duplicated}, ghosts {c.Ghosts}, unresolved {c.Unresolved}, balance mismatches {c.BalanceMismatches}{(c.Examples.Count > 0 ? " — " + c.Examples[0] : "")}";

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
}
