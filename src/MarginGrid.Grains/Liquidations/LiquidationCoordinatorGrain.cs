using System.Collections.Immutable;
using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// One partition of the liquidation coordinator. Each liquidation's stages are a <see cref="LiquidationMachine"/>
/// over the persisted <see cref="LiquidationWork"/>; this grain runs the machines (on escalation, reactivation,
/// its reminder or a retry timer) and performs the calls they ask for (<see cref="ILiquidationSteps"/>, in its
/// own file). A coordinator that dies mid-way resumes and re-sends exactly the same commands. Its state holds
/// only running liquidations and the finished records the <see cref="ILiquidationArchive"/> has not confirmed
/// yet, one entry each in the <see cref="ILiquidationWorkStore"/>: a write carries only the liquidations
/// changed since the last one. A record leaves the state only after the archive confirmed it.
/// </summary>
public sealed partial class LiquidationCoordinatorGrain : Grain, ILiquidationCoordinatorGrain, IRemindable
{
    private const string ResumeReminder = "resume";

    /// <summary>Liquidation numbers reserved at a time: one durable write per block, not per liquidation.</summary>
    private const int IdBlock = 64;

    /// <summary>
    /// Finished records a partition holds while the archive is down. Beyond it the oldest is dropped from the
    /// state, logged whole at error level, so a long outage cannot grow the state without bound.
    /// </summary>
    public const int ArchiveBacklogLimit = 2_000;

    /// <summary>After a failed append, the archive is not tried again for this long, so liquidations run on without waiting for it.</summary>
    private static readonly TimeSpan ArchiveRetry = TimeSpan.FromSeconds(5);

    /// <summary>The longest a step waits for an append; an append still running after it is confirmed on a later try.</summary>
    private static readonly TimeSpan ArchiveWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Liquidations a partition advances at once. Each step waits on other grains (accounts, the fund, the
    /// executor), not on this one, so a cascade runs this many machines side by side and their state writes
    /// share one write (<see cref="CoalescedRun"/>); one at a time, a partition managed a step or two a second.
    /// </summary>
    public const int Parallelism = 32;

    /// <summary>How long a stopping partition waits for its steps in flight (steps take milliseconds).</summary>
    private static readonly TimeSpan StepGrace = TimeSpan.FromSeconds(2);
    private readonly ILiquidationWorkStore _store;
    private readonly ILiquidationExecutor _executor;
    private readonly ILiquidationArchive _archive;
    private readonly IIdBlockSource _ids;
    private readonly MarketDirectory _directory;
    private readonly ScopeJudge _judge;
    private readonly GridMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<LiquidationCoordinatorGrain> _logger;
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _scheduled = new(StringComparer.Ordinal);
    private readonly CoalescedRun _save;
    private readonly CoalescedRun _flush;

    /// <summary>Liquidations changed (or removed) in memory since the last write.</summary>
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    /// <summary>Liquidations escalated whose first write has not returned yet: nothing runs them before it does.</summary>
    private readonly HashSet<string> _unsaved = new(StringComparer.Ordinal);
    private CoordinatorState _current = new();
    private long _fence;
    private int _workers;
    private TaskCompletionSource? _idle;
    private bool _reload;
    private long _generation;
    private bool _stopping;
    private IGrainTimer? _retry;
    private DateTimeOffset _archiveRetryAt;
    private int _archiveBacklogReported;
    private long _nextNumber;
    private long _endNumber;
    private Task? _reserving;

    public LiquidationCoordinatorGrain(
        ILiquidationWorkStore store,
        ILiquidationExecutor executor,
        ILiquidationArchive archive,
        IIdBlockSource ids,
        MarketDirectory directory,
        ScopeJudge judge,
        GridMetrics metrics,
        TimeProvider clock,
        ILogger<LiquidationCoordinatorGrain> logger)
    {
        _store = store;
        _executor = executor;
        _archive = archive;
        _ids = ids;
        _directory = directory;
        _judge = judge;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _save = new CoalescedRun(WriteChanges);
        _flush = new CoalescedRun(FlushArchive);
    }

    private CoordinatorState State => _current;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Load();
        // A reminder brings a partition back after its silo died, so running liquidations finish.
        await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        ReportArchiveBacklog();
        if (State.Work.Count > 0 || ArchiveBacklog > 0)
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
            await (_idle?.Task ?? Task.CompletedTask).WaitAsync(StepGrace, cancellationToken);
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            // A step can wait on an account that is itself waiting to escalate to this partition, which a
            // deactivating activation no longer takes: a cycle until the call timeout (30 s measured). Leave it;
            // the escalation is forwarded to the next activation, which re-runs the step.
        }

