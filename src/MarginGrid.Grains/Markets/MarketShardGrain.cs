using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// One shard of a market's holders. Reentrant so that a new mark can be recorded while a pass is awaiting
/// accounts; the pump delivers only the newest. Keeps, from each account's reply, its size and ADL score
/// (the coordinator ranks counterparties from that) and the band of marks that cannot change its level.
/// </summary>
[Reentrant]
public sealed class MarketShardGrain : Grain, IMarketShardGrain
{
    private readonly IPersistentState<ShardState> _state;
    private readonly MarketDirectory _directory;
    private readonly ILogger<MarketShardGrain> _logger;
    private readonly LatestWinsPump<MarkUpdate> _pump;
    private readonly Dictionary<string, HolderReport> _reports = new(StringComparer.Ordinal);
    private long _deliveries;
    private long _skipped;

    public MarketShardGrain(
        [PersistentState("shard", StreamNames.Storage)] IPersistentState<ShardState> state,
        MarketDirectory directory,
        ILogger<MarketShardGrain> logger)
    {
        _state = state;
        _directory = directory;
        _logger = logger;
        _pump = new LatestWinsPump<MarkUpdate>(Pass);
    }

    private string Market => this.GetPrimaryKeyString().Split('/')[0];

    public async Task Join(string accountId)
    {
        if (_state.State.Holders.Add(accountId))
        {
            await _state.WriteStateAsync();
        }
    }

    public async Task Leave(string accountId)
    {
        _reports.Remove(accountId);
        if (_state.State.Holders.Remove(accountId))
        {
            await _state.WriteStateAsync();
        }
    }

    public Task Deliver(MarkUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _directory.Observe(update);
        var conflatedBefore = _pump.Conflated;
        var done = _pump.Submit(update);
        if (_pump.Conflated > conflatedBefore)
        {
            GridMetrics.Conflated(Market);
        }

        return done;
    }

    public async Task<int> SettleFunding(FundingSettlement settlement)
    {
        var holders = _state.State.Holders.ToArray();
        await Task.WhenAll(holders.Select(id => GrainFactory.GetGrain<IAccountGrain>(id).OnFunding(settlement)));
        return holders.Length;
    }

    public Task<ImmutableArray<AdlCandidateView>> AdlCandidates(int side, int max) =>
        Task.FromResult<ImmutableArray<AdlCandidateView>>([.. _reports
            .Where(r => Math.Sign(r.Value.Size) == side)
            .OrderByDescending(r => r.Value.AdlScore)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(max)
            .Select(r => new AdlCandidateView(r.Key, r.Value.Size, r.Value.AdlScore))]);

    public Task<int?> AdlQuantile(string accountId)
    {
        if (!_reports.TryGetValue(accountId, out var own) || own.Size == 0m)
        {
            return Task.FromResult<int?>(null);
        }

        var side = _reports.Where(r => Math.Sign(r.Value.Size) == Math.Sign(own.Size))
            .OrderByDescending(r => r.Value.AdlScore).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Key).ToList();
        return Task.FromResult<int?>(AdlRanking.Quantile(side.IndexOf(accountId), side.Count));
    }

    public Task<ShardStats> Stats() => Task.FromResult(new ShardStats(
        _state.State.Holders.Count, _reports.Values.Where(r => r.Size > 0m).Sum(r => r.Size), _deliveries, _skipped, _pump.Conflated));

    private async Task Pass(MarkUpdate update)
    {
        var targets = new List<string>(_state.State.Holders.Count);
        var skipped = 0;
        foreach (var id in _state.State.Holders)
        {
            if (_reports.TryGetValue(id, out var report) && report.BandLow is { } low && report.BandHigh is { } high
                && update.Price >= low && update.Price <= high)
            {
                skipped++;
                continue;
            }

            targets.Add(id);
        }

        await Task.WhenAll(targets.Select(id => DeliverTo(id, update)));
        _deliveries += targets.Count;
        _skipped += skipped;
        GridMetrics.Delivered(Market, targets.Count, skipped);
    }

    private async Task DeliverTo(string accountId, MarkUpdate update)
    {
        try
        {
            _reports[accountId] = await GrainFactory.GetGrain<IAccountGrain>(accountId).OnMark(update);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // One account's failure (e.g. its silo just died) must not stop the others; the next mark retries it.
            _reports.Remove(accountId);
            _logger.LogWarning(error, "Delivering {Symbol} mark {Sequence} to {Account} failed", update.Symbol, update.Sequence, accountId);
        }
    }
}
