using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grains.Persistence;
using Orleans.Concurrency;

namespace MarginGrid.Grains.Liquidations;

/// <summary>Reads records where they are: the coordinator partition first (running, or not archived yet), then the archive.</summary>
[StatelessWorker]
public sealed class LiquidationHistoryGrain(ILiquidationArchive archive) : Grain, ILiquidationHistoryGrain
{
    public Task<LiquidationPage> Page(LiquidationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > LiquidationQuery.MaxLimit || query.After is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "A page is 1 to 1000 records, after a positive position.");
        }

        return archive.Page(query);
    }

    public Task<LiquidationSummary> Summary() => archive.Summary();

    public async Task<LiquidationRecord?> Get(string liquidationId)
    {
        ArgumentNullException.ThrowIfNull(liquidationId);

        // A malformed id names no partition and so no liquidation: no grain is activated for it.
        if (LiquidationPartitions.OfLiquidation(liquidationId) is not { } partition)
        {
            return null;
        }

        return await GrainFactory.GetGrain<ILiquidationCoordinatorGrain>(partition).Get(liquidationId)
            ?? await archive.Find(liquidationId);
    }
}