        _metrics.BacklogChanged(-State.Work.Count);
        _metrics.ArchiveBacklogChanged(-_archiveBacklogReported);
        _archiveBacklogReported = 0;
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
        // Escalations interleave, so a burst of them shares one state write instead of queueing one write each
        // (a crash escalates thousands at once). Every check and change below runs between awaits: a breach or a
        // scope is registered at most once, and one that waited for numbers is checked again.
        long number;
        while (true)
        {
            if (Known(breach) is { } existing)
            {
                return existing;
            }

            if (_nextNumber < _endNumber)
            {
                number = _nextNumber++;
                break;
            }

            await ReserveNumbers();
        }

        using var activity = GridTracing.Source.StartActivity("liquidation.escalate");
        activity?.SetTag("scope", breach.Scope.ToString());
        var generation = _generation;
        var id = $"L{this.GetPrimaryKeyLong()}-{number}";
        State.Records[id] = new LiquidationRecord(id, breach, "running", [], 0m, 0m, 0m, 0m, _clock.GetUtcNow(), null,
            activity?.TraceId.ToString(), number);
        State.Breaches[breach.BreachId] = id;
        State.ActiveScopes[ScopeKeyOf(breach)] = id;
        State.Work[id] = new LiquidationWork { Scope = breach.Snapshot };
        _changed.Add(id);
        // Not run before it is stored: its trades and payouts are keyed by an id that must outlive this activation.
        _unsaved.Add(id);
        try
        {
            await SaveState(generation);
        }
        finally
        {
            _unsaved.Remove(id);
        }

