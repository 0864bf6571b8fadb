using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Margin;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Accounts;

/// <summary>Evaluation on every mark and change: the level, its publication, and the escalation of a breach.</summary>
public sealed partial class AccountGrain
{
    /// <summary>How often a breach that lasts is sent to the coordinator again (on the marks it receives).</summary>
    private static readonly TimeSpan EscalationRepeat = TimeSpan.FromSeconds(10);

    private AccountHealth Health() => _account.Positions.Count == 0
        ? new AccountHealth(MarginLevel.Healthy, 0, 0)
        : MarginCalculator.Assess(_account.WalletBalances(), _account.MarkPositions(_markets), _thresholds);

    /// <param name="replyFor">The market whose delivery is being answered: its report goes back in the reply, not as a push.</param>
    private async Task<MarginLevel> Evaluate(bool escalate, string? replyFor = null)
    {
        RefreshAgedMarks();
        var health = Health();
        if (health.WorstLevel != _level)
        {
            CheckBandsHeld(health.WorstLevel);
            var change = new LevelChange(Id, ContractEnums.ToContract(_level), ContractEnums.ToContract(health.WorstLevel), _clock.GetUtcNow());
            _level = health.WorstLevel;
            _metrics.AccountLevel(ContractWords.Of(change.From), ContractWords.Of(change.To));
            await PublishLevel(change);
        }

        if (!health.InBreach)
        {
            // Out of breach: the next breach is a new episode and must be escalated again.
            _escalated.Clear();
        }
        else if (escalate)
        {
            await Escalate();
        }

        _bands = _account.Positions.Count == 0 ? null : _account.PriceBands(_markets, _thresholds);
        _bandsVersion = _account.Version;
        if (await PushReports(replyFor))
        {
            // A shard answered with a mark it had skipped under the old band and that the new band does not hold.
            return await Evaluate(escalate, replyFor);
        }

        return health.WorstLevel;
    }

    /// <summary>
    /// The bands' promise, checked by the account itself: its level may change only if its state changed or
    /// some mark left its band. A change with the same state and every mark inside the bands it last computed
    /// would be a skipped level change, the one thing band skipping must never do. Counted (it should stay 0);
    /// the safety sweep's deliveries give every skipped account this check once per cycle.
    /// </summary>
    private void CheckBandsHeld(MarginLevel now)
    {
        if (_bands is null || _bandsVersion != _account.Version || _level == MarginLevel.Breach)
        {
            return;
        }

        foreach (var position in _account.Positions.Values)
        {
            if (!_bands.TryGetValue(position.Symbol, out var band) || _markets.MarkOf(position.Symbol) is not { } mark || !band.Contains(mark.Price))
            {
                return;
            }
        }

        _metrics.SafetySweepFound();
        _logger.LogError("Account {Account} went from {From} to {To} with its state unchanged and every mark inside its bands", Id, _level, now);
    }

    /// <summary>
    /// Takes the silo's newest mark of every held market, and counts its due funding rounds, before a read or a
    /// decision: deliveries inside a band are skipped, so the account's own copy can be old. The silo's mark table gets every mark; only a market
    /// this silo has never seen is asked of the market grain.
    /// </summary>
    private async ValueTask RefreshMarks()
    {
        foreach (var symbol in _account.Positions.Keys)
        {
            if (await _directory.Mark(symbol) is { } newest)
            {
                _markets.SetMark(newest);
            }
        }

        var counted = _unrealisedFunding.Count;
        await CountDueFunding();
        if (_unrealisedFunding.Count != counted)
        {
            // A round this account hears of first through a read or a command (every silo has it before the
            // holders are told) moves its equity: it is judged, and a breach escalated, now rather than when told.
            await Evaluate(escalate: true);
        }
    }

    /// <summary>The same, for the evaluation path: only what the silo's table holds, no call.</summary>
    private void RefreshAgedMarks()
    {
        foreach (var symbol in _account.Positions.Keys)
        {
            if (_directory.Cached(symbol) is { } newest)
            {
                _markets.SetMark(newest);
            }
        }

        CountKnownFunding();
    }

    /// <summary>
    /// Tells every other shard of this account the new band once it differs from the one it holds: a band
    /// valid for the old state (a fill, a transfer, funding, another market's mark) must not keep skipping.
    /// True when a shard answered with a newer mark outside the new band, to be evaluated now.
    /// </summary>
    private async Task<bool> PushReports(string? replyFor)
    {
        List<Task<MarkUpdate?>>? pushes = null;
        foreach (var symbol in _account.Positions.Keys)
        {
            if (symbol == replyFor)
            {
                continue;
            }

            var report = Report(symbol);
            if (report.SameBandAs(_reported.GetValueOrDefault(symbol)))
            {
                continue;
            }

            _reported[symbol] = report;
            (pushes ??= []).Add(GrainFactory.Reference<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).UpdateHolder(Id, report));
        }

        if (pushes is null)
        {
            return false;
        }

        var newer = false;
        foreach (var mark in await Task.WhenAll(pushes))
        {
            newer |= mark is not null && _account.Positions.ContainsKey(mark.Symbol) && IsNewer(mark) && _markets.SetMark(mark);
        }

