namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// Reads liquidation records wherever they are (key: 0; a stateless worker, so reads spread over silos and
/// create no state): running ones and finished ones still waiting for the archive from their coordinator
/// partition, the rest from the durable archive.
/// </summary>
public interface ILiquidationHistoryGrain : IGrainWithIntegerKey
{
    /// <summary>A page of the archive (finished liquidations), filtered and in archive order.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<LiquidationPage> Page(LiquidationQuery query);

    /// <summary>Counts by outcome and step and the money moved, over every finished liquidation archived.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<LiquidationSummary> Summary();

    /// <summary>One record, running or finished; null when there is none.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<LiquidationRecord?> Get(string liquidationId);
}
