using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// One partition of the liquidation coordinator. Each liquidation is a persisted state machine:
/// partial step, full step (auto-deleveraging what the fund cannot cover, the rest through the executor),
/// then the waterfall. Every trade is planned and persisted before it is sent, and every call it makes is
/// idempotent by operation and step, so a coordinator that dies mid-way resumes (on reactivation or its
/// reminder) and re-sends exactly the same commands.
/// </summary>
public sealed partial class LiquidationCoordinatorGrain : Grain, ILiquidationCoordinatorGrain, IRemindable
{
    private const string ResumeReminder = "resume";
    private const int RecordsKept = 2_000;

    /// <summary>How long a stopping partition waits for its step in flight (steps take milliseconds).</summary>
    private static readonly TimeSpan StepGrace = TimeSpan.FromSeconds(2);
    private readonly IPersistentState<CoordinatorState> _state;
    private readonly ILiquidationExecutor _executor;
    private readonly MarketDirectory _directory;
    private readonly ScopeJudge _judge;
    private readonly GridSignals _signals;
    private readonly TimeProvider _clock;
    private readonly ILogger<LiquidationCoordinatorGrain> _logger;
    private Task _running = Task.CompletedTask;
    private bool _again;
    private bool _stopping;
    private IGrainTimer? _retry;

    public LiquidationCoordinatorGrain(
        [PersistentState("coordinator", StreamNames.Storage)] IPersistentState<CoordinatorState> state,
        ILiquidationExecutor executor,
        MarketDirectory directory,
        ScopeJudge judge,
        GridSignals signals,
        TimeProvider clock,
        ILogger<LiquidationCoordinatorGrain> logger)
    {
        _state = state;
        _executor = executor;
        _directory = directory;
        _judge = judge;
        _signals = signals;
        _clock = clock;
        _logger = logger;
    }

