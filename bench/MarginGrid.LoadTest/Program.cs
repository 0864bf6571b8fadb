using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Domain.Margin;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.LoadTest;
using MarginGrid.LoadTest.Durable;
using MarginGrid.LoadTest.Metrics;
using MarginGrid.LoadTest.Trading;
using MarginGrid.LoadTest.Workload;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// 1. The workload and the grid: one silo on the embedded default in this process, or (--cluster durable) silo
// processes on PostgreSQL and Redis, reached through an Orleans client. With --readers, --sse or --what-if, the
// embedded silo is composed as the product composes it and serves the HTTP API on loopback; otherwise it is the
// plain host of the earlier figures.
LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"load test: {error.Message}");
    return 64;
}

var random = new Random(options.Seed);
var markets = MarketCatalog.Create(options.Markets, random);
var readerKey = options.MeasuresApi ? ApiLoad.NewReaderKey() : null;
Uri? api = null;
IHost? host = null;
DurableGrid? grid = null;

// Every process the run started is ended by its PID, on success, on failure, on Ctrl+C and on SIGTERM (the handlers
// let the process exit afterwards).
void StopOnSignal(System.Runtime.InteropServices.PosixSignalContext _) => grid?.Stop();
using var onInterrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, StopOnSignal);
using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, StopOnSignal);
AppDomain.CurrentDomain.ProcessExit += (_, _) => grid?.Stop();
if (options.IsDurable)
{
    grid = await DurableGrid.Start(options, Console.WriteLine);
}
else if (readerKey is not null)
{
    (host, api) = await LoadTestHost.StartWithApi(options, readerKey);
}
else
{
    host = await LoadTestHost.Start(options);
}

try
{
using var hostLifetime = host;
IGrainFactory grains = grid is null ? host!.Services.GetRequiredService<IGrainFactory>() : grid.Client;
var progress = new Progress();
Console.WriteLine($"MarginGrid load test ({options.Cluster}{(grid is null ? "" : $", {options.Silos} silo processes")}): {options.Accounts:N0} accounts, {options.Markets} markets × {options.TickHz} Hz, {options.DurationSeconds} s, seed {options.Seed}, {options.FillsPerSecond} fills/s, crash {options.CrashPercent}% in {options.CrashWindow.TotalSeconds} s");
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
var siloMetrics = host?.Services.GetRequiredService<GridMetrics>();
using var totals = siloMetrics is null ? null : new GridTotals(siloMetrics);
using var scrapeHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
async Task<SiloScrape?> Scrape() => grid is null ? null : await SiloScrape.Read(scrapeHttp, grid.SiloAddresses);
async Task<GridCounters> ReadCounters() => totals is not null ? GridCounters.Read(totals) : (await Scrape())!.Counters;
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
var before = await ReadCounters();
var scrapeBefore = await Scrape();
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
// Trading during the run, and the liquidation steps sampled every second for the busiest 10 s window.
var trader = new FillTrader(grains, ids, markets, driver.NewestMark, options.Seed + 1);
var trading = trader.Run(options.FillsPerSecond, duration, CancellationToken.None);
var liquidationSamples = new List<(double Seconds, long Count)>();
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        try
        {
            var c = await ReadCounters();
            lock (liquidationSamples)
            {
                liquidationSamples.Add((runClock.Elapsed.TotalSeconds, c.Partial + c.Full + c.Adl));
            }
        }
        catch (HttpRequestException)
        {
            // A scrape that failed leaves a gap; the window is measured between the samples taken.
        }

        await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
    }
});
await driver.Run(duration, f => progress.Report(
    $"run {runClock.Elapsed.TotalSeconds,4:0}s ticks {driver.Sent - sentBefore:N0} deliveries {driver.Sent - sentBefore:N0} breaches {driver.Breaches:N0}", f), CancellationToken.None);
