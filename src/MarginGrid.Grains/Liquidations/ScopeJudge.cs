using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// Judges a scope snapshot (what the escalation and every step returned) at this silo's newest marks: the
/// coordinator decides whether a liquidation goes on without reading the account back. The margin math is
/// the domain's; a position whose market or mark this silo lacks leaves the snapshot's own figures.
/// </summary>
public sealed class ScopeJudge(MarketDirectory directory, TimeProvider clock, IOptions<GridOptions> options)
{
    private readonly MarginLevelThresholds _thresholds = new(options.Value.WarningRatio, options.Value.DangerRatio);

    public async ValueTask<ScopeState> AtNewestMarks(ScopeState snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Positions.IsDefaultOrEmpty)
        {
            return snapshot with { InBreach = false, Stale = false };
        }

        var now = clock.GetUtcNow();
        var stale = false;
        var marked = new MarkedPosition[snapshot.Positions.Length];
        var positions = snapshot.Positions.ToBuilder();
        for (var i = 0; i < marked.Length; i++)
        {
            var held = snapshot.Positions[i];
            var market = await directory.Definition(held.Symbol);
            var mark = await directory.Mark(held.Symbol);
            if (mark is null || mark.Sequence < held.MarkSequence)
            {
                // The snapshot saw a newer mark than this silo has: keep its figures.
                return snapshot;
            }

            stale |= mark.Sequence == 0 || mark.Stale || now - mark.At > market.StalePriceLimit;
            var mode = snapshot.Scope.Symbol is null ? MarginMode.Cross : MarginMode.Isolated;
            var position = new Position(held.Symbol, market.SettleAsset, mode, 1, held.Size, held.EntryPrice, mode == MarginMode.Isolated ? snapshot.Balance : 0m);
            marked[i] = new MarkedPosition(market, position, mark.Price);
            positions[i] = held with { Mark = mark.Price, MarkSequence = mark.Sequence };
        }

        var figures = snapshot.Scope.Symbol is null
            ? MarginCalculator.CrossScope(snapshot.Scope.Asset, snapshot.Balance, marked, _thresholds)
            : MarginCalculator.IsolatedScope(marked[0].Market, marked[0].Position, marked[0].Mark, _thresholds);
        return snapshot with
        {
            InBreach = figures.InBreach,
            Stale = stale,
            MarginBalance = figures.MarginBalance,
            MaintenanceMargin = figures.MaintenanceMargin,
            Positions = positions.MoveToImmutable(),
        };
    }
}