    private CoordinatorState State => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A reminder brings a partition back after its silo died, so running liquidations finish.
        await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        GridMetrics.BacklogChanged(State.Work.Count);
        if (State.Work.Count > 0)
        {
            Kick();
        }
    }

    /// <summary>
    /// A graceful stop lets the step in flight finish, for a moment (each step is idempotent, but a half-run
    /// loop would otherwise write through a dead activation), then hands the rest over at once: the call below
    /// reaches the partition's next activation, on another silo when this one is shutting down, instead of
    /// waiting for the reminder.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stopping = true;
        try
        {
            await _running.WaitAsync(StepGrace, cancellationToken);
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            // A step can wait on an account that is itself waiting to escalate to this partition, which a
            // deactivating activation no longer takes: a cycle until the call timeout (30 s measured). Leave it;
            // the escalation is forwarded to the next activation, which re-runs the step.
        }

        GridMetrics.BacklogChanged(-State.Work.Count);
        if (State.Work.Count > 0)
        {
            _logger.LogInformation("Partition {Partition} deactivating ({Reason}) with {Count} liquidations running; handing them over",
                this.GetPrimaryKeyLong(), reason.ReasonCode, State.Work.Count);
            _ = GrainFactory.GetGrain<ILiquidationCoordinatorGrain>(this.GetPrimaryKeyLong()).Resume();
        }
    }

    public async Task<string> Escalate(BreachReport breach)
    {
        ArgumentNullException.ThrowIfNull(breach);
        // The same breach, or any breach of a scope already being liquidated, starts nothing new. A breach id
        // whose liquidation has ended (cancelled on a bounce, recovered) is a new episode of that scope.
        if (State.Breaches.TryGetValue(breach.BreachId, out var known) && State.Work.ContainsKey(known))
        {
            return known;
        }

        var scopeKey = ScopeKeyOf(breach);
        if (State.ActiveScopes.TryGetValue(scopeKey, out var active))
        {
            State.Breaches[breach.BreachId] = active;
            TakeNewer(State.Work[active], breach.Snapshot);
            return active;
        }

        using var activity = GridTracing.Source.StartActivity("liquidation.escalate");
        activity?.SetTag("scope", breach.Scope.ToString());
        var id = $"L{this.GetPrimaryKeyLong()}-{++State.Next}";
        State.Records[id] = new LiquidationRecord(id, breach, "running", [], 0m, 0m, 0m, 0m, _clock.GetUtcNow(), null,
            activity?.TraceId.ToString(), State.Next);
        State.Breaches[breach.BreachId] = id;
        State.ActiveScopes[scopeKey] = id;
        State.Work[id] = new LiquidationWork { Scope = breach.Snapshot };
        await _state.WriteStateAsync();
        GridMetrics.BacklogChanged(1);
        GridMetrics.BreachDetected(_clock.GetUtcNow() - breach.DetectedAt);
        _signals.OnBreachAccepted(breach);
        _logger.LogInformation("Liquidation {Liquidation} started for breach {Breach}", id, breach.BreachId);
        Kick();
        return id;
    }

    public Task ScopeChanged(string accountId, ScopeState scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(scope);
        // Kept in memory only: the next step writes it with the rest, and returns a newer one anyway.
        if (State.ActiveScopes.TryGetValue($"{accountId}|{scope.Scope}", out var id) && State.Work.TryGetValue(id, out var work))
        {
            TakeNewer(work, scope);
        }

        return Task.CompletedTask;
    }

    public Task<LiquidationRecord?> Get(string liquidationId) => Task.FromResult(Current(liquidationId));

    public Task<ImmutableArray<LiquidationRecord>> List(string? symbol, string? accountId, int limit) =>
        Task.FromResult<ImmutableArray<LiquidationRecord>>([.. State.Records.Keys
            .Select(id => Current(id)!)
            .Where(r => accountId is null || r.Breach.AccountId == accountId)
            .Where(r => symbol is null || r.Breach.Marks.Any(m => m.Symbol == symbol))
            .OrderBy(r => r.Sequence)
            .TakeLast(limit)]);

    public Task<int> Resume()
    {
        // The run goes on after this answer: a caller (a stopping activation) must not wait on the whole backlog.
        Kick();
        return Task.FromResult(State.Work.Count);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Kick();
        return Task.CompletedTask;
    }

    private void Kick()
    {
        if (_running.IsCompleted)
        {
            _running = RunAll();
        }
        else
        {
            _again = true;
        }
    }

    private async Task RunAll()
    {
        do
        {
            _again = false;
            foreach (var id in State.Work.Keys.ToList())
            {
                if (_stopping)
                {
                    return;
                }

                try
                {
                    await Advance(id);
                }
                catch (Orleans.Storage.InconsistentStateException error)
                {
                    // A previous activation (its silo stopping) wrote after this one read: take its state and go on.
                    _logger.LogWarning(error, "Liquidation {Liquidation}: partition state moved on; reloading it", id);
                    await _state.ReadStateAsync();
                    _again = true;
                    break;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    _logger.LogWarning(error, "Liquidation {Liquidation} paused; it resumes on the next attempt", id);
                }
            }
        }
        while (_again && !_stopping);

        if (State.Work.Count > 0 && !_stopping)
        {
            // Blocked work (a stale mark, an unreachable account) is retried soon rather than at the next reminder.
            _retry?.Dispose();
            _retry = this.RegisterGrainTimer(_ => { Kick(); return Task.CompletedTask; },
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        }
    }

    private async Task Advance(string id)
    {
        var work = State.Work[id];
        var breach = State.Records[id].Breach;
        var account = GrainFactory.GetGrain<IAccountLiquidation>(breach.AccountId);
        while (State.Work.ContainsKey(id) && !_stopping)
        {
            switch (work.Stage)
            {
                case LiquidationStage.Start:
                    var start = await Judged(work, account, breach);
                    if (!start.InBreach)
                    {
                        await Finish(id, "cancelled", null);
                        return;
                    }

                    if (start.Stale)
                    {
                        // No one is liquidated on a stale price: wait for a fresh mark, at every stage.
                        return;
                    }

                    await Move(work, LiquidationStage.Partial);
                    break;

                case LiquidationStage.Partial:
                    switch (await RunPartial(id, work, account, breach))
                    {
                        case PartialOutcome.Waiting:
                            return;
                        case PartialOutcome.NotInBreach:
                            await Finish(id, "cancelled", null);
                            return;
                        case PartialOutcome.Recovered:
                            await Finish(id, "recovered", null);
                            return;
                        default:
                            await Move(work, LiquidationStage.Full);
                            break;
                    }

                    break;

                case LiquidationStage.Full:
                    var full = await Judged(work, account, breach);
                    if (full.Stale)
                    {
                        return;
                    }

                    if (!work.AdlPlanned && !full.InBreach)
                    {
                        // The partial step, or the market, restored the scope before anything was closed.
                        await Finish(id, work.Partial?.Done == true ? "recovered" : "cancelled", null);
                        return;
                    }

                    await RunFull(id, work, account, breach);
                    await Move(work, LiquidationStage.Waterfall);
                    break;

                case LiquidationStage.Waterfall:
                    await RunWaterfall(id, work, account, breach);
                    return;

                default:
                    return;
            }
        }
    }

    /// <summary>
    /// The scope the escalation or the last step returned, judged at this silo's newest marks (the account's
    /// copy of a mark can be older: deliveries inside a band are skipped). Read from the account only for a
    /// liquidation that has no snapshot at all (one started before snapshots travelled with escalations).
    /// </summary>
    private async Task<ScopeState> Judged(LiquidationWork work, IAccountLiquidation account, BreachReport breach)
    {
        work.Scope ??= await account.GetScope(breach.Scope, []);
        return await _judge.AtNewestMarks(work.Scope);
    }

    /// <summary>A snapshot replaces the one held only when it was taken at a newer version of the account.</summary>
    private static void TakeNewer(LiquidationWork work, ScopeState? scope)
    {
        if (scope is not null && (work.Scope is null || scope.Version > work.Scope.Version))
        {
            work.Scope = scope;
        }
    }

    private Task Move(LiquidationWork work, LiquidationStage stage)
    {
        work.Stage = stage;
        return _state.WriteStateAsync();
    }

    private LiquidationRecord? Current(string id) =>
        State.Records.TryGetValue(id, out var record)
            ? State.Work.TryGetValue(id, out var work) ? record with { Steps = [.. work.Steps] } : record
            : null;

    private static Position ToPosition(ScopePosition p, MarketDefinition market, ScopeKey scope) =>
        new(p.Symbol, market.SettleAsset, scope.Symbol is null ? MarginMode.Cross : MarginMode.Isolated, 1, p.Size, p.EntryPrice, 0m);

    private static Side CloseSide(decimal size) => size > 0m ? Side.Sell : Side.Buy;

    private static Side CloseSide(int sign) => sign > 0 ? Side.Sell : Side.Buy;

    private static string ScopeKeyOf(BreachReport breach) => $"{breach.AccountId}|{breach.Scope}";
}