await auditing;
var runSeconds = runClock.Elapsed.TotalSeconds;
var acknowledgedInRun = trader.Acknowledged;
await trading;
var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
var after = await ReadCounters();
var scrapeAfter = await Scrape();
await sampling.CancelAsync();
await sampler;
var gcDuringRun = GcActivity.Read() - gcBefore;
var ticks = driver.Sent - sentBefore;

// Reads and what-if calls still in flight finish (each within its timeout); SSE streams are closed.
await apiRunning;
apiLoad?.Dispose();
driver.Measuring = false;

// The grid's peak so far: the final audit below holds every account's holdings twice over (for the floor),
// which is the harness's memory, not the grid's.
var gridPeakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
var siloPeakWorkingSets = grid?.SiloPeakWorkingSets() ?? [];

// 5. The final audit over every account (kept for the sweep floor), the floor, and Orleans' own ceiling.
await driver.Quiesce(TimeSpan.FromMinutes(10));
var holdings = new List<AccountHoldings>(ids.Count);
audits.Add(await auditor.Audit(ids, driver.Marks, auditWait, concurrency: 64, holdings));
var finalMarks = driver.Marks();
var floorInput = holdings.Select(h => auditor.ToDomain(h, finalMarks)).ToList();
holdings.Clear();
var sweepNs = SweepFloor.NanosecondsPerAccount(floorInput, thresholds);
floorInput.Clear();
// The probe grain of the ceiling lives in this assembly: only the embedded silo has it.
var ceiling = grid is null ? await OneWayCeiling.CallsPerSecond(grains) : 0;

// Every leg still without an answer is sent again with its id; liquidations still running finish; then the grid
// reconciles itself and the journal is checked against the ledger.
await trader.ResolveUnknown(rounds: 5, CancellationToken.None);
if (grid is not null)
{
    // Reconciliation is exact at rest: a liquidation half way through its waterfall has, by design, the fund's side
    // of a payout durable before the account's. A slow cascade gets up to 15 minutes to finish. Nobody is liquidated
    // on a stale mark, so the feed (a random walk, no crash) keeps running while it does; once the backlog is empty
    // the feed stops, its last fan-outs drain, and the backlog must still be empty (a last mark may breach again).
    var draining = Stopwatch.StartNew();
    var drainLimit = TimeSpan.FromMinutes(15);
    var backlog = (await Scrape())!.LiquidationBacklog;
    while (backlog > 0 && draining.Elapsed < drainLimit)
    {
        using (var settling = new CancellationTokenSource())
        {
            var drainFeed = driver.Feed(settling.Token);
            while (backlog > 0 && draining.Elapsed < drainLimit)
            {
                await Task.Delay(500);
                backlog = (await Scrape())!.LiquidationBacklog;
            }

            await settling.CancelAsync();
            await drainFeed;
        }

        await driver.Quiesce(TimeSpan.FromMinutes(2));
        backlog = (await Scrape())!.LiquidationBacklog;
    }

    Console.WriteLine($"liquidations still running before reconciliation: {backlog} after waiting {draining.Elapsed.TotalSeconds:N1} s for the cascade to finish (marks kept flowing meanwhile)");
}

var reconciliation = await Reconcile(grains);
var journal = trader.Journal.Entries;
var apiCheck = journal.Count == 0 ? null : CommandCheck.Compare(journal, await LedgerReader.FromAccounts(grains, journal.Select(e => e.Account)));
CommandCheckResult? postgresCheck = null;
if (grid is not null && journal.Count > 0)
{
    var rows = await LedgerReader.RowsInPostgres(grid.LedgerConnection);
    postgresCheck = CommandCheck.Compare(journal, new LedgerReading(rows, apiCheck is null ? new Dictionary<string, decimal>() : FeesOf(journal)));
}

