using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Margin;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.LoadTest;
using MarginGrid.LoadTest.Workload;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// 1. The workload and one silo on the embedded default, in this process. With --readers, --sse or --what-if, the silo
// is composed as the product composes it and serves the HTTP API on loopback; otherwise it is the plain host of the
// earlier figures.
var options = LoadTestOptions.Parse(args);
var random = new Random(options.Seed);
var markets = MarketCatalog.Create(options.Markets, random);
var readerKey = options.MeasuresApi ? ApiLoad.NewReaderKey() : null;
Uri? api = null;
IHost host;
if (readerKey is not null)
{
    (host, api) = await LoadTestHost.StartWithApi(options, readerKey);
}
else
{
    host = await LoadTestHost.Start(options);
}

using var hostLifetime = host;
var grains = host.Services.GetRequiredService<IGrainFactory>();
var progress = new Progress();
Console.WriteLine($"MarginGrid load test: {options.Accounts:N0} accounts, {options.Markets} markets × {options.TickHz} Hz, {options.DurationSeconds} s, seed {options.Seed}");
if (api is not null)
{
    Console.WriteLine($"HTTP API on {api}: {options.ReadersPerSecond} reads/s, {options.SseSubscribers} SSE subscribers, {options.WhatIfPerSecond} what-if calls/s during the run");
}

// 2. Markets, funds and accounts, through the grid's own commands (this is the activation figure).
var seeder = new Seeder(grains, progress);
await seeder.DefineMarkets(markets);
var planner = new AccountPlanner(markets, random);
var ids = new List<string>(options.Accounts);

// The markets each account holds, for the SSE subscribers and what-if calls (kept only when they run).
var held = new List<LoadMarket[]>(options.MeasuresApi ? options.Accounts : 0);
int positions = 0, near = 0;
IEnumerable<PlannedAccount> Plans()
{
    for (var i = 0; i < options.Accounts; i++)
    {
        var plan = planner.Plan(i);
        ids.Add(plan.Id);
        if (options.MeasuresApi)
        {
            held.Add([.. plan.Positions.Select(p => p.Market).Distinct()]);
        }

        positions += plan.Positions.Count;
        near += plan.NearBreach ? 1 : 0;
        yield return plan;
    }
}

// Marks keep flowing while accounts open, as on a live venue.
// The silo's counters and milestones are read through meter listeners, as an exporter reads them.
var siloMetrics = host.Services.GetRequiredService<GridMetrics>();
using var totals = new GridTotals(siloMetrics);
using var driver = new TickDriver(grains, siloMetrics, markets, options, random);
using var opened = new CancellationTokenSource();
var feed = driver.Feed(opened.Token);
var activation = await seeder.OpenAccounts(Plans(), options.Accounts);
await opened.CancelAsync();
await feed;

// 3. Warm-up: one more mark everywhere, delivered wherever a band does not hold it, and the fan-outs drained.
var warmUp = Stopwatch.StartNew();
await driver.WarmUp();
Console.WriteLine($"warm-up: one mark on every market reached every account that had to see it in {warmUp.Elapsed.TotalSeconds:N1} s");
// The grid's live heap once every account is open (a full blocking collection, outside any measured window).
var liveHeapBytes = GC.GetTotalMemory(forceFullCollection: true);
var thresholds = MarginLevelThresholds.Default;
var auditor = new BreachAuditor(grains, markets.ToDictionary(m => m.Symbol, m => m.Definition, StringComparer.Ordinal), thresholds);
var tickInterval = TimeSpan.FromSeconds(1 / (double)options.TickHz);
var auditWait = tickInterval * 2;

// 4. The measured run, with audits at random moments in its middle.
var before = GridCounters.Read(totals);
var sentBefore = driver.Sent;
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var gcBefore = GcActivity.Read();
var runClock = Stopwatch.StartNew();
driver.Measuring = true;

// The API's clients run in the measured window only, and stop by themselves at its end.
using var apiLoad = api is null ? null : new ApiLoad(api, readerKey!, driver, ids, held, options, tickInterval);
var apiRunning = apiLoad?.Run(TimeSpan.FromSeconds(options.DurationSeconds), Stopwatch.GetTimestamp(), CancellationToken.None) ?? Task.CompletedTask;
var audits = new List<AuditResult>();
var auditCpu = TimeSpan.Zero;
var auditWall = TimeSpan.Zero;
var duration = TimeSpan.FromSeconds(options.DurationSeconds);
var midRun = Enumerable.Range(0, options.MidRunAudits).Select(_ => duration * (0.2 + (random.NextDouble() * 0.6))).Order().ToList();
var auditing = Task.Run(async () =>
{
    foreach (var at in midRun)
    {
        var wait = at - runClock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = runClock.Elapsed;

        // One call at a time: the audit is an observer. At 16 in flight its calls queued ahead of the ticks'
        // fan-out and set the latency tail (100k: tick→margin p99 232 ms with two such audits, 51 ms with none).
        audits.Add(await auditor.Audit(ids, driver.Marks, auditWait, concurrency: 1));
        auditCpu += Process.GetCurrentProcess().TotalProcessorTime - cpu;
        auditWall += runClock.Elapsed - started;
    }
});
await driver.Run(duration, f => progress.Report(
    $"run {runClock.Elapsed.TotalSeconds,4:0}s ticks {driver.Sent - sentBefore:N0} deliveries {GridCounters.Read(totals).Deliveries - before.Deliveries:N0} breaches {driver.Breaches:N0}", f), CancellationToken.None);