        _metrics.BacklogChanged(1);
        _metrics.BreachDetected(_clock.GetUtcNow() - breach.DetectedAt);
        _metrics.BreachAccepted(breach);
        _logger.LogInformation("Liquidation {Liquidation} started for breach {Breach}", id, breach.BreachId);
        Schedule(id);
        KeepRetrying();
        return id;
    }

    /// <summary>
    /// The liquidation already running for this breach or its scope, or null. A breach id whose liquidation has
    /// ended (cancelled on a bounce, recovered) is a new episode of that scope.
    /// </summary>
    private string? Known(BreachReport breach)
    {
        if (State.Breaches.TryGetValue(breach.BreachId, out var known) && State.Work.ContainsKey(known))
        {
            return known;
        }

        if (!State.ActiveScopes.TryGetValue(ScopeKeyOf(breach), out var active))
        {
            return null;
        }

        // Kept in memory only: the liquidation's next write stores it with the rest.
        var running = State.Work[active];
        State.Breaches[breach.BreachId] = active;
        if (!running.MergedBreaches.Contains(breach.BreachId, StringComparer.Ordinal))
        {
            running.MergedBreaches.Add(breach.BreachId);
        }

        running.TakeNewer(breach.Snapshot);
        _changed.Add(active);
        return active;
    }

    /// <summary>
    /// Reserves the next block of liquidation numbers in the ledger database: the id keys the fund's fee and
    /// payout, so a number must never come back, not even when Redis loses this partition's recent state.
    /// Escalations that run out together wait for one reservation.
    /// </summary>
    private async Task ReserveNumbers()
    {
        var reserving = _reserving ??= ReserveBlock();
        try
        {
            await reserving;
        }
        finally
        {
            if (ReferenceEquals(_reserving, reserving))
            {
                _reserving = null;
            }
        }
    }

    private async Task ReserveBlock()
    {
        var first = await _ids.Reserve(IdCounter.Liquidation, IdBlock);
        if (_nextNumber >= _endNumber)
        {
            (_nextNumber, _endNumber) = (first, first + IdBlock);
        }
    }

    public Task ScopeChanged(string accountId, ScopeState scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(scope);
        // Kept in memory only: the next step writes it with the rest, and returns a newer one anyway.
        if (State.ActiveScopes.TryGetValue($"{accountId}|{scope.Scope}", out var id) && State.Work.TryGetValue(id, out var work))
        {
            work.TakeNewer(scope);
            _changed.Add(id);
        }

        return Task.CompletedTask;
    }

    public Task<LiquidationRecord?> Get(string liquidationId) => Task.FromResult(Current(liquidationId));

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

    /// <summary>Schedules every running liquidation that is not queued or running already, and the archive backlog.</summary>
    private void Kick()
    {
        foreach (var id in State.Work.Keys)
        {
            Schedule(id);
        }

        if (ArchiveBacklog > 0 && !_stopping)
        {
            _ = FlushBacklog();
        }

        KeepRetrying();
    }

    /// <summary>Queues one liquidation and starts workers up to <see cref="Parallelism"/>.</summary>
    private void Schedule(string id)
    {
        if (_stopping || _reload || _unsaved.Contains(id) || !_scheduled.Add(id))
        {
            return;
        }

        _queue.Enqueue(id);
        while (_workers < Parallelism && _queue.Count > 0)
        {
            if (_workers++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _ = RunWorker();
        }
    }

    private async Task RunWorker()
    {
        try
        {
            while (!_stopping && !_reload && _queue.TryDequeue(out var id))
            {
                try
                {
                    if (State.Work.ContainsKey(id))
                    {
                        await Advance(id);
                    }
                }
                catch (Orleans.Storage.InconsistentStateException error)
                {
                    // A previous activation (its silo stopping) wrote after this one read: every worker stops at its
                    // next write (they fail too), and the last one reloads the state.
                    _logger.LogWarning(error, "Liquidation {Liquidation}: partition state moved on; reloading it", id);
                    _reload = true;
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    _logger.LogWarning(error, "Liquidation {Liquidation} paused; it resumes on the next attempt", id);
                }
                finally
                {
                    _scheduled.Remove(id);
                }
            }
        }
        finally
        {
            if (--_workers == 0)
            {
                await AfterWorkers();
            }
        }
    }

    private async Task AfterWorkers()
    {
        try
        {
            if (_reload && !_stopping)
            {
                _queue.Clear();
                _scheduled.Clear();
                await Reload();
                Kick();
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogWarning(error, "Partition {Partition}: reloading the state failed; the retry timer tries again", this.GetPrimaryKeyLong());
        }
        finally
        {
            if (_workers == 0)
            {
                _idle?.TrySetResult();
            }
        }
    }

    private async Task Reload()
    {
        _generation++;
        await Load();
        _reload = false;
    }

    /// <summary>
    /// Takes the partition over from any earlier activation (whose writes fail from now on) and rebuilds the
    /// in-memory state from the stored liquidations; changes not yet written are dropped with the old state.
    /// </summary>
    private async Task Load()
    {
        var takeover = await _store.TakeOver(this.GetPrimaryKeyLong());
        var state = new CoordinatorState();
        foreach (var stored in takeover.Liquidations)
        {
            var id = stored.Record.LiquidationId;
            state.Records[id] = stored.Record;
            if (stored.Work is { } work)
            {
                state.Work[id] = work;
                state.ActiveScopes[ScopeKeyOf(stored.Record.Breach)] = id;
                state.Breaches[stored.Record.Breach.BreachId] = id;
                foreach (var breachId in work.MergedBreaches)
                {
                    state.Breaches[breachId] = id;
                }
            }
        }

        _metrics.BacklogChanged(state.Work.Count - _current.Work.Count);
        _current = state;
        _fence = takeover.Fence;
        _changed.Clear();
    }

    /// <summary>
    /// Writes the liquidations changed since the last write, and deletes the ones that left the state. Runs
    /// through <see cref="_save"/>, so the steps of many liquidations in flight share one write.
    /// </summary>
    private async Task WriteChanges()
    {
        if (_changed.Count == 0)
        {
            return;
        }

        var ids = _changed.ToList();
        _changed.Clear();
        var changed = new List<StoredLiquidation>(ids.Count);
        var removed = new List<string>();
        foreach (var id in ids)
        {
            if (State.Records.TryGetValue(id, out var record))
            {
                changed.Add(new StoredLiquidation(record, State.Work.GetValueOrDefault(id)));
            }
            else
            {
                removed.Add(id);
            }
        }

        try
        {
            await _store.Write(this.GetPrimaryKeyLong(), _fence, changed, removed);
        }
        catch
        {
            // Not written: the next write carries them again.
            _changed.UnionWith(ids);
            throw;
        }
    }

    /// <summary>
    /// Blocked work (a stale mark, an unreachable account, the archive) is retried every second rather than at the
    /// next reminder, while the partition has any.
    /// </summary>
    private void KeepRetrying()
    {
        if (_stopping || (State.Work.Count == 0 && ArchiveBacklog == 0))
        {
            _retry?.Dispose();
            _retry = null;
            return;
        }

        _retry ??= this.RegisterGrainTimer(_ => { Retry(); return Task.CompletedTask; },
            new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
    }

    private void Retry()
    {
        if (_reload && _workers == 0)
        {
            // A failed reload: try it again.
            _ = AfterWorkers();
            return;
        }

        Kick();
    }

    /// <summary>Writes the state; throws when it was reloaded since <paramref name="generation"/> (the caller's change is not in it).</summary>
    private async Task SaveState(long generation)
    {
        await _save.Run();
        if (generation != _generation)
        {
            throw new Orleans.Storage.InconsistentStateException("The partition's state was reloaded while this write waited; the change is not in it.");
        }
    }

    /// <summary>Appends the finished records waiting in the state and writes it without them.</summary>
    private async Task FlushBacklog()
    {
        var generation = _generation;
        try
        {
            await _flush.Run();
            await SaveState(generation);
        }
        catch (Orleans.Storage.InconsistentStateException error)
        {
            _logger.LogWarning(error, "Partition {Partition}: state moved on while archiving; reloading it", this.GetPrimaryKeyLong());
            _reload = true;
            if (_workers == 0)
            {
                await AfterWorkers();
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The archive confirmed, the state write did not: the records are appended again later (idempotent).
            _logger.LogWarning(error, "Partition {Partition}: saving the state after archiving failed", this.GetPrimaryKeyLong());
        }
    }

    private async Task Advance(string id)
    {
        var machine = new LiquidationMachine(id, State.Records[id].Breach, State.Work[id], this);
        if (await machine.Advance(() => _stopping) is { } end)
        {
            await Finish(id, end.Status, end.Settlement);
        }
    }

    private async Task Finish(string id, string status, SettlementView? settlement)
    {
        var generation = _generation;
        var work = State.Work[id];
        var record = State.Records[id] with
        {
            Status = status,
            Steps = [.. work.Steps],
            Fee = settlement?.Fee ?? 0m,
            FundPayout = work.FundPayout,
            Deficit = settlement?.Deficit ?? 0m,
            TraderKeeps = settlement?.TraderKeeps ?? 0m,
            EndedAt = _clock.GetUtcNow(),
        };
        State.Records[id] = record;
        State.Work.Remove(id);
        _logger.LogInformation("Liquidation {Liquidation} of {Account} ended: {Status}", id, record.Breach.AccountId, status);
        _metrics.BacklogChanged(-1);
        State.ActiveScopes.Remove(ScopeKeyOf(record.Breach));
        var breachIds = work.MergedBreaches.Prepend(record.Breach.BreachId).Distinct(StringComparer.Ordinal)
            .Where(b => State.Breaches.TryGetValue(b, out var owner) && owner == id).ToImmutableArray();
        foreach (var breachId in breachIds)
        {
            State.Breaches.Remove(breachId);
        }

        _changed.Add(id);

        // One state write: the record leaves with it when the archive confirmed it, else it waits in the state.
        await _flush.Run();
        await SaveState(generation);
        _metrics.LiquidationEnded(status, _clock.GetUtcNow() - record.StartedAt);
        try
        {
            await this.GetStreamProvider(StreamNames.Provider)
                .GetStream<LiquidationRecord>(StreamId.Create(StreamNames.Liquidations, "all")).OnNextAsync(record);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogWarning(error, "Publishing liquidation {Liquidation} failed; its record is kept", id);
        }

        try
        {
            await GrainFactory.GetGrain<IAccountLiquidation>(record.Breach.AccountId).OnLiquidationEnded(id, breachIds);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Not fatal: the account's next activation starts with nothing pending. A live one keeps this breach
            // as pending until its level or state changes; logged so that is seen.
            _logger.LogWarning(error, "Telling {Account} that liquidation {Liquidation} ended failed", record.Breach.AccountId, id);
        }
    }

    /// <summary>Finished records waiting for the archive: every record whose work is done.</summary>
    private int ArchiveBacklog => State.Records.Count - State.Work.Count;

    /// <summary>
    /// Appends the finished records the state still holds (one batch) and, once the archive confirmed them,
    /// removes them from the state. A failure leaves them for a later try and holds off the archive for
    /// <see cref="ArchiveRetry"/>; liquidations go on meanwhile. Never writes the state: its callers do, through
    /// <see cref="_flush"/>, so concurrent finishes share one append.
    /// </summary>
    private async Task FlushArchive()
    {
        if (ArchiveBacklog > ArchiveBacklogLimit)
        {
            DropOverflow();
        }

        if (ArchiveBacklog == 0 || _clock.GetUtcNow() < _archiveRetryAt)
        {
            ReportArchiveBacklog();
            return;
        }

        var finished = State.Records.Values.Where(r => !State.Work.ContainsKey(r.LiquidationId)).OrderBy(r => r.Sequence).ToList();
        try
        {
            await _archive.Append(finished).WaitAsync(ArchiveWait);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _archiveRetryAt = _clock.GetUtcNow() + ArchiveRetry;
            _logger.LogWarning(error, "Partition {Partition}: the liquidation archive did not confirm {Count} records; they wait in the partition's state",
                this.GetPrimaryKeyLong(), finished.Count);
            ReportArchiveBacklog();
            return;
        }

        foreach (var record in finished)
        {
            State.Records.Remove(record.LiquidationId);
            _changed.Add(record.LiquidationId);
        }

        ReportArchiveBacklog();
    }

    private void DropOverflow()
    {
        var overflow = State.Records.Values.Where(r => !State.Work.ContainsKey(r.LiquidationId))
            .OrderBy(r => r.Sequence).Take(ArchiveBacklog - ArchiveBacklogLimit).ToList();
        foreach (var record in overflow)
        {
            State.Records.Remove(record.LiquidationId);
            _changed.Add(record.LiquidationId);
            _logger.LogError("Partition {Partition}: archive backlog over {Limit}; liquidation record {Liquidation} dropped from the state unarchived: {Record}",
                this.GetPrimaryKeyLong(), ArchiveBacklogLimit, record.LiquidationId, JsonSerializer.Serialize(record));
        }
    }

    private void ReportArchiveBacklog()
    {
        var now = ArchiveBacklog;
        _metrics.ArchiveBacklogChanged(now - _archiveBacklogReported);
        _archiveBacklogReported = now;
    }

    private LiquidationRecord? Current(string id) =>
        State.Records.TryGetValue(id, out var record)
            ? State.Work.TryGetValue(id, out var work) ? record with { Steps = [.. work.Steps] } : record
            : null;

    private static string ScopeKeyOf(BreachReport breach) => $"{breach.AccountId}|{breach.Scope}";
}