var tickToMargin = scrapeAfter is null ? driver.TickToMargin.Summary() : scrapeAfter.TickToMargin.Minus(scrapeBefore!.TickToMargin).Summary();
var breachToAction = scrapeAfter is null ? driver.BreachToLiquidation.Summary() : scrapeAfter.BreachToLiquidation.Minus(scrapeBefore!.BreachToLiquidation).Summary();
List<(double Seconds, long Count)> samples;
lock (liquidationSamples)
{
    samples = [.. liquidationSamples];
}

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
    TickToMarginMs = tickToMargin,
    BreachToLiquidationMs = breachToAction,
    Liquidations = grid is null ? driver.Breaches : breachToAction.Count,
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
    SiloPeakWorkingSetBytes = siloPeakWorkingSets,
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
    Cluster = options.Cluster,
    Silos = options.Silos,
    LatencySource = grid is null ? "harness" : "silo-histograms",
    FillsPerSecondAsked = options.FillsPerSecond,
    CrashPercent = options.CrashPercent,
    CrashSeconds = options.CrashWindow.TotalSeconds,
    CommandsPerSecond = Math.Round(acknowledgedInRun / runSeconds, 1),
    CommandLatencyMs = trader.Latency.Summary(),
    FundingRoundSeconds = driver.FundingRoundSeconds.DefaultIfEmpty(0).Max(),
    FundingRoundsSeconds = driver.FundingRoundSeconds,
    SlowFundingCalls = driver.SlowFundings,
    LiquidationsPerSecond = Math.Round(PeakWindow.PerSecond(samples, 10), 1),
    LiquidationStepTimeline = [.. samples.Select(s => new[] { Math.Round(s.Seconds, 1), s.Count })],
    BreachToFirstActionMs = breachToAction,
    Reconciliation = reconciliation,
    LostCommands = Math.Max(apiCheck?.Lost ?? 0, postgresCheck?.Lost ?? 0),
    DuplicatedCommands = Math.Max(apiCheck?.Duplicated ?? 0, postgresCheck?.Duplicated ?? 0),
    Commands = new CommandFigures(journal.Count, journal.Count(e => e.Outcome == CommandOutcome.Acknowledged), journal.Count(e => e.Outcome == CommandOutcome.Refused),
        journal.Sum(e => Math.Max(0, e.Attempts - 1)), (trader.Pacer?.NotSent ?? 0) * 2, apiCheck, postgresCheck),
};

// 6. The summary, and the JSON object.
Summary.Print(report);
if (options.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    Console.WriteLine($"wrote {path}");
}

if (host is not null)
{
    await host.StopAsync();
}

var commandsClean = (apiCheck?.Clean ?? true) && (postgresCheck?.Clean ?? true);
return report.MissedBreaches == 0 && commandsClean && reconciliation.Exact ? 0 : 2;
}
finally
{
    grid?.Stop();
}

// The grid's reconciliation; a second one a little later if the first saw commands still settling.
static async Task<ReconciliationSummary> Reconcile(IGrainFactory grains)
{
    var report = await grains.GetGrain<IReconciliationGrain>("ledger").Run();
    if (!report.Exact)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        report = await grains.GetGrain<IReconciliationGrain>("ledger").Run();
    }

    return new ReconciliationSummary(report.Exact, report.Transactions, report.Entries, report.Differences.Length,
        [.. report.Differences.Take(20).Select(d => $"{d.Check} {d.Subject}: expected {d.Expected}, found {d.Actual} ({d.Detail})")],
        report.FundingRounds.Length, report.FundingRounds.Sum(r => (long)r.Payments), report.FundingRounds.Sum(r => (long)r.Due));
}

// The journal's own fees per account, for the PostgreSQL check (which reads rows, not balances: the balance check is the API's).
static Dictionary<string, decimal> FeesOf(IEnumerable<JournalEntry> journal) =>
    journal.Where(e => e.Outcome == CommandOutcome.Acknowledged).GroupBy(e => e.Account, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(e => e.Fee), StringComparer.Ordinal);