await auditing;
var runSeconds = runClock.Elapsed.TotalSeconds;
var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
var after = GridCounters.Read(totals);
var gcDuringRun = GcActivity.Read() - gcBefore;
var ticks = driver.Sent - sentBefore;

// Reads and what-if calls still in flight finish (each within its timeout); SSE streams are closed.
await apiRunning;
apiLoad?.Dispose();
driver.Measuring = false;

// The grid's peak so far: the final audit below holds every account's holdings twice over (for the floor),
// which is the harness's memory, not the grid's.
var gridPeakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;

// 5. The final audit over every account (kept for the sweep floor), the floor, and Orleans' own ceiling.
await driver.Quiesce(TimeSpan.FromMinutes(10));
var holdings = new List<AccountHoldings>(ids.Count);
audits.Add(await auditor.Audit(ids, driver.Marks, auditWait, concurrency: 64, holdings));
var finalMarks = driver.Marks();
var floorInput = holdings.Select(h => auditor.ToDomain(h, finalMarks)).ToList();
holdings.Clear();
var sweepNs = SweepFloor.NanosecondsPerAccount(floorInput, thresholds);
floorInput.Clear();
var ceiling = await OneWayCeiling.CallsPerSecond(grains);

// The grid's rate outside the audits' windows (CPU during an audit is the audit's and the grid's together).
var gridCpuPerSecond = (cpuSeconds - auditCpu.TotalSeconds) / Math.Max(1.0, runSeconds - auditWall.TotalSeconds);
var sweepCpuPerSecond = sweepNs * options.Accounts * (double)options.TickHz / 1e9;
var report = new LoadTestReport
{
    Accounts = options.Accounts,
    Markets = options.Markets,
    Positions = positions,
    NearBreachAccounts = near,
    TickHz = options.TickHz,
    DurationSeconds = options.DurationSeconds,
    Seed = options.Seed,
    Ticks = ticks,
    Shocks = driver.Shocks,
    FundingRounds = driver.Fundings,
    Deliveries = after.Deliveries - before.Deliveries,
    Skipped = after.Skipped - before.Skipped,
    Conflated = after.Conflated - before.Conflated,
    TickToMarginMs = driver.TickToMargin.Summary(),
    BreachToLiquidationMs = driver.BreachToLiquidation.Summary(),
    Liquidations = driver.Breaches,
    LiquidationSteps = new LiquidationSteps(after.Partial - before.Partial, after.Full - before.Full, after.Adl - before.Adl),
    Deficits = after.Deficits - before.Deficits,
    MissedBreaches = audits.Sum(a => a.Missed),
    Audits = audits,
    SafetySweepChecked = after.SweepChecked - before.SweepChecked,
    SafetySweepFound = after.SweepFound - before.SweepFound,
    CpuSeconds = Math.Round(cpuSeconds, 2),
    AuditCpuSeconds = Math.Round(auditCpu.TotalSeconds, 2),
    GridCpuPerSecond = Math.Round(gridCpuPerSecond, 4),
    PeakWorkingSetBytes = gridPeakWorkingSet,
    ProcessPeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
    LiveHeapBytes = liveHeapBytes,
    GcDuringRun = gcDuringRun,
    ActivationSeconds = Math.Round(activation.TotalSeconds, 2),
    SweepNsPerAccount = Math.Round(sweepNs, 1),
    SweepCpuPerSecond = Math.Round(sweepCpuPerSecond, 4),
    GridCpuOverSweep = Math.Round(gridCpuPerSecond / sweepCpuPerSecond, 2),
    OneWayCeilingPerSecond = ceiling,
    Readers = options.ReadersPerSecond,
    Sse = options.SseSubscribers,
    WhatIf = options.WhatIfPerSecond,
    LiveReadMs = apiLoad?.Reads?.Latency.Summary() ?? LatencySummary.None,
    LiveReads = apiLoad?.Reads?.Reads ?? 0,
    LiveReadErrors = apiLoad?.Reads?.Errors ?? 0,
    LiveReadsNotSent = apiLoad?.Reads?.Pacer?.NotSent ?? 0,
    StaleMarkReads = apiLoad?.Reads?.StaleReads ?? 0,
    StaleCheckedPositions = apiLoad?.Reads?.CheckedPositions ?? 0,
    SseLagMs = apiLoad?.Sse?.Lag.Summary() ?? LatencySummary.None,
    SseFrames = apiLoad?.Sse?.Frames ?? 0,
    SseSubscribers = apiLoad?.Sse?.Connected ?? 0,
    SseErrors = apiLoad?.Sse?.Errors ?? 0,
    WhatIfPerSecond = Math.Round((apiLoad?.WhatIf?.Completed ?? 0) / (double)options.DurationSeconds, 2),
    WhatIfMs = apiLoad?.WhatIf?.Latency.Summary() ?? LatencySummary.None,
    WhatIfCalls = apiLoad?.WhatIf?.Completed ?? 0,
    WhatIfErrors = apiLoad?.WhatIf?.Errors ?? 0,
    WhatIfNotSent = apiLoad?.WhatIf?.Pacer?.NotSent ?? 0,
    Machine = new MachineFacts(Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, GCSettings.IsServerGC ? "server" : "workstation"),
};

// 6. The summary, and the JSON object.
Summary.Print(report);
if (options.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    Console.WriteLine($"wrote {path}");
}

await host.StopAsync();
return report.MissedBreaches == 0 ? 0 : 2;
