using System.Collections.Immutable;
using System.Diagnostics;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// One shard of a market's holders. Reentrant so that a new mark can be recorded while a pass is awaiting
/// accounts; the pump delivers only the newest. Keeps (in <see cref="ShardHolders"/>), from each account's reply, its size and ADL score
/// (the coordinator ranks counterparties from that) and the band of marks that cannot change its level.
/// </summary>
[Reentrant]
public sealed partial class MarketShardGrain : Grain, IMarketShardGrain
{
    /// <summary>How long a ranking at the current mark serves quantile reads after holders' reports changed.</summary>
    private static readonly TimeSpan QuantileRefresh = TimeSpan.FromSeconds(1);

    private readonly EventStream<HashSet<string>> _registry;
    private readonly ShardHolders _holders = new();
    private readonly List<HolderChange> _unwritten = [];
    private readonly MarketDirectory _directory;
    private readonly FundingGate _funding;
    private readonly AdlScorer _scorer;
    private (long MarkSequence, long ReportsVersion, long RankedAt, Dictionary<string, int> Quantiles)? _quantiles;
    private readonly SafetySweepBudget _sweepBudget;
    private readonly CancellationToken _stopping;
    private readonly ILogger<MarketShardGrain> _logger;
    private readonly GridMetrics _metrics;
    private readonly LatestWinsPump<MarkUpdate> _pump;
    private readonly GridOptions _options;
    private MarkUpdate? _latest;
    private IGrainTimer? _redelivery;
    private TaskCompletionSource? _nextWrite;
    private Task _lastWrite = Task.CompletedTask;
    private long _deliveries;
    private long _skipped;

    public MarketShardGrain(
        IEventLog log,
        MarketDirectory directory,
        FundingGate funding,
        AdlScorer scorer,
        SafetySweepBudget sweepBudget,
        IOptions<GridOptions> options,
        ILogger<MarketShardGrain> logger,
        GridMetrics metrics,
        IHostApplicationLifetime? lifetime = null)
    {
        _stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
        _registry = new EventStream<HashSet<string>>(log, $"shard:{this.GetPrimaryKeyString()}", new ShardRegistryFold(), options.Value.SnapshotEvery, DeactivateOnIdle);
        _directory = directory;
        _funding = funding;
        _scorer = scorer;
        _sweepBudget = sweepBudget;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        _pump = new LatestWinsPump<MarkUpdate>(Pass);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The registry (the fold of joins and leaves) is durable; the holders here are its live view.
        await _registry.Load();
        foreach (var accountId in _registry.State.Order(StringComparer.Ordinal))
        {
            _ = _holders.Join(accountId);
        }

        _metrics.ProcessStarted();
        StartSafetySweep();

        // Reactivated after its silo died or left, a shard has lost the mark it was delivering: every holder is
        // unbanded now, so one pass with the newest mark of this silo's table re-checks them all.
        if (_holders.Count > 0 && _directory.Cached(Market) is { } mark)
        {
            _ = Deliver(mark);
        }
    }

