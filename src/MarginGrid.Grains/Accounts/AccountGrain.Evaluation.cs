using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Margin;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Accounts;

/// <summary>Evaluation on every mark and change: the level, its publication, and the escalation of a breach.</summary>
public sealed partial class AccountGrain
{
    private AccountHealth Health() => _account.Positions.Count == 0
        ? new AccountHealth(MarginLevel.Healthy, 0, 0)
        : MarginCalculator.Assess(_account.WalletBalances(), _account.MarkPositions(_markets), _thresholds);

    private async Task<MarginLevel> Evaluate(bool escalate)
    {
        var health = Health();
        if (health.WorstLevel != _level)
        {
            var change = new LevelChange(Id, AccountViews.Word(_level), AccountViews.Word(health.WorstLevel), _clock.GetUtcNow());
            _level = health.WorstLevel;
            GridMetrics.AccountLevel(change.From, change.To);
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

        return health.WorstLevel;
    }

    private async Task Escalate()
    {
        var now = _clock.GetUtcNow();
        foreach (var scope in _account.ScopesInBreach(_markets, _thresholds))
        {
            var symbols = _account.Positions.Values.Where(p => InScope(p, scope)).Select(p => p.Symbol).ToList();
            var breachId = $"{Id}:{scope}:{_account.Version}";
            if (symbols.Any(s => _markets.IsStale(s, now)) || _escalated.Contains(breachId))
            {
                continue;
            }

            var figures = _account.Scope(scope, _markets, _thresholds);
            var report = new BreachReport(breachId, Id, new ScopeKey(scope.Asset, scope.Symbol), figures.MarginBalance, figures.MaintenanceMargin,
                [.. symbols.Select(s => new MarkAtBreach(s, _markets.Mark(s), _markets.MarkOf(s)!.Sequence))], now);
            await GrainFactory.GetGrain<ILiquidationCoordinatorGrain>(LiquidationPartitions.Of(Id)).Escalate(report);

            // Only once the coordinator has it: a failed escalation is retried on the next mark.
            _escalated.Add(breachId);
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

    private HolderReport Report(string symbol)
    {
        if (!_account.Positions.TryGetValue(symbol, out var position))
        {
            return new HolderReport(0m, 0m, null, null);
        }

        var market = _markets.Market(symbol);
        var scope = position.IsIsolated ? MarginScope.Isolated(position.SettleAsset, symbol) : MarginScope.Cross(position.SettleAsset);
        var balance = _account.Scope(scope, _markets, _thresholds).MarginBalance;
        return new HolderReport(position.Size, AdlRanking.ScoreOf(market, position, _markets.Mark(symbol), balance), null, null);
    }
}