        return newer;
    }

    private bool IsNewer(MarkUpdate mark) => _markets.MarkOf(mark.Symbol) is not { } held || held.Sequence < mark.Sequence;

    private async Task Escalate()
    {
        var now = _clock.GetUtcNow();
        foreach (var scope in _account.ScopesInBreach(_markets, _thresholds))
        {
            var symbols = _account.Positions.Values.Where(p => InScope(p, scope)).Select(p => p.Symbol).ToList();
            var breachId = $"{Id}:{scope}:{_account.Version}";
            // A breach the coordinator has is sent again now and then while it lasts: the coordinator answers at
            // once when it knows it, and starts it again (under a new id) if its state lost it.
            if (symbols.Any(s => _markets.IsStale(s, now))
                || (_escalated.TryGetValue(breachId, out var sent) && now - sent.At < EscalationRepeat))
            {
                continue;
            }

            var key = new ScopeKey(scope.Asset, scope.Symbol);
            var figures = _account.Scope(scope, _markets, _thresholds);
            var report = new BreachReport(breachId, Id, key, figures.MarginBalance, figures.MaintenanceMargin,
                [.. symbols.Select(s => new MarkAtBreach(s, _markets.Mark(s), _markets.MarkOf(s)!.Sequence))], now, ScopeStateOf(key));
            await GrainFactory.GetGrain<ILiquidationCoordinatorGrain>(LiquidationPartitions.Of(Id)).Escalate(report);

            // Only once the coordinator has it: a failed escalation is retried on the next mark.
            _escalated[breachId] = new Escalation(key, now);
        }
    }

    /// <summary>
    /// A command of the account's own changed scopes whose breach is with the coordinator: it gets the new
    /// figures (the coordinator never reads them back), so a deposit that cures a breach stops the liquidation.
    /// </summary>
    private async Task TellCoordinator(IReadOnlyCollection<ScopeKey> scopes)
    {
        foreach (var scope in scopes)
        {
            try
            {
                await GrainFactory.GetGrain<ILiquidationCoordinatorGrain>(LiquidationPartitions.Of(Id)).ScopeChanged(Id, ScopeStateOf(scope));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The command is applied; the liquidation's next step returns the scope anyway.
                _logger.LogWarning(error, "Telling the coordinator of {Account}'s new {Scope} failed", Id, scope);
            }
        }
    }

    private async Task PublishLevel(LevelChange change)
    {
        try
        {
            var stream = this.GetStreamProvider(StreamNames.Provider).GetStream<LevelChange>(StreamId.Create(StreamNames.MarginLevels, Id));
            await stream.OnNextAsync(change);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A level event is informational; losing one must never fail the command that caused it.
            _logger.LogWarning(error, "Publishing the level change of {Account} failed", Id);
        }
    }

    /// <summary>
    /// The cross positions settling in <paramref name="asset"/>, for the shards' ADL scoring: one array per
    /// version of the account, shared by the reports of all its markets.
    /// </summary>
    private ImmutableArray<HeldPosition> CrossPositions(string asset)
    {
        if (_crossVersion != _account.Version)
        {
            _cross.Clear();
            _crossVersion = _account.Version;
        }

        if (!_cross.TryGetValue(asset, out var held))
        {
            held = [.. _account.Positions.Values.Where(p => !p.IsIsolated && p.SettleAsset == asset).Select(p => new HeldPosition(p.Symbol, p.Size, p.EntryPrice))];
            _cross[asset] = held;
        }

        return held;
    }

    private HolderReport Report(string symbol)
    {
        var stamp = _stamp = Math.Max(_stamp + 1, _clock.GetUtcNow().UtcTicks);
        if (!_account.Positions.TryGetValue(symbol, out var position))
        {
            return new HolderReport(0m, 0m, null, null, Stamp: stamp);
        }

        var market = _markets.Market(symbol);
        var mark = _markets.MarkOf(symbol);
        var scope = position.IsIsolated ? MarginScope.Isolated(position.SettleAsset, symbol) : MarginScope.Cross(position.SettleAsset);
        var balance = _account.Scope(scope, _markets, _thresholds).MarginBalance;

        // No band in breach (every mark must reach it until liquidated) or on a stale mark (escalation waits for a fresh one).
        var now = _clock.GetUtcNow();
        var banded = _level != MarginLevel.Breach && _bands is not null && _bands.ContainsKey(symbol)
            && !_account.Positions.Keys.Any(s => _markets.IsStale(s, now) || _markets.MarkOf(s)!.Stale);
        var band = _bands?.GetValueOrDefault(symbol) ?? PriceBand.Unbounded;
        var cross = position.IsIsolated ? [] : CrossPositions(position.SettleAsset);
        return new HolderReport(position.Size, AdlRanking.ScoreOf(market, position, mark!.Price, balance), band.Low, band.High, banded, stamp,
            (int)_level, MarginCalculator.ForPosition(market, position, mark.Price).Notional, mark.Sequence,
            position.EntryPrice, _account.ScopeBalance(scope), cross);
    }
}