    /// <summary>A pass with the newest mark in a moment, once, however many deliveries failed.</summary>
    private void RedeliverSoon()
    {
        if (_redelivery is not null)
        {
            return;
        }

        _redelivery = this.RegisterGrainTimer(_ =>
        {
            _redelivery?.Dispose();
            _redelivery = null;
            return _latest is { } latest ? _pump.Submit(latest) : Task.CompletedTask;
        }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics.ShardGone(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private string Market => this.GetPrimaryKeyString().Split('/')[0];

    public async Task Join(string accountId)
    {
        if (_holders.Join(accountId))
        {
            await Persist(new HolderChange(accountId, Joined: true));
        }
    }

    public async Task Leave(string accountId)
    {
        if (_holders.Leave(accountId))
        {
            await Persist(new HolderChange(accountId, Joined: false));
        }
    }

    /// <summary>
    /// The registry is an append-only log of joins and leaves (a whole-set write per join made opening N
    /// accounts cost N² in a shard), with group commit: changes that arrive while an append is in flight share
    /// the next one. Each caller returns only once an append that includes its change has completed.
    /// </summary>
    private Task Persist(HolderChange change)
    {
        _unwritten.Add(change);
        var batch = _nextWrite;
        if (batch is null)
        {
            // WriteAfter may start at once (and clear _nextWrite) when no write is in flight: keep our own reference.
            batch = _nextWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = WriteAfter(_lastWrite, batch);
        }

        return batch.Task;
    }

    private async Task WriteAfter(Task previous, TaskCompletionSource done)
    {
        try
        {
            await previous;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The earlier batch's callers saw its failure; this batch writes everything again.
        }

        _nextWrite = null;
        var batch = _unwritten.Select(c => new StoredEvent(c, DateTimeOffset.UtcNow)).ToList();
        _unwritten.Clear();
        var write = _registry.Append(batch);
        _lastWrite = write;
        try
        {
            await write;
            done.SetResult();
        }
        catch (Exception error)
        {
            // The holders in memory are ahead of the log: start again from the log on the next call (the stream
            // deactivates on a conflict or an unconfirmed append; any other failure does so here).
            DeactivateOnIdle();
            done.SetException(error);
        }
    }

    public async Task<ShardStats> Deliver(MarkUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _directory.Observe(update);
        if (_latest is not null && update.Sequence < _latest.Sequence)
        {
            // A market's redelivery that a newer mark overtook: the holders are judged at the newer one.
            return Figures();
        }

        _latest = update;
        var conflatedBefore = _pump.Conflated;
        var done = _pump.Submit(update);
        if (_pump.Conflated > conflatedBefore)
        {
            _metrics.Conflated(Market);
        }

        await done;
        return Figures();
    }

    public Task<int> SettleFunding(FundingSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var holders = _holders.Ids();
        _telling = TellHolders(_telling, holders, settlement);
        return Task.FromResult(holders.Length);
    }

    public Task<MarkUpdate?> UpdateHolder(string accountId, HolderReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(report);
        if (!_holders.Keep(accountId, report))
        {
            return Task.FromResult<MarkUpdate?>(null);
        }

        // A mark this shard skipped (or had not yet delivered) under the old band may be outside the new one:
        // it goes back in the reply, and the account evaluates it on its own turn.
        return Task.FromResult(_latest is { } latest && latest.Sequence > report.MarkSequence && !report.Holds(latest.Price) ? latest : null);
    }

    public async Task<ImmutableArray<AdlCandidateView>> AdlCandidates(int side, int max)
    {
        var scored = await ScoredAtNewestMark();
        return [.. scored
            .Where(r => Math.Sign(r.Size) == side)
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.AccountId, StringComparer.Ordinal)
            .Take(max)];
    }

    public async Task<int?> AdlQuantile(string accountId)
    {
        if (_holders.ReportOf(accountId) is not { } own || own.Size == 0m)
        {
            return null;
        }

        // Every read of a position asks for its quantile: rank the shard once per mark, and again for changed
        // reports at most once per QuantileRefresh (deliveries change reports all through a tick).
        var sequence = (await _directory.Mark(Market))?.Sequence ?? 0;
        if (_quantiles is not { } cached || cached.MarkSequence != sequence
            || (cached.ReportsVersion != _holders.ReportsVersion && Stopwatch.GetElapsedTime(cached.RankedAt) >= QuantileRefresh))
        {
            var version = _holders.ReportsVersion;
            var quantiles = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var side in (await ScoredAtNewestMark()).Where(c => c.Size != 0m).GroupBy(c => Math.Sign(c.Size)))
            {
                var ranked = side.OrderByDescending(c => c.Score).ThenBy(c => c.AccountId, StringComparer.Ordinal).ToList();
                for (var rank = 0; rank < ranked.Count; rank++)
                {
                    quantiles[ranked[rank].AccountId] = AdlRanking.Quantile(rank, ranked.Count);
                }
            }

            cached = (sequence, version, Stopwatch.GetTimestamp(), quantiles);
            _quantiles = cached;
        }

        return cached.Quantiles.TryGetValue(accountId, out var quantile) ? quantile : null;
    }

    public Task<ShardStats> Stats() => Task.FromResult(Figures());

    private ShardStats Figures() => new(_holders.Count, _holders.LongQuantity, _deliveries, _skipped, _pump.Conflated);

    /// <summary>Every holder with a report, scored at this silo's newest mark of the market (and of the scope's other markets).</summary>
    private async Task<List<AdlCandidateView>> ScoredAtNewestMark()
    {
        var market = await _directory.Definition(Market);
        var mark = await _directory.Mark(Market);
        return [.. _holders.Reports.Select(r => new AdlCandidateView(r.Key, r.Value.Size, mark is null ? r.Value.AdlScore : _scorer.ScoreOf(r.Value, market, mark.Price)))];
    }

    private async Task Pass(MarkUpdate update)
    {
        var targets = new List<string>();
        _holders.Targets(update.Price, targets);
        var skipped = _holders.Count - targets.Count;

        // A window of deliveries in flight, not all at once: a mark that reaches every holder (after a quiet
        // spell, or a shard's reactivation) must not queue hundreds of thousands of calls past their timeout.
        await InWindows(targets, _options.FanoutWindow, id => DeliverTo(id, update));

        _deliveries += targets.Count;
        _skipped += skipped;
        _metrics.Delivered(Market, targets.Count, skipped);
        _metrics.ShardAtRisk(this.GetPrimaryKeyString(), Market, _holders.AtRiskNotional);
    }

    private async Task<HolderReport?> DeliverTo(string accountId, MarkUpdate update)
    {
        try
        {
            var report = await GrainFactory.Reference<IAccountDelivery>(accountId).OnMark(update);
            _holders.Keep(accountId, report);
            return report;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // One account's failure (e.g. its silo just died) must not stop the others. Forgotten, it has no
            // band, so the next pass reaches it; that pass comes soon even if the market sends no new mark.
            _holders.Forget(accountId);
            if (_stopping.IsCancellationRequested)
            {
                // This silo is going down and every remaining delivery fails: 2.4 million warnings when a 1M-account
                // silo stopped. The shard's next activation re-delivers the newest mark to every holder anyway.
                return null;
            }

            _logger.LogWarning(error, "Delivering {Symbol} mark {Sequence} to {Account} failed", update.Symbol, update.Sequence, accountId);
            RedeliverSoon();
            return null;
        }
    }

    /// <summary>Calls <paramref name="send"/> for every account, at most <paramref name="window"/> in flight at a time.</summary>
    private static async Task InWindows(IReadOnlyList<string> accounts, int window, Func<string, Task> send)
    {
        window = Math.Max(1, window);
        for (var start = 0; start < accounts.Count; start += window)
        {
            await Task.WhenAll(accounts.Skip(start).Take(window).Select(send));
        }
    }
}
